package emulator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// Indexing jobs: a job is one sync of an instance's source, run with the
// instance's service credential. Its outcome is decided when it starts
// (serviceCredential) and its end lies on the emulator's clock, so a test
// moves the clock instead of sleeping, and `serve` (whose clock is real
// time) sees a job end WithJobDuration after it started. Nothing runs in
// the background: a job's state at any moment is computed from its row
// (jobAt). The choices are in aisearch_choices.go.

// job is a row of the jobs table. Its log lines are planned when it
// starts, each with the time it appears; an early end (a cancel, a newer
// job) cuts the plan and adds its own line.
type job struct {
	Account     string              `json:"account"`
	Namespace   string              `json:"namespace"`
	Instance    string              `json:"instance"`
	ID          string              `json:"id"`
	Source      generated.JobSource `json:"source"`
	Description *string             `json:"description,omitempty"`
	StartedAt   time.Time           `json:"started_at"`
	// EndsAt and Failure are the plan: the job ends by itself at EndsAt,
	// well when Failure is "", else with Failure as its end_reason.
	EndsAt  time.Time `json:"ends_at"`
	Failure string    `json:"failure,omitempty"`
	// EndedAt and EndReason are set when the job ended before its plan.
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	EndReason string     `json:"end_reason,omitempty"`
	Logs      []jobLog   `json:"logs"`
}

type jobLog struct {
	Message string    `json:"message"`
	Type    int       `json:"type"`
	At      time.Time `json:"at"`
}

// jobKey files a job under its account, by its instance and id.
func jobKey(j *job) (owner, id string) { return j.Account, jobRowID(j.Namespace, j.Instance, j.ID) }

// jobRowID is a job's id in its table: namespace/instance/id.
func jobRowID(namespace, instance, id string) string {
	return instanceRowID(namespace, instance) + "/" + id
}

// jobState is a job as it is at some moment.
type jobState struct {
	job
	running  bool
	ended    time.Time // when it ended (zero while running)
	reason   string    // its end_reason ("" while running or after a good end)
	byItself bool      // it ended as planned, not cancelled or replaced
}

// jobAt is j at now.
func jobAt(j job, now time.Time) jobState {
	switch {
	case j.EndedAt != nil:
		return jobState{job: j, ended: *j.EndedAt, reason: j.EndReason}
	case !now.Before(j.EndsAt):
		return jobState{job: j, ended: j.EndsAt, reason: j.Failure, byItself: true}
	}
	return jobState{job: j, running: true}
}

// ok reports whether the job ended by itself, well.
func (st jobState) ok() bool { return st.byItself && st.reason == "" }

// api is the job as the API shows it at now: ended_at and end_reason only
// once it has ended (end_reason only when it did not end well).
func (st jobState) api(now time.Time) generated.Job {
	out := generated.Job{ID: st.ID, Source: st.Source, Description: st.Description, StartedAt: ptr(jobTime(st.StartedAt))}
	if st.running {
		out.LastSeenAt = ptr(jobTime(now))
		return out
	}
	out.EndedAt = ptr(jobTime(st.ended))
	out.LastSeenAt = out.EndedAt
	if st.reason != "" {
		out.EndReason = ptr(st.reason)
	}
	return out
}

// logsAt are the job's log lines written by now.
func (j job) logsAt(now time.Time) []generated.JobLog {
	out := []generated.JobLog{}
	for i, l := range j.Logs {
		if l.At.After(now) {
			break
		}
		out = append(out, generated.JobLog{ID: i + 1, Message: l.Message, MessageType: l.Type, CreatedAt: float64(l.At.UnixMilli())})
	}
	return out
}

// jobTime is how a job's times are written: RFC 3339, UTC, milliseconds
// (the spec gives them no format).
func jobTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// jobsOf returns the jobs of an instance, oldest first.
func (s *store) jobsOf(tx *tx, in instance) []job {
	var out []job
	for _, j := range s.jobs.rows(tx, in.Account) {
		if j.Namespace == in.Namespace && j.Instance == in.ID {
			out = append(out, j)
		}
	}
	return out
}

