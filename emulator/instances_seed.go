package emulator

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// Seeding and creating AI Search namespaces, instances and jobs from Go or
// the seed file (SeedAccount's namespaces, instances and jobs). They go
// through the same store functions as the API, so the same rules hold (an
// id's alphabet, a namespace that exists, a token_id naming a registration
// of the account...), and fail with the same codes.

// SeedNamespace is a namespace to preload.
type SeedNamespace struct {
	Name        string    `json:"name"`                  // required: 1 to 64 of a-z, 0-9, '-' and '_'; not "default"
	Description *string   `json:"description,omitempty"` // at most 256 characters
	CreatedAt   time.Time `json:"created_at,omitzero"`   // default now
}

// SeedInstance is an instance to preload (seed file) or create
// (CreateInstance).
type SeedInstance struct {
	Namespace string `json:"namespace,omitempty"` // default "default"
	ID        string `json:"id"`                  // required: 1 to 64 of a-z, 0-9, '-' and '_'
	Type      string `json:"type,omitempty"`      // "r2", "web-crawler", or "" for built-in storage (no jobs)
	Source    string `json:"source,omitempty"`    // required with a type: the bucket or the website
	// TokenID names a registration of the account; "" takes the account's
	// oldest enabled registration (an instance with a type needs one).
	TokenID   string    `json:"token_id,omitempty"`
	Paused    bool      `json:"paused,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"` // default now
	// Settings are further fields of a create body (models, chunking,
	// caching...); its id, type, source and token_id are ignored.
	Settings *generated.InstanceCreate `json:"settings,omitempty"`
}

// SeedJob is an indexing job to preload, oldest first for each instance.
// Without ended_at it runs as a job started at started_at does (its
// outcome judged from the credential when seeded); with ended_at it is
// history: it ended well when end_reason is "", else with end_reason.
type SeedJob struct {
	Namespace   string    `json:"namespace,omitempty"` // default "default"
	Instance    string    `json:"instance"`            // required; the instance must have a type
	ID          string    `json:"id,omitempty"`        // default a fresh uuid
	Source      string    `json:"source,omitempty"`    // "user" (default) or "schedule"
	Description *string   `json:"description,omitempty"`
	StartedAt   time.Time `json:"started_at,omitzero"` // default now
	EndedAt     time.Time `json:"ended_at,omitzero"`
	EndReason   string    `json:"end_reason,omitempty"`
}

// Namespace is a stored namespace as tests inspect it.
type Namespace struct {
	AccountID   string
	Name        string
	Description string
	CreatedAt   time.Time
	Instances   []string // the ids of its instances, in creation order
}

// Job is an indexing job as tests inspect it: how it ran and how it ended.
type Job struct {
	AccountID, Namespace, InstanceID, ID string
	Source                               string // "user" or "schedule"
	Description                          string
	StartedAt                            time.Time
	Running                              bool
	EndedAt                              time.Time // zero while running
	// EndReason is why it ended: "" while it runs or when it ended well;
	// EndReasonCancelled, EndReasonNewJob, or a credential's cause
	// (EndReasonTokenDeleted...).
	EndReason string
	// Err is the cause of a failure (errors.Is: ErrAPITokenDeleted,
	// ErrValueRolled, ErrPermissionMissing...), nil otherwise.
	Err  error
	Logs []JobLog // the lines written so far
}

// EndedWell reports whether the job has ended, well.
func (j Job) EndedWell() bool { return !j.Running && j.EndReason == "" }

// JobLog is one log line of a job.
type JobLog struct {
	Message string
	Type    int // LogInfo, LogWarning or LogError
	At      time.Time
}

// SeedAccount loads an account's part of a seed file, in order: its
// registrations (Seed), namespaces, instances and jobs. The first error
// stops it; what came before stays.
func (s *Server) SeedAccount(accountID string, a SeedAccount) error {
	return s.seedAccount(s.store.update, accountID, a)
}

