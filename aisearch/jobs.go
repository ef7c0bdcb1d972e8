package aisearch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// Job is one indexing job of an instance: a sync of its source, run with
// its registration's service token. The JSON tags match the API's field
// names where it has them.
type Job struct {
	ID string `json:"id"`
	// Namespace and Instance say whose job it is (filled by the client).
	Namespace string `json:"namespace"`
	Instance  string `json:"instance"`
	// Source is who started it: "user" (StartJob) or "schedule".
	Source      string `json:"source"`
	Description string `json:"description,omitempty"`
	// StartedAt, EndedAt and LastSeenAt are zero when the API leaves them
	// out, or sends a time that is not RFC 3339 (it documents no format).
	StartedAt  time.Time `json:"started_at,omitzero"`
	EndedAt    time.Time `json:"ended_at,omitzero"`
	LastSeenAt time.Time `json:"last_seen_at,omitzero"`
	// Running is true while the API shows no ended_at.
	Running bool `json:"running"`
	// EndReason says why it ended; "" for a job that ended well.
	EndReason string `json:"end_reason,omitempty"`
}

// EndedWell reports whether the job has ended without an end_reason. That
// is how the emulator ends a job that indexed; Cloudflare documents no
// end_reason values but new_job_has_started (docs/client.md).
func (j Job) EndedWell() bool { return !j.Running && j.EndReason == "" }

// JobLog is one line of a job's log.
type JobLog struct {
	ID      int    `json:"id"`
	Message string `json:"message"`
	// MessageType is the API's number for the line's kind; Cloudflare
	// documents none. The emulator writes JobLogError for the line that
	// names why a job failed.
	MessageType int `json:"message_type"`
	// CreatedAt is read as Unix milliseconds (Cloudflare gives no unit; the
	// Workers runtime's Date.now() is milliseconds).
	CreatedAt time.Time `json:"created_at"`
}

// The message types of JobLog, as the emulator writes them.
const (
	JobLogInfo    = 1
	JobLogWarning = 2
	JobLogError   = 3
)

// JobListOptions selects one page of ListJobs or JobLogs; zero fields are
// the API's defaults (page 1, 20 per page).
type JobListOptions struct {
	Page    int
	PerPage int // at most 50 for jobs, 500 for log lines
}

// JobPage is one page of ListJobs.
type JobPage struct {
	Jobs []Job // never nil
	Info ResultInfo
}

// JobLogPage is one page of JobLogs.
type JobLogPage struct {
	Logs []JobLog // never nil
	Info ResultInfo
}

// StartJob starts an indexing job on instance id (description may be
// empty). The API refuses a job within 30 s of the instance's previous one
// (429, code 7020, with Retry-After): the client's retry policy waits that
// out when its MaxWait allows. Instances with built-in storage have no jobs
// (400).
func (in *Instances) StartJob(ctx context.Context, id, description string) (Job, error) {
	c := in.c
	if err := in.check("instance ID", id); err != nil {
		return Job{}, err
	}
	body := generated.CreateNamespaceJobJSONRequestBody{}
	if description != "" {
		body.Description = &description
	}
	return in.job(ctx, id, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.CreateNamespaceJob(ctx, c.accountID, in.namespace, id, body, rec)
	})
}

// Job returns job jobID of instance id, as it is now.
func (in *Instances) Job(ctx context.Context, id, jobID string) (Job, error) {
	c := in.c
	if err := in.checkJob(id, jobID); err != nil {
		return Job{}, err
	}
	return in.job(ctx, id, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.GetNamespaceJob(ctx, c.accountID, in.namespace, id, jobID, rec)
	})
}

// ListJobs returns one page of instance id's jobs, newest first as the API
// lists them.
func (in *Instances) ListJobs(ctx context.Context, id string, opts JobListOptions) (*JobPage, error) {
	c := in.c
	if err := in.check("instance ID", id); err != nil {
		return nil, err
	}
	params := &generated.ListNamespaceJobsParams{}
	page, perPage, err := opts.params()
	if err != nil {
		return nil, err
	}
	params.Page, params.PerPage = page, perPage
	var env generated.JobListEnvelope
	o, err := c.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.ListNamespaceJobs(ctx, c.accountID, in.namespace, id, params, rec)
	})
	if err != nil {
		return nil, err
	}
	out := &JobPage{Jobs: make([]Job, 0, len(env.Result)), Info: resultInfo(env.ResultInfo)}
	for i, j := range env.Result {
		if j.ID == "" {
			return nil, o.errorf("%w: result[%d] has no id", ErrMalformedResponse, i)
		}
		out.Jobs = append(out.Jobs, jobFromAPI(j, in.namespace, id))
	}
	return out, nil
}