// instanceView derives an instance's status and last activity from its
// jobs at now: the status of the last job that ended by itself (active
// when well, error when not; waiting before any), and the start of its
// latest job.
func (s *store) instanceView(tx *tx, in instance, now time.Time) instanceView {
	v := instanceView{status: StatusWaiting}
	var last time.Time
	for _, j := range s.jobsOf(tx, in) {
		st := jobAt(j, now)
		if j.StartedAt.After(now) {
			continue // a seeded job of the future has not happened yet
		}
		v.lastActivity = ptr(j.StartedAt)
		if st.byItself && !st.ended.Before(last) {
			last = st.ended
			v.status = StatusError
			if st.ok() {
				v.status = StatusActive
			}
		}
	}
	return v
}

// startJob starts a job on in at now, unless the instance has built-in
// storage (no jobs) or its previous job started less than jobCooldown ago
// (7020). A job still running ends: a new job has started. The outcome is
// fixed now, from the instance's service credential.
func (s *store) startJob(tx *tx, in instance, src generated.JobSource, description *string, now time.Time, run jobRun) (job, error) {
	if in.Type == "" {
		return job{}, errBuiltinHasNoJobs
	}
	prev := s.jobsOf(tx, in)
	if n := len(prev); n > 0 {
		if wait := prev[n-1].StartedAt.Add(jobCooldown).Sub(now); wait > 0 {
			return job{}, cooldown(int((wait + time.Second - 1) / time.Second))
		}
	}
	for _, p := range prev {
		if jobAt(p, now).running {
			s.jobs.put(tx, p.endEarly(now, EndReasonNewJob, jobSupersededMessage))
		}
	}
	j := job{Account: in.Account, Namespace: in.Namespace, Instance: in.ID, Source: src, Description: description, StartedAt: now}
	for j.ID == "" || s.hasJob(tx, in, j.ID) {
		j.ID = s.newUUID()
	}
	j.plan(s.serviceCredential(tx, in, now, run.propagation), now, run.duration)
	s.jobs.put(tx, j)
	return j, nil
}

func (s *store) hasJob(tx *tx, in instance, id string) bool {
	_, ok := s.jobs.get(tx, in.Account, jobRowID(in.Namespace, in.ID, id))
	return ok
}

// plan writes the job's course: a working credential runs for duration
// and ends well; a dead one ends the job at once, naming its cause.
func (j *job) plan(c credentialCheck, now time.Time, duration time.Duration) {
	j.Logs = []jobLog{{Message: jobIndexingStarted, Type: LogInfo, At: now}}
	if c.registrationID != "" {
		j.Logs = append(j.Logs, jobLog{Message: fmt.Sprintf("Using service token %s (Cloudflare API token %s)", c.registrationID, c.cfAPIID), Type: LogInfo, At: now})
	}
	if c.failure != nil {
		j.EndsAt, j.Failure = now, c.failure.reason
		j.Logs = append(j.Logs, jobLog{Message: c.message(), Type: LogError, At: now})
		return
	}
	j.EndsAt = now.Add(duration)
	j.Logs = append(j.Logs, jobLog{Message: jobIndexingFinished, Type: LogInfo, At: j.EndsAt})
}

// endEarly is the job ended at now for reason: the planned lines after now
// are dropped and message logged.
func (j job) endEarly(now time.Time, reason, message string) job {
	kept := slices.DeleteFunc(slices.Clone(j.Logs), func(l jobLog) bool { return l.At.After(now) })
	j.Logs = append(kept, jobLog{Message: message, Type: LogWarning, At: now})
	j.EndedAt, j.EndReason = ptr(now), reason
	return j
}

// cancelJob ends a running job now (end_reason cancelled); one that has
// ended cannot be cancelled (7046).
func (s *store) cancelJob(tx *tx, j job, now time.Time) (job, error) {
	if !jobAt(j, now).running {
		return job{}, errJobCannotBeCancelled
	}
	j = j.endEarly(now, EndReasonCancelled, jobCancelledMessage)
	s.jobs.put(tx, j)
	return j, nil
}

// The job operations: the account-level ones address the namespace
// "default" (see instanceRef).