func (s *Server) seedAccount(update txRunner, accountID string, a SeedAccount) error {
	if err := s.seed(update, accountID, a.Tokens); err != nil {
		return err
	}
	for _, n := range a.Namespaces {
		if err := s.seedNamespace(update, accountID, n); err != nil {
			return fmt.Errorf("emulator: seed %s namespace %q: %w", accountID, n.Name, err)
		}
	}
	for _, in := range a.Instances {
		if _, err := s.createInstance(update, accountID, in); err != nil {
			return err
		}
	}
	for _, j := range a.Jobs {
		if err := s.seedJob(update, accountID, j); err != nil {
			return fmt.Errorf("emulator: seed %s job of %q: %w", accountID, j.Instance, err)
		}
	}
	return nil
}

func (s *Server) seedNamespace(update txRunner, accountID string, n SeedNamespace) error {
	row := namespace{Account: accountID, Name: n.Name, Description: n.Description, CreatedAt: s.seedTime(n.CreatedAt)}
	if n.Description != nil && len(*n.Description) > 256 {
		return fmt.Errorf("%w: description longer than 256 characters", ErrInvalid)
	}
	return update(func(tx *tx) error { _, err := s.store.createNamespace(tx, row, math.MaxInt); return err })
}

// seedTime is t, or now when t is zero, as aiSearchTime.
func (s *Server) seedTime(t time.Time) time.Time {
	if t.IsZero() {
		t = s.cfg.clock()
	}
	return aiSearchTime(t)
}

// CreateInstance creates an AI Search instance as the API does (same
// defaults, rules and limit), with the settings given, and returns it.
func (s *Server) CreateInstance(accountID string, in SeedInstance) (Instance, error) {
	return s.createInstance(s.store.update, accountID, in)
}

func (s *Server) createInstance(update txRunner, accountID string, in SeedInstance) (Instance, error) {
	ns := in.Namespace
	if ns == "" {
		ns = defaultNamespace
	}
	now := s.seedTime(in.CreatedAt)
	row := newInstance(accountID, ns, in.ID, now)
	if in.Settings != nil {
		row.setCreate(*in.Settings)
	}
	row.Type, row.Paused = generated.InstanceType(in.Type), in.Paused
	if in.Source != "" {
		row.Source = ptr(in.Source)
	}
	var tokenID *string
	if in.TokenID != "" {
		tokenID = &in.TokenID
	}
	var out Instance
	err := update(func(tx *tx) (err error) {
		if row, err = s.store.createInstance(tx, row, tokenID, s.cfg.aiSearch.maxInstances); err == nil {
			out = s.store.inspectInstance(tx, row, s.cfg.clock())
		}
		return err
	})
	if err != nil {
		return Instance{}, fmt.Errorf("emulator: instance %s/%s: %w", ns, in.ID, describe(err))
	}
	return out, nil
}

// describe turns an API answer into an error that says its code.
func describe(err error) error {
	var aerr apiError
	if errors.As(err, &aerr) {
		return fmt.Errorf("%s (%d, code %d)", aerr.message, aerr.status, aerr.code)
	}
	return err
}

func (s *Server) seedJob(update txRunner, accountID string, sj SeedJob) error {
	ns := sj.Namespace
	if ns == "" {
		ns = defaultNamespace
	}
	src := generated.JobSource(sj.Source)
	if sj.Source == "" {
		src = generated.JobSourceUser
	}
	if !src.Valid() {
		return fmt.Errorf("%w: source %q is not user or schedule", ErrInvalid, sj.Source)
	}
	start := s.seedTime(sj.StartedAt)
	return update(func(tx *tx) error {
		in, err := s.store.findInstance(tx, instanceRef{accountID, ns, sj.Instance})
		if err != nil {
			return describe(err)
		}
		if in.Type == "" {
			return describe(errBuiltinHasNoJobs)
		}
		j := job{Account: accountID, Namespace: ns, Instance: in.ID, ID: sj.ID, Source: src, Description: sj.Description, StartedAt: start}
		if j.ID == "" {
			j.ID = s.store.newUUID()
		}
		if s.store.hasJob(tx, in, j.ID) {
			return fmt.Errorf("%w: job id %s", ErrExists, j.ID)
		}
		switch end := aiSearchTime(sj.EndedAt); {
		case sj.EndedAt.IsZero():
			j.plan(s.store.serviceCredential(tx, in, start, s.cfg.propagation), start, s.cfg.aiSearch.jobDuration)
		case end.Before(start):
			return fmt.Errorf("%w: ended_at before started_at", ErrInvalid)
		default:
			j.history(end, sj.EndReason)
		}
		s.store.jobs.put(tx, j)
		return nil
	})
}