// JobLogs returns one page of job jobID's log lines, oldest first.
func (in *Instances) JobLogs(ctx context.Context, id, jobID string, opts JobListOptions) (*JobLogPage, error) {
	c := in.c
	if err := in.checkJob(id, jobID); err != nil {
		return nil, err
	}
	params := &generated.ListNamespaceJobLogsParams{}
	page, perPage, err := opts.params()
	if err != nil {
		return nil, err
	}
	params.Page, params.PerPage = page, perPage
	var env generated.JobLogListEnvelope
	if _, err := c.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.ListNamespaceJobLogs(ctx, c.accountID, in.namespace, id, jobID, params, rec)
	}); err != nil {
		return nil, err
	}
	out := &JobLogPage{Logs: make([]JobLog, 0, len(env.Result)), Info: resultInfo(env.ResultInfo)}
	for _, l := range env.Result {
		out.Logs = append(out.Logs, JobLog{ID: l.ID, Message: plainText(l.Message), MessageType: l.MessageType,
			CreatedAt: time.UnixMilli(int64(l.CreatedAt)).UTC()})
	}
	return out, nil
}

// ErrJobRunning: WaitJob's job had not ended when its timeout was spent.
var ErrJobRunning = errors.New("aisearch: the job is still running")

// The waits between two looks at a running job: the first, doubled after
// each look up to the longest.
const (
	jobPollFirst = time.Second
	jobPollMax   = 15 * time.Second
)

// WaitJob looks at job jobID of instance id until it has ended, waiting 1 s,
// 2 s, 4 s … up to 15 s between looks with the retry policy's Sleep (so a
// test's Sleep can move a fake clock instead), and returns it as it ended.
// timeout bounds the waiting (the sum of the waits, not the requests); when
// it is spent the job is returned as last seen, with ErrJobRunning.
func (in *Instances) WaitJob(ctx context.Context, id, jobID string, timeout time.Duration) (Job, error) {
	wait, waited := jobPollFirst, time.Duration(0)
	for {
		j, err := in.Job(ctx, id, jobID)
		if err != nil || !j.Running {
			return j, err
		}
		left := timeout - waited
		if left <= 0 {
			return j, fmt.Errorf("%w: job %s of instance %s, after %s", ErrJobRunning, jobID, id, waited)
		}
		wait = min(wait, left)
		if err := in.c.sleep(ctx, wait); err != nil {
			return j, fmt.Errorf("aisearch: waiting for job %s of instance %s: %w", jobID, id, err)
		}
		waited += wait
		wait = min(2*wait, jobPollMax)
	}
}

// lastJob returns the newest job of instance id (by started_at, among the
// first page the API lists, newest first), or nil when it has none.
func (in *Instances) lastJob(ctx context.Context, id string) (*Job, error) {
	p, err := in.ListJobs(ctx, id, JobListOptions{PerPage: 50})
	if err != nil {
		return nil, err
	}
	var last *Job
	for i, j := range p.Jobs {
		if last == nil || j.StartedAt.After(last.StartedAt) {
			last = &p.Jobs[i]
		}
	}
	return last, nil
}

// failure returns the log line that says why job j failed: the first error
// line, else the last line; "" when there is none or it cannot be read.
func (in *Instances) failure(ctx context.Context, j Job) string {
	p, err := in.JobLogs(ctx, j.Instance, j.ID, JobListOptions{PerPage: 500})
	if err != nil || len(p.Logs) == 0 {
		return ""
	}
	for _, l := range p.Logs {
		if l.MessageType == JobLogError {
			return l.Message
		}
	}
	return p.Logs[len(p.Logs)-1].Message
}

func (in *Instances) checkJob(id, jobID string) error {
	if err := in.check("instance ID", id); err != nil {
		return err
	}
	return checkPathSegment("job ID", jobID)
}

// job runs an operation whose result is one job of instance id.
func (in *Instances) job(ctx context.Context, id string, send call) (Job, error) {
	var env generated.JobEnvelope
	o, err := in.c.do(ctx, &env, send)
	if err != nil {
		return Job{}, err
	}
	if env.Result.ID == "" {
		return Job{}, o.errorf("%w: result has no id", ErrMalformedResponse)
	}
	return jobFromAPI(env.Result, in.namespace, id), nil
}

func (opts JobListOptions) params() (page, perPage *int, err error) {
	if opts.Page < 0 || opts.PerPage < 0 {
		return nil, nil, fmt.Errorf("aisearch: JobListOptions: negative Page (%d) or PerPage (%d)", opts.Page, opts.PerPage)
	}
	if opts.Page > 0 {
		page = &opts.Page
	}
	if opts.PerPage > 0 {
		perPage = &opts.PerPage
	}
	return page, perPage, nil
}

func jobFromAPI(j generated.Job, namespace, instance string) Job {
	return Job{
		ID:          j.ID,
		Namespace:   namespace,
		Instance:    instance,
		Source:      string(j.Source),
		Description: deref(j.Description, ""),
		StartedAt:   jobTime(j.StartedAt),
		EndedAt:     jobTime(j.EndedAt),
		LastSeenAt:  jobTime(j.LastSeenAt),
		Running:     j.EndedAt == nil || *j.EndedAt == "",
		EndReason:   deref(j.EndReason, ""),
	}
}

// jobTime reads a job's time: the API documents a plain string, and sends
// RFC 3339.
func jobTime(s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