// findJob is the job a job operation names: the instance's errors, then
// 404 7021.
func (s *store) findJob(tx *tx, ref instanceRef, jobID string) (job, error) {
	in, err := s.findInstance(tx, ref)
	if err != nil {
		return job{}, err
	}
	j, ok := s.jobs.get(tx, in.Account, jobRowID(in.Namespace, in.ID, jobID))
	if !ok {
		return job{}, errJobNotFound
	}
	return j, nil
}

// jobRun is how a job runs: how long when its credential works, and how
// long a newly minted token takes to reach AI Search (WithPropagationDelay).
type jobRun struct{ duration, propagation time.Duration }

// jobPages: a per_page of 0 (allowed by the spec) means the default.
var (
	jobPages    = pageRule{perPage: 20, minPerPage: 1, maxPerPage: 50, underMin: 20}
	jobLogPages = pageRule{perPage: 20, minPerPage: 1, maxPerPage: 500, underMin: 20}
)

func (h *handlers) listJobs(ref instanceRef, page, perPage *int) (generated.JobListEnvelope, error) {
	now := h.timestamp()
	var out []generated.Job
	var info generated.ResultInfo
	var err error
	h.store.view(func(tx *tx) {
		var in instance
		if in, err = h.store.findInstance(tx, ref); err != nil {
			return
		}
		jobs := h.store.jobsOf(tx, in)
		var rows []job
		rows, info = paginate(jobPages, page, perPage, func(yield func(job) bool) {
			for i := len(jobs) - 1; i >= 0; i-- { // newest first
				if !yield(jobs[i]) {
					return
				}
			}
		})
		out = make([]generated.Job, len(rows))
		for i, j := range rows {
			out[i] = jobAt(j, now).api(now)
		}
	})
	return generated.JobListEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: out, ResultInfo: info}, err
}

func (h *handlers) createJob(ref instanceRef, body *generated.JobCreate) (generated.JobEnvelope, error) {
	now := h.timestamp()
	var description *string
	if body != nil {
		description = body.Description
	}
	var j job
	err := h.store.update(func(tx *tx) error {
		in, err := h.store.findInstance(tx, ref)
		if err != nil {
			return err
		}
		j, err = h.store.startJob(tx, in, generated.JobSourceUser, description, now, jobRun{h.cfg.jobDuration, h.propagation})
		return err
	})
	return jobEnvelope(jobAt(j, now).api(now)), err
}

func (h *handlers) getJob(ref instanceRef, jobID string) (generated.JobEnvelope, error) {
	now := h.timestamp()
	var j job
	var err error
	h.store.view(func(tx *tx) { j, err = h.store.findJob(tx, ref, jobID) })
	return jobEnvelope(jobAt(j, now).api(now)), err
}

// errNotCancel refuses a job status change other than a cancel (what the
// spec's enum says, checked here too for validation off).
var errNotCancel = apiError{status: http.StatusBadRequest, code: CodeValidation, message: `action: must be "cancel"`, path: []string{"body", "action"}}

func (h *handlers) cancelJob(ref instanceRef, jobID string, body *generated.JobCancel) (generated.JobEnvelope, error) {
	if body == nil || body.Action != generated.JobActionCancel {
		return generated.JobEnvelope{}, errNotCancel
	}
	now := h.timestamp()
	var j job
	err := h.store.update(func(tx *tx) (err error) {
		if j, err = h.store.findJob(tx, ref, jobID); err != nil {
			return err
		}
		j, err = h.store.cancelJob(tx, j, now)
		return err
	})
	return jobEnvelope(jobAt(j, now).api(now)), err
}

func (h *handlers) listJobLogs(ref instanceRef, jobID string, page, perPage *int) (generated.JobLogListEnvelope, error) {
	now := h.timestamp()
	var out []generated.JobLog
	var info generated.ResultInfo
	var err error
	h.store.view(func(tx *tx) {
		var j job
		if j, err = h.store.findJob(tx, ref, jobID); err != nil {
			return
		}
		out, info = paginate(jobLogPages, page, perPage, slices.Values(j.logsAt(now)))
	})
	return generated.JobLogListEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: out, ResultInfo: info}, err
}