// history makes j a job that ended at end for reason ("" for well).
func (j *job) history(end time.Time, reason string) {
	j.Logs = []jobLog{{Message: jobIndexingStarted, Type: LogInfo, At: j.StartedAt}}
	switch reason {
	case "":
		j.Logs = append(j.Logs, jobLog{Message: jobIndexingFinished, Type: LogInfo, At: end})
	case EndReasonCancelled, EndReasonNewJob:
		j.EndsAt = end
		*j = j.endEarly(end, reason, map[string]string{EndReasonCancelled: jobCancelledMessage, EndReasonNewJob: jobSupersededMessage}[reason])
		return
	default:
		j.Logs = append(j.Logs, jobLog{Message: "Indexing failed: " + reason, Type: LogError, At: end})
	}
	j.EndsAt, j.Failure = end, reason
}

// StartJob starts an indexing job on an instance as the API does (a type
// needed, the cooldown applied); it runs WithJobDuration on the emulator's
// clock when its credential works.
func (s *Server) StartJob(accountID, namespace, instanceID string) (Job, error) {
	return s.startJob(accountID, namespace, instanceID, jobRun{s.cfg.aiSearch.jobDuration, s.cfg.propagation})
}

// RunJob starts an indexing job as StartJob does, but one that takes no
// time: it has ended when RunJob returns, and the Job says how.
func (s *Server) RunJob(accountID, namespace, instanceID string) (Job, error) {
	return s.startJob(accountID, namespace, instanceID, jobRun{0, s.cfg.propagation})
}

