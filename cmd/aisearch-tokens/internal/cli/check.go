package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

const checkLong = `Look up the Cloudflare API token behind every AI Search registration of the
account and report, for each, whether AI Search can still use it. The
problems: gone (the token was deleted), disabled, expired, expiring_soon
(within --expiring-within), not_yet_valid, other_account (no policy covers
this account), missing_permission_group, registration_disabled, and
changed_after_registration, a heuristic: the token was modified after it
was registered, which is what rolling its value in place looks like (a
rename looks the same). Repair a registration with
` + "`aisearch-tokens rotate TOKEN_ID`" + `, which clears every one of them.

Each registration's entry names the AI Search instances that use it (its
token_id), of every namespace: a dead credential says which instances stop
indexing. --last-job also reads each indexing instance's newest job (one
request more per instance) and says how it ended, with the log line that
names why it failed.

Made for cron and CI: the exit code says it all; --json prints one entry
per registration (token_id, healthy, problems with kind, detail and
heuristic, instances with their last job).

Permissions (credentials are never flags):
  listing the registrations, the namespaces, the instances and their jobs:
    a token allowed to read AI Search (Account > AI Search:Edit covers
    it), the main credential.
  reading the Cloudflare tokens: "API Tokens Read" (user) or
    "Account API Tokens Read" (account), the issuer credential:
    --issuer-token-file or $CLOUDFLARE_ISSUER_API_TOKEN, else the main one.
    A token not among the --owner's tokens is looked for among the other
    owner's.

Exit codes: 0 every registration is healthy (and there is at least one),
1 could not check (an API, network or credential error), 2 usage,
3 no registration at all (run provision), 4 a registration is unhealthy.`

// healthJSON is one entry of check's --json output.
type healthJSON struct {
	TokenID string `json:"token_id"`
	Name    string `json:"name"`
	CfAPIID string `json:"cf_api_id"`
	Enabled bool   `json:"enabled"`
	Healthy bool   `json:"healthy"`
	// Owner, Status and ExpiresOn describe the Cloudflare token; they are
	// absent when it is gone.
	Owner     aisearch.Owner `json:"owner,omitempty"`
	Status    string         `json:"status,omitempty"`
	ExpiresOn time.Time      `json:"expires_on,omitzero"`
	Problems  []problemJSON  `json:"problems"`
	// Instances are the instances whose token_id is this registration;
	// null where they were not looked up (provision's broken ones).
	Instances []instanceJSON `json:"instances"`
}

type instanceJSON struct {
	Namespace string `json:"namespace"`
	ID        string `json:"id"`
	// Type is r2, web-crawler, or "" for built-in storage (no jobs).
	Type    string   `json:"type"`
	Status  string   `json:"status"`
	LastJob *jobJSON `json:"last_job,omitempty"` // with --last-job, when it has one
}