func jobEnvelope(j generated.Job) generated.JobEnvelope {
	return generated.JobEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: j}
}

func (h *handlers) ListJobs(_ context.Context, req generated.ListJobsRequestObject) (generated.ListJobsResponseObject, error) {
	env, err := h.listJobs(accountRef(req.AccountID, req.ID), req.Params.Page, req.Params.PerPage)
	return respond[generated.ListJobsResponseObject](generated.ListJobs200JSONResponse(env), err)
}

func (h *handlers) CreateJob(_ context.Context, req generated.CreateJobRequestObject) (generated.CreateJobResponseObject, error) {
	env, err := h.createJob(accountRef(req.AccountID, req.ID), req.Body)
	return respond[generated.CreateJobResponseObject](generated.CreateJob200JSONResponse(env), err)
}

func (h *handlers) GetJob(_ context.Context, req generated.GetJobRequestObject) (generated.GetJobResponseObject, error) {
	env, err := h.getJob(accountRef(req.AccountID, req.ID), req.JobID)
	return respond[generated.GetJobResponseObject](generated.GetJob200JSONResponse(env), err)
}

func (h *handlers) CancelJob(_ context.Context, req generated.CancelJobRequestObject) (generated.CancelJobResponseObject, error) {
	env, err := h.cancelJob(accountRef(req.AccountID, req.ID), req.JobID, req.Body)
	return respond[generated.CancelJobResponseObject](generated.CancelJob200JSONResponse(env), err)
}

func (h *handlers) ListJobLogs(_ context.Context, req generated.ListJobLogsRequestObject) (generated.ListJobLogsResponseObject, error) {
	env, err := h.listJobLogs(accountRef(req.AccountID, req.ID), req.JobID, req.Params.Page, req.Params.PerPage)
	return respond[generated.ListJobLogsResponseObject](generated.ListJobLogs200JSONResponse(env), err)
}

func (h *handlers) ListNamespaceJobs(_ context.Context, req generated.ListNamespaceJobsRequestObject) (generated.ListNamespaceJobsResponseObject, error) {
	env, err := h.listJobs(instanceRef{req.AccountID, req.Name, req.ID}, req.Params.Page, req.Params.PerPage)
	return respond[generated.ListNamespaceJobsResponseObject](generated.ListNamespaceJobs200JSONResponse(env), err)
}

func (h *handlers) CreateNamespaceJob(_ context.Context, req generated.CreateNamespaceJobRequestObject) (generated.CreateNamespaceJobResponseObject, error) {
	env, err := h.createJob(instanceRef{req.AccountID, req.Name, req.ID}, req.Body)
	return respond[generated.CreateNamespaceJobResponseObject](generated.CreateNamespaceJob200JSONResponse(env), err)
}

func (h *handlers) GetNamespaceJob(_ context.Context, req generated.GetNamespaceJobRequestObject) (generated.GetNamespaceJobResponseObject, error) {
	env, err := h.getJob(instanceRef{req.AccountID, req.Name, req.ID}, req.JobID)
	return respond[generated.GetNamespaceJobResponseObject](generated.GetNamespaceJob200JSONResponse(env), err)
}

func (h *handlers) CancelNamespaceJob(_ context.Context, req generated.CancelNamespaceJobRequestObject) (generated.CancelNamespaceJobResponseObject, error) {
	env, err := h.cancelJob(instanceRef{req.AccountID, req.Name, req.ID}, req.JobID, req.Body)
	return respond[generated.CancelNamespaceJobResponseObject](generated.CancelNamespaceJob200JSONResponse(env), err)
}

func (h *handlers) ListNamespaceJobLogs(_ context.Context, req generated.ListNamespaceJobLogsRequestObject) (generated.ListNamespaceJobLogsResponseObject, error) {
	env, err := h.listJobLogs(instanceRef{req.AccountID, req.Name, req.ID}, req.JobID, req.Params.Page, req.Params.PerPage)
	return respond[generated.ListNamespaceJobLogsResponseObject](generated.ListNamespaceJobLogs200JSONResponse(env), err)
}