func (s *Server) startJob(accountID, namespace, instanceID string, run jobRun) (Job, error) {
	now := s.seedTime(time.Time{})
	var out Job
	err := s.store.update(func(tx *tx) error {
		in, err := s.store.findInstance(tx, instanceRef{accountID, namespace, instanceID})
		if err != nil {
			return err
		}
		j, err := s.store.startJob(tx, in, generated.JobSourceUser, nil, now, run)
		out = inspectJob(j, now)
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("emulator: job on %s/%s: %w", namespace, instanceID, describe(err))
	}
	return out, nil
}

// Jobs returns an instance's jobs, oldest first, as they are now (empty,
// not nil, for none or no such instance).
func (s *Server) Jobs(accountID, namespace, instanceID string) []Job {
	out := []Job{}
	now := s.cfg.clock()
	s.store.view(func(tx *tx) {
		in, ok := s.store.getInstance(tx, accountID, namespace, instanceID)
		if !ok {
			return
		}
		for _, j := range s.store.jobsOf(tx, in) {
			out = append(out, inspectJob(j, now))
		}
	})
	return out
}

// Job returns one job of an instance as it is now.
func (s *Server) Job(accountID, namespace, instanceID, jobID string) (Job, error) {
	now := s.cfg.clock()
	var j job
	var err error
	s.store.view(func(tx *tx) { j, err = s.store.findJob(tx, instanceRef{accountID, namespace, instanceID}, jobID) })
	if err != nil {
		return Job{}, fmt.Errorf("emulator: job %s of %s/%s: %w", jobID, namespace, instanceID, describe(err))
	}
	return inspectJob(j, now), nil
}

func inspectJob(j job, now time.Time) Job {
	st := jobAt(j, now)
	out := Job{
		AccountID: j.Account, Namespace: j.Namespace, InstanceID: j.Instance, ID: j.ID, Source: string(j.Source),
		StartedAt: j.StartedAt, Running: st.running, EndedAt: st.ended, EndReason: st.reason,
	}
	if j.Description != nil {
		out.Description = *j.Description
	}
	if st.byItself && st.reason != "" {
		out.Err = errors.New(st.reason)
		if f := failureByReason(st.reason); f != nil {
			out.Err = f.err
		}
	}
	for _, l := range j.Logs {
		if !l.At.After(now) {
			out.Logs = append(out.Logs, JobLog(l))
		}
	}
	return out
}

// Namespaces returns the account's namespaces, "default" first, then in
// creation order.
func (s *Server) Namespaces(accountID string) []Namespace {
	now := s.seedTime(time.Time{})
	var out []Namespace
	s.store.view(func(tx *tx) {
		add := func(n namespace) {
			ns := Namespace{AccountID: accountID, Name: n.Name, CreatedAt: n.CreatedAt, Instances: []string{}}
			if n.Description != nil {
				ns.Description = *n.Description
			}
			for _, in := range s.store.instancesIn(tx, accountID, n.Name) {
				ns.Instances = append(ns.Instances, in.ID)
			}
			out = append(out, ns)
		}
		def, _ := s.store.getNamespace(tx, accountID, defaultNamespace, now)
		add(def)
		for name, n := range s.store.namespaces.rows(tx, accountID) {
			if name != defaultNamespace {
				add(n)
			}
		}
	})
	return out
}

// checkAISearch is what ParseSeed can check of an account's namespaces,
// instances and jobs without a store (the rest is checked as they load).
func (a SeedAccount) checkAISearch() error {
	namespaces := map[string]bool{defaultNamespace: true}
	for i, n := range a.Namespaces {
		switch {
		case !validInstanceID(n.Name):
			return fmt.Errorf("%w: namespace %d: name %q: 1 to 64 of a-z, 0-9, '-' and '_'", ErrInvalid, i, n.Name)
		case namespaces[n.Name]:
			return fmt.Errorf("%w: namespace %d: %q exists", ErrInvalid, i, n.Name)
		}
		namespaces[n.Name] = true
	}
	instances := map[string]string{} // namespace/id → type
	for i, in := range a.Instances {
		ns := cmp.Or(in.Namespace, defaultNamespace)
		switch key := instanceRowID(ns, in.ID); {
		case !validInstanceID(in.ID):
			return fmt.Errorf("%w: instance %d: id %q: 1 to 64 of a-z, 0-9, '-' and '_'", ErrInvalid, i, in.ID)
		case !namespaces[ns]:
			return fmt.Errorf("%w: instance %d: no namespace %q", ErrInvalid, i, ns)
		case in.Type != "" && !generated.InstanceType(in.Type).Valid():
			return fmt.Errorf("%w: instance %d: type %q is not r2 or web-crawler", ErrInvalid, i, in.Type)
		case in.Type != "" && in.Source == "":
			return fmt.Errorf("%w: instance %d: a type needs a source", ErrInvalid, i)
		case in.TokenID != "" && !slices.ContainsFunc(a.Tokens, func(t SeedToken) bool { return t.ID == in.TokenID }):
			return fmt.Errorf("%w: instance %d: token_id %s names no registration of the account", ErrInvalid, i, in.TokenID)
		default:
			if _, dup := instances[key]; dup {
				return fmt.Errorf("%w: instance %d: %s exists", ErrInvalid, i, key)
			}
			instances[key] = in.Type
		}
	}
	for i, j := range a.Jobs {
		typ, ok := instances[instanceRowID(cmp.Or(j.Namespace, defaultNamespace), j.Instance)]
		switch {
		case !ok:
			return fmt.Errorf("%w: job %d: no instance %q", ErrInvalid, i, j.Instance)
		case typ == "":
			return fmt.Errorf("%w: job %d: instance %q has built-in storage and no jobs", ErrInvalid, i, j.Instance)
		case j.Source != "" && !generated.JobSource(j.Source).Valid():
			return fmt.Errorf("%w: job %d: source %q is not user or schedule", ErrInvalid, i, j.Source)
		case j.EndReason != "" && j.EndedAt.IsZero():
			return fmt.Errorf("%w: job %d: end_reason without ended_at", ErrInvalid, i)
		}
	}
	return nil
}
