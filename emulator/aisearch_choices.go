package emulator

import (
	"errors"
	"time"
)

// The emulator's choices where Cloudflare's sources on AI Search instances,
// jobs and namespaces are silent or disagree, in one place (docs/instances.md
// states them again, with the sources).
//
//   - Instance status (no source gives values but "waiting"): "waiting"
//     until one of its jobs ends well, then "active"; "error" after a job
//     fails. A job that is running, cancelled or ended by a newer one does not
//     change it (see instanceStatus). Built-in instances (no jobs) stay
//     "waiting".
//   - Job timing: a job starts at its create and its outcome is fixed then,
//     from the instance's service credential at that moment. A dead
//     credential ends it at once (ended_at = started_at); a working one ends
//     it well jobDuration later (WithJobDuration), on the emulator's clock,
//     computed when the job is read (no goroutine). A successful job has no
//     end_reason.
//   - A job create within jobCooldown of the instance's previous job (any
//     source, any outcome) is 429 code 7020; a job still running when a new
//     one starts ends with end_reason "new_job_has_started".
//   - Deleting a namespace that holds instances is refused (400, code 7066),
//     as the spec says, although wrangler's prompt says it removes them.
//   - An instance created without token_id uses the account's oldest enabled
//     registration (created_at, then id); with none, an instance with a type
//     is refused (400, code 7012) and a built-in one has no token_id.
//   - The account-level instance routes address the namespace "default"; the
//     account-level list spans every namespace (its namespace parameter
//     narrows it). The namespaced list ignores that parameter.
//   - An unknown namespace: 404 code 7063 where the operation documents a
//     404; the namespaced list answers an empty page and the namespaced
//     create 400 code 7063 (neither documents a 404).
//   - A job on a built-in instance is a 400 input-validation error at
//     ["path","id"]; listing its jobs answers an empty page.
//   - Limits: DefaultMaxInstances instances per account (unpublished, per
//     plan: WithMaxInstances), DefaultMaxNamespaces namespaces besides
//     "default" (WithMaxNamespaces). Instance ids and namespace names: 1 to 64
//     of a-z, 0-9, '-' and '_'.
//   - The namespace list leaves "default" out (as wrangler's code says);
//     GET /namespaces/default answers it.
const (
	jobCooldown          = 30 * time.Second // Cloudflare's docs: a manual sync every 30 s
	DefaultJobDuration   = 2 * time.Second  // how long a job with a working credential runs
	DefaultMaxInstances  = 50
	DefaultMaxNamespaces = 100 // Cloudflare's documented limit (7062)
)

// Instance status values (see instanceStatus).
const (
	StatusWaiting = "waiting" // no job has ended well or failed yet
	StatusActive  = "active"  // the last job to end by itself ended well
	StatusError   = "error"   // the last job to end by itself failed
)

// End reasons a job gets besides a credential's (jobFailures).
const (
	EndReasonCancelled   = "cancelled"
	EndReasonNewJob      = "new_job_has_started" // a third-party report, not Cloudflare's docs
	jobIndexingStarted   = "Indexing started"
	jobIndexingFinished  = "Indexing finished"
	jobCancelledMessage  = "Job cancelled"
	jobSupersededMessage = "Job ended: a new job has started"
)

// Log line kinds (message_type; the spec lists no values).
const (
	LogInfo    = 1
	LogWarning = 2
	LogError   = 3
)

// aiSearchConfig is what the options below set.
type aiSearchConfig struct {
	jobDuration   time.Duration
	maxInstances  int
	maxNamespaces int
}

// WithJobDuration sets how long an indexing job whose credential works runs
// before it ends well (default DefaultJobDuration), on the emulator's clock:
// real time in `serve`, the test's clock under WithClock. Zero ends it at
// once.
func WithJobDuration(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("WithJobDuration: negative duration")
		}
		c.aiSearch.jobDuration = d
		return nil
	}
}

// WithMaxInstances sets how many AI Search instances an account may have
// (default DefaultMaxInstances; Cloudflare's limit depends on the plan).
// One more is refused with 403, code 7013.
func WithMaxInstances(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return errors.New("WithMaxInstances: the limit must be at least 1")
		}
		c.aiSearch.maxInstances = n
		return nil
	}
}

// WithMaxNamespaces sets how many namespaces besides "default" an account
// may have (default DefaultMaxNamespaces, Cloudflare's limit). One more is
// refused with 403, code 7062.
func WithMaxNamespaces(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("WithMaxNamespaces: negative limit")
		}
		c.aiSearch.maxNamespaces = n
		return nil
	}
}