type jobJSON struct {
	ID        string    `json:"id"`
	StartedAt time.Time `json:"started_at,omitzero"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
	Running   bool      `json:"running"`
	EndedWell bool      `json:"ended_well"`
	EndReason string    `json:"end_reason,omitempty"`
	// Failure is the log line that says why it failed.
	Failure string `json:"failure,omitempty"`
}

func jobEntry(j aisearch.Job, failure string) *jobJSON {
	return &jobJSON{ID: j.ID, StartedAt: j.StartedAt, EndedAt: j.EndedAt, Running: j.Running, EndedWell: j.EndedWell(),
		EndReason: j.EndReason, Failure: failure}
}

type problemJSON struct {
	Kind      string `json:"kind"`
	Detail    string `json:"detail"`
	Heuristic bool   `json:"heuristic"`
}

func newCheckCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check that every registration still works (for cron and CI)",
		Long:  checkLong,
		Args:  positional(),
	}
	wf := addWorkflowFlags(cmd.Flags(), "reads the Cloudflare tokens")
	within := days{d: aisearch.DefaultExpiryWarning}
	cmd.Flags().Var(&within, "expiring-within", "report a token that expires within `D` as expiring_soon (0: never)")
	lastJob := cmd.Flags().Bool("last-job", false, "also read each instance's newest indexing job and say how it ended (a request per instance)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if within.d < 0 {
			return usagef("--expiring-within %s: must not be negative", within.String())
		}
		c, issuer, err := r.clients(cmd.Context(), wf)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), wf.api)
		defer cancel()
		// --expiring-within 0 is the library's zero: no window.
		opts := aisearch.CheckOptions{Issuer: issuer, ExpiringWithin: within.d, PermissionGroups: wf.groups, LastJobs: *lastJob}
		found, err := c.Check(ctx, opts)
		noneRegistered := errors.Is(err, aisearch.ErrNoRegistration)
		if err != nil && !noneRegistered {
			return fmt.Errorf("could not check: %w", err)
		}
		if wf.api.json {
			err = writeJSON(r.env.Stdout, healthEntries(found))
		} else {
			err = printHealth(r.env.Stdout, found)
		}
		if err != nil {
			return err
		}
		unhealthy := 0
		for _, h := range found {
			if !h.Healthy() {
				unhealthy++
			}
		}
		switch {
		case noneRegistered:
			return &exitError{Code: ExitNotFound, Err: fmt.Errorf("no service token is registered on account %s: run `aisearch-tokens provision`", c.AccountID())}
		case unhealthy > 0:
			return &exitError{Code: ExitUnhealthy, Err: fmt.Errorf("%d of %d registrations unhealthy: repair each with `aisearch-tokens rotate TOKEN_ID`", unhealthy, len(found))}
		}
		return nil
	}
	return cmd
}

func healthEntries(found []aisearch.Health) []healthJSON {
	out := make([]healthJSON, 0, len(found))
	for _, h := range found {
		e := healthJSON{TokenID: h.Registration.ID, Name: h.Registration.Name, CfAPIID: h.Registration.CfAPIID,
			Enabled: h.Registration.Enabled, Healthy: h.Healthy(), Problems: []problemJSON{}}
		if t := h.APIToken; t != nil {
			e.Owner, e.Status, e.ExpiresOn = t.Owner, string(t.Status), t.ExpiresOn
		}
		for _, p := range h.Problems {
			e.Problems = append(e.Problems, problemJSON{string(p.Kind), p.Detail, p.Heuristic})
		}
		if h.Instances != nil { // Check's; Provision looks up no instances
			e.Instances = []instanceJSON{}
		}
		for _, u := range h.Instances {
			in := instanceJSON{Namespace: u.Instance.Namespace, ID: u.Instance.ID, Type: u.Instance.Type, Status: u.Instance.Status}
			if u.LastJob != nil {
				in.LastJob = jobEntry(*u.LastJob, u.LastFailure)
			}
			e.Instances = append(e.Instances, in)
		}
		out = append(out, e)
	}
	return out
}

// printHealth shows a line per registration, then its problems and the
// command that repairs it.
func printHealth(w io.Writer, found []aisearch.Health) error {
	if len(found) == 0 {
		return nil // the error says so, on stderr
	}
	healthy := 0
	for _, h := range found {
		mark := "ok  "
		if !h.Healthy() {
			mark = "FAIL"
		} else {
			healthy++
		}
		token := "its Cloudflare API token " + oneLine(h.Registration.CfAPIID) + " is gone"
		if h.APIToken != nil {
			token = "Cloudflare API token " + h.APIToken.ID + " (" + describeToken(*h.APIToken) + ")"
		}
		fmt.Fprintf(w, "%s registration %s (%q): %s\n", mark, h.Registration.ID, oneLine(h.Registration.Name), token)
		for _, p := range h.Problems {
			fmt.Fprintf(w, "       %s\n", p)
		}
		printInstances(w, h)
		if !h.Healthy() {
			fmt.Fprintf(w, "       repair: aisearch-tokens rotate %s\n", h.Registration.ID)
		}
	}
	_, err := fmt.Fprintf(w, "%d registration(s), %d healthy\n", len(found), healthy)
	return err
}

// printInstances shows the instances that use a registration, a line
// each: those that index stop doing so when it is unhealthy.
func printInstances(w io.Writer, h aisearch.Health) {
	if len(h.Instances) == 0 {
		fmt.Fprintf(w, "       no instance uses it\n")
		return
	}
	for _, u := range h.Instances {
		in := u.Instance
		kind := in.Type
		if kind == "" {
			kind = "built-in storage, no jobs"
		}
		line := fmt.Sprintf("instance %s (%s, status %s)", oneLine(in.Name()), oneLine(kind), oneLine(in.Status))
		if in.HasJobs() {
			line += stopsIndexing(h)
		}
		if j := u.LastJob; j != nil {
			line += "; last job " + oneLine(j.ID) + " " + jobOutcome(*j, u.LastFailure)
		}
		fmt.Fprintf(w, "       %s\n", line)
	}
}

// stopsIndexing says what h's problems mean for an instance that indexes:
// a dead credential stops it, a heuristic may have, an expiry to come
// will.
func stopsIndexing(h aisearch.Health) string {
	var heuristic, expiring bool
	for _, p := range h.Problems {
		switch {
		case p.Heuristic:
			heuristic = true
		case p.Kind == aisearch.ProblemExpiringSoon:
			expiring = true
		default:
			return ": stops indexing"
		}
	}
	switch {
	case heuristic:
		return ": may have stopped indexing"
	case expiring:
		return ": stops indexing when the token expires"
	}
	return ""
}

// jobOutcome says how a job ended: "ended well at T", "failed at T
// (reason): line", or "running since T".
func jobOutcome(j aisearch.Job, failure string) string {
	switch {
	case j.Running:
		return "running since " + stampOrUnknown(j.StartedAt)
	case j.EndedWell():
		return "ended well at " + stampOrUnknown(j.EndedAt)
	}
	s := "failed at " + stampOrUnknown(j.EndedAt) + " (" + oneLine(j.EndReason) + ")"
	if failure != "" {
		s += ": " + oneLine(failure)
	}
	return s
}

func stampOrUnknown(t time.Time) string {
	if t.IsZero() {
		return "an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}
