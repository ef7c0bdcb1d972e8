package aisearch_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// jobsEnv is an emulator whose jobs run on a clock that only the client's
// waits move: its retry policy's Sleep advances the clock, so waiting out
// a cooldown or a running job costs no real time.
type jobsEnv struct {
	ts    *emulator.TestServer
	c     *aisearch.Client
	clock *testsupport.Clock
}

func newJobsEnv(t *testing.T, opts ...emulator.Option) *jobsEnv {
	t.Helper()
	e := &jobsEnv{clock: newClock()}
	e.ts = newEmulator(t, append([]emulator.Option{emulator.WithClock(e.clock.Now)}, opts...)...)
	e.c, _ = newTestClient(t, e.ts.BaseURL, aisearch.WithRetryPolicy(clockPolicy(e.clock)), aisearch.WithClock(e.clock.Now))
	return e
}

// runJob starts a job on instance id of ns and waits for its end.
func (e *jobsEnv) runJob(t *testing.T, ns, id string) aisearch.Job {
	t.Helper()
	ctx := context.Background()
	in := e.c.Instances(ns)
	j, err := in.StartJob(ctx, id, "test")
	if err != nil {
		t.Fatalf("StartJob: %v", err)
	}
	if j, err = in.WaitJob(ctx, id, j.ID, time.Minute); err != nil {
		t.Fatalf("WaitJob: %v", err)
	}
	if j.Running || j.Instance != id || j.Namespace != in.Namespace() || j.Source != "user" || j.StartedAt.IsZero() || j.EndedAt.IsZero() {
		t.Fatalf("job as it ended: %+v", j)
	}
	return j
}

// The acceptance test of issue 19, through the client: for each of the six
// ways a service credential dies, a job on an instance that uses it ends
// with a failure that names the cause, Check names that instance (and with
// LastJobs that failure), and after Rotate the instance still names the
// same registration and its next job ends well. Half the cases let Rotate
// prove the switch with a job of its own. No test sleeps: the waits move
// the emulator's clock.
func TestEachDeathNamesTheInstanceAndRotateRepairsIt(t *testing.T) {
	t.Parallel()
	const other = "0123456789abcdef0123456789abcdef"
	policy := func(account string, groups ...string) aisearch.APITokenParams {
		var pg []aisearch.PermissionGroup
		for _, g := range groups {
			pg = append(pg, aisearch.PermissionGroup{ID: g})
		}
		return aisearch.APITokenParams{Name: "edited", Policies: []aisearch.Policy{{Effect: "allow", PermissionGroups: pg,
			Resources: map[string]any{aisearch.AccountResource(account): "*"}}}}
	}
	for _, c := range []struct {
		name    string
		kill    func(t *testing.T, e *jobsEnv, tokID string) error
		reason  string // the job's end_reason
		says    string // in the failing log line
		problem aisearch.ProblemKind
		prove   bool // Rotate proves the switch
	}{
		{"deleted", func(_ *testing.T, e *jobsEnv, id string) error {
			return e.c.APITokens(aisearch.OwnerUser).Delete(context.Background(), id)
		}, emulator.EndReasonTokenDeleted, "no longer exists", aisearch.ProblemGone, false},
		{"disabled", func(_ *testing.T, e *jobsEnv, id string) error {
			e.ts.DisableAPIToken(id)
			return nil
		}, emulator.EndReasonTokenDisabled, "is disabled", aisearch.ProblemDisabled, true},
		{"expired", func(_ *testing.T, e *jobsEnv, id string) error {
			e.ts.ExpireAPIToken(id, e.clock.Now())
			return nil
		}, emulator.EndReasonTokenExpired, "expired at", aisearch.ProblemExpired, false},
		{"value rolled in place", func(_ *testing.T, e *jobsEnv, id string) error {
			_, err := e.c.APITokens(aisearch.OwnerUser).Roll(context.Background(), id)
			return err
		}, emulator.EndReasonValueRolled, "was rolled; update the registration", aisearch.ProblemChangedAfterRegistration, true},
		{"permission group missing", func(_ *testing.T, e *jobsEnv, id string) error {
			_, err := e.c.APITokens(aisearch.OwnerUser).Update(context.Background(), id, policy(fakeAccount, aisearch.PermissionAISearchIndexEngine))
			return err
		}, emulator.EndReasonMissingPermission, `lacks permission group "Workers R2 Storage Write"`, aisearch.ProblemMissingPermission, false},
		{"token of another account", func(_ *testing.T, e *jobsEnv, id string) error {
			_, err := e.c.APITokens(aisearch.OwnerUser).Update(context.Background(), id, policy(other, aisearch.ServiceTokenPermissions()...))
			return err
		}, emulator.EndReasonWrongAccount, "has no access to account " + fakeAccount, aisearch.ProblemOtherAccount, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newJobsEnv(t)
			ctx := context.Background()
			p := provision(t, e.c)
			reg := p.Registration.ID
			docs := e.c.Instances("")
			if in, err := docs.Create(ctx, aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "docs-bucket", TokenID: reg}); err != nil || in.TokenID != reg || in.Status != "waiting" || in.Namespace != "default" {
				t.Fatalf("Create: %+v, %v", in, err)
			}
			if j := e.runJob(t, "", "docs"); !j.EndedWell() {
				t.Fatalf("with a working credential the job ended with %q", j.EndReason)
			}

			if err := c.kill(t, e, p.APIToken.ID); err != nil {
				t.Fatal(err)
			}
			// The next job, 30 s later (StartJob's retry waits out the cooldown).
			j := e.runJob(t, "", "docs")
			if j.EndedWell() || j.EndReason != c.reason {
				t.Fatalf("on a dead credential the job ended with %q, want %q", j.EndReason, c.reason)
			}
			logs, err := docs.JobLogs(ctx, "docs", j.ID, aisearch.JobListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			last := logs.Logs[len(logs.Logs)-1]
			if last.MessageType != aisearch.JobLogError || !strings.Contains(last.Message, c.says) || !strings.Contains(last.Message, reg) {
				t.Fatalf("the failing log line %+v does not name %q and the registration", last, c.says)
			}

			hs, err := e.c.Check(ctx, aisearch.CheckOptions{LastJobs: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(hs) != 1 || !hs[0].Has(c.problem) || !slices.Equal(hs[0].InstanceNames(), []string{"docs"}) {
				t.Fatalf("Check: %+v, want %s naming instance docs", hs, c.problem)
			}
			use := hs[0].Instances[0]
			if use.LastJob == nil || use.LastJob.ID != j.ID || use.LastJob.EndReason != c.reason || use.LastFailure != last.Message || use.Instance.Status != "error" {
				t.Fatalf("Check's instance: %+v (last job %+v), want the failed job %s", use, use.LastJob, j.ID)
			}

			rot, err := e.c.Rotate(ctx, reg, aisearch.ServiceTokenOptions{ProveWithJob: c.prove})
			if err != nil {
				t.Fatalf("Rotate: %v", err)
			}
			switch {
			case rot.Registration.ID != reg:
				t.Fatalf("Rotate changed the registration: %+v", rot)
			case !c.prove && rot.Proof != nil:
				t.Fatalf("Rotate ran a job unasked: %+v", rot.Proof)
			case c.prove && (rot.Proof == nil || rot.Proof.Instance.ID != "docs" || !rot.Proof.Job.EndedWell() || rot.Proof.Failure != ""):
				t.Fatalf("Rotate's proof: %+v", rot.Proof)
			}
			if in, err := docs.Get(ctx, "docs"); err != nil || in.TokenID != reg {
				t.Fatalf("after Rotate the instance names %q (%v), want %s", in.TokenID, err, reg)
			}
			if j := e.runJob(t, "", "docs"); !j.EndedWell() {
				t.Fatalf("after Rotate the next job ended with %q", j.EndReason)
			}
			hs, err = e.c.Check(ctx, aisearch.CheckOptions{LastJobs: true})
			if err != nil || !hs[0].Healthy() || !hs[0].Instances[0].LastJob.EndedWell() || hs[0].Instances[0].Instance.Status != "active" {
				t.Fatalf("Check after Rotate: %+v, %v", hs, err)
			}
		})
	}
}

func TestInstancesAndJobs(t *testing.T) {
	t.Parallel()
	e := newJobsEnv(t)
	ctx := context.Background()
	p := provision(t, e.c)
	reg := p.Registration.ID
	def := e.c.Instances(aisearch.DefaultNamespace)
	for _, id := range []string{"a1", "b2", "c3", "d4", "e5"} {
		if _, err := def.Create(ctx, aisearch.InstanceParams{ID: id, Type: "r2", Source: "bucket-" + id, TokenID: reg}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Second) // distinct created_at: the list is newest first
	}
	if _, err := def.Create(ctx, aisearch.InstanceParams{ID: "builtin"}); err != nil {
		t.Fatal(err)
	}
	e.ts.SeedAccount(e.ts.AccountID, emulator.SeedAccount{Namespaces: []emulator.SeedNamespace{{Name: "prod"}, {Name: "empty"}}})
	if _, err := e.c.Instances("prod").Create(ctx, aisearch.InstanceParams{ID: "a1", Type: "web-crawler", Source: "https://example.com"}); err != nil {
		t.Fatal(err)
	}

	t.Run("pages", func(t *testing.T) {
		page, err := def.List(ctx, aisearch.InstanceListOptions{Page: 2, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(page.Instances); !slices.Equal(got, []string{"d4", "c3"}) || page.Info.TotalCount != 6 {
			t.Errorf("page 2 of 2: %v %+v", got, page.Info)
		}
		var all []string
		for in, err := range def.All(ctx, aisearch.InstanceListOptions{PerPage: 4}) {
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, in.Name())
		}
		if want := []string{"builtin", "e5", "d4", "c3", "b2", "a1"}; !slices.Equal(all, want) {
			t.Errorf("All = %v, want %v", all, want)
		}
		for range def.All(ctx, aisearch.InstanceListOptions{PerPage: 1}) {
			break // stops on yield false
		}
		found, err := def.List(ctx, aisearch.InstanceListOptions{Search: "C3"})
		if err != nil || !slices.Equal(names(found.Instances), []string{"c3"}) {
			t.Errorf("search C3: %+v, %v", found, err)
		}
	})

	t.Run("every namespace", func(t *testing.T) {
		var got []string
		for in, err := range e.c.AllInstances(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, in.Name())
		}
		if want := []string{"builtin", "e5", "d4", "c3", "b2", "a1", "prod/a1"}; !slices.Equal(got, want) {
			t.Errorf("AllInstances = %v, want %v", got, want)
		}
		var nss []string
		for ns, err := range e.c.Namespaces.All(ctx, aisearch.NamespaceListOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			nss = append(nss, ns.Name)
		}
		if !slices.Equal(nss, []string{"prod", "empty"}) {
			t.Errorf("namespaces %v", nss)
		}
		n := 0
		for range e.c.AllInstances(ctx) {
			n++
			if n == 6 {
				break
			}
		}
	})

	t.Run("get, the default token_id, delete", func(t *testing.T) {
		in, err := e.c.Instances("prod").Get(ctx, "a1")
		if err != nil || in.Namespace != "prod" || in.Type != "web-crawler" || in.TokenID != reg || !in.HasJobs() || in.Name() != "prod/a1" {
			t.Errorf("Get prod/a1: %+v, %v (a create without token_id takes the account's registration)", in, err)
		}
		b, err := def.Get(ctx, "builtin")
		if err != nil || b.HasJobs() || b.Type != "" {
			t.Errorf("built-in: %+v, %v", b, err)
		}
		gone, err := def.Delete(ctx, "builtin")
		if err != nil || gone.ID != "builtin" {
			t.Fatalf("Delete: %+v, %v", gone, err)
		}
		if _, err := def.Get(ctx, "builtin"); !errors.Is(err, aisearch.ErrNotFound) {
			t.Errorf("Get after Delete: %v", err)
		}
		if _, err := e.c.Instances("nope").Get(ctx, "a1"); !errors.Is(err, aisearch.ErrNotFound) {
			t.Errorf("Get in an unknown namespace: %v", err)
		}
		// The namespaced create answers an unknown namespace with 400 code
		// 7063 (it documents no 404): not found all the same.
		if _, err := e.c.Instances("nope").Create(ctx, aisearch.InstanceParams{ID: "a1"}); !errors.Is(err, aisearch.ErrNotFound) || !strings.Contains(err.Error(), "400") {
			t.Errorf("Create in an unknown namespace: %v", err)
		}
	})

	t.Run("refusals", func(t *testing.T) { // negative pages: TestEveryListRefusesANegativePageBeforeSending
		_, err := def.Create(ctx, aisearch.InstanceParams{ID: "x", Type: "r2", Source: "b", TokenID: "00000000-0000-4000-8000-000000000000"})
		var apiErr *aisearch.APIError
		if !errors.Is(err, aisearch.ErrServiceTokenRejected) || !errors.As(err, &apiErr) || !apiErr.HasCode(aisearch.CodeServiceTokenRejected) {
			t.Errorf("unknown token_id: %v", err)
		}
		if _, err := def.Create(ctx, aisearch.InstanceParams{}); err == nil || !strings.Contains(err.Error(), "empty InstanceParams.ID") {
			t.Errorf("no id: %v", err)
		}
		if _, err := e.c.Instances("a/b").Get(ctx, ".."); err == nil {
			t.Error("a path segment .. was sent")
		}
		if _, err := def.Get(ctx, ".."); err == nil || !strings.Contains(err.Error(), "instance ID") {
			t.Errorf("Get(..): %v", err)
		}
		if _, err := def.JobLogs(ctx, "a1", "", aisearch.JobListOptions{}); err == nil || !strings.Contains(err.Error(), "job ID") {
			t.Errorf("JobLogs without a job: %v", err)
		}
		if _, err := def.StartJob(ctx, "", ""); err == nil {
			t.Error("StartJob without an instance was sent")
		}
		if _, err := def.Job(ctx, "a1", "00000000-0000-4000-8000-000000000000"); !errors.Is(err, aisearch.ErrNotFound) {
			t.Errorf("unknown job: %v", err)
		}
		if _, err := def.ListJobs(ctx, "zz", aisearch.JobListOptions{}); !errors.Is(err, aisearch.ErrNotFound) {
			t.Errorf("jobs of an unknown instance: %v", err)
		}
		if _, err := e.c.Instances("").Create(ctx, aisearch.InstanceParams{ID: "plain"}); err != nil {
			t.Fatal(err)
		}
		if _, err := def.StartJob(ctx, "plain", ""); !errors.Is(err, aisearch.ErrInvalid) {
			t.Errorf("a job on built-in storage: %v", err)
		}
	})

	t.Run("jobs", func(t *testing.T) {
		j, err := def.StartJob(ctx, "a1", "first")
		if err != nil || !j.Running || j.Description != "first" || j.EndedWell() {
			t.Fatalf("StartJob: %+v, %v", j, err)
		}
		// A timeout that runs out first: the job as last seen.
		got, err := def.WaitJob(ctx, "a1", j.ID, time.Second)
		if !errors.Is(err, aisearch.ErrJobRunning) || !got.Running || got.ID != j.ID {
			t.Fatalf("WaitJob with too short a timeout: %+v, %v", got, err)
		}
		if got, err = def.WaitJob(ctx, "a1", j.ID, time.Minute); err != nil || !got.EndedWell() {
			t.Fatalf("WaitJob: %+v, %v", got, err)
		}
		second := e.runJob(t, "", "a1")
		page, err := def.ListJobs(ctx, "a1", aisearch.JobListOptions{PerPage: 1})
		if err != nil || len(page.Jobs) != 1 || page.Jobs[0].ID != second.ID || page.Info.TotalCount != 2 {
			t.Fatalf("ListJobs: %+v, %v", page, err)
		}
		logs, err := def.JobLogs(ctx, "a1", second.ID, aisearch.JobListOptions{Page: 1, PerPage: 10})
		if err != nil || len(logs.Logs) != 3 || logs.Logs[0].Message != "Indexing started" || logs.Logs[2].MessageType != aisearch.JobLogInfo ||
			!logs.Logs[0].CreatedAt.Equal(second.StartedAt) {
			t.Fatalf("JobLogs: %+v, %v", logs, err)
		}
		ctxDone, cancel := context.WithCancel(ctx)
		started, err := e.c.Instances("prod").StartJob(ctx, "a1", "")
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, err := e.c.Instances("prod").WaitJob(ctxDone, "a1", started.ID, time.Minute); !errors.Is(err, context.Canceled) {
			t.Errorf("WaitJob on a cancelled context: %v", err)
		}
	})
}

func names(ins []aisearch.Instance) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Name()
	}
	return out
}

// Check names the instances of every namespace that use each registration,
// and reads last jobs only when asked.
func TestCheckNamesTheInstances(t *testing.T) {
	t.Parallel()
	e := newJobsEnv(t)
	ctx := context.Background()
	p := provision(t, e.c)
	id, key := liveToken(t, e.ts.Server(), "spare")
	spare, err := e.c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: "spare", CfAPIID: id, CfAPIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	e.ts.SeedAccount(e.ts.AccountID, emulator.SeedAccount{Namespaces: []emulator.SeedNamespace{{Name: "prod"}}})
	for _, in := range []struct {
		ns string
		aisearch.InstanceParams
	}{
		{"", aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "b", TokenID: p.Registration.ID}},
		{"prod", aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "b", TokenID: p.Registration.ID}},
		{"prod", aisearch.InstanceParams{ID: "blog", Type: "r2", Source: "b", TokenID: spare.ID}},
		{"", aisearch.InstanceParams{ID: "builtin"}}, // uses the oldest registration too, but has no jobs
	} {
		if _, err := e.c.Instances(in.ns).Create(ctx, in.InstanceParams); err != nil {
			t.Fatal(err)
		}
	}
	e.runJob(t, "prod", "docs")

	hs, err := e.c.Check(ctx, aisearch.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, h := range hs {
		got[h.Registration.ID] = h.InstanceNames()
		for _, u := range h.Instances {
			if u.LastJob != nil {
				t.Errorf("a last job read unasked: %+v", u)
			}
		}
	}
	if want := []string{"builtin", "docs", "prod/docs"}; !slices.Equal(got[p.Registration.ID], want) {
		t.Errorf("instances of the provisioned registration: %v, want %v", got[p.Registration.ID], want)
	}
	if want := []string{"prod/blog"}; !slices.Equal(got[spare.ID], want) {
		t.Errorf("instances of the spare registration: %v, want %v", got[spare.ID], want)
	}

	hs, err = e.c.Check(ctx, aisearch.CheckOptions{LastJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range hs[0].Instances {
		switch u.Instance.Name() {
		case "prod/docs":
			if u.LastJob == nil || !u.LastJob.EndedWell() || u.LastFailure != "" {
				t.Errorf("prod/docs: %+v", u)
			}
		default:
			if u.LastJob != nil {
				t.Errorf("%s has a last job: %+v", u.Instance.Name(), u.LastJob)
			}
		}
	}

	// Instances that cannot be listed: Check could not look.
	e.ts.FailNext(500, 500, 500, 500, 500, 500, 500, 500, 500)
	if _, err := e.c.Check(ctx, aisearch.CheckOptions{}); err == nil {
		t.Error("Check with failing lists succeeded")
	}
}

// The proof fails when the new token cannot index: Rotate says so, after
// rotating.
func TestRotateProofThatFails(t *testing.T) {
	t.Parallel()
	e := newJobsEnv(t)
	ctx := context.Background()
	p := provision(t, e.c)
	reg := p.Registration.ID
	// Nothing uses it: nothing to prove with, and no error.
	rot, err := e.c.Rotate(ctx, reg, aisearch.ServiceTokenOptions{ProveWithJob: true})
	if err != nil || rot.Proof != nil {
		t.Fatalf("Rotate with no instance: %+v, %v", rot.Proof, err)
	}
	if _, err := e.c.Instances("").Create(ctx, aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "b", TokenID: reg}); err != nil {
		t.Fatal(err)
	}
	// A new token without "Workers R2 Storage Write": an R2 job fails.
	rot, err = e.c.Rotate(ctx, reg, aisearch.ServiceTokenOptions{ProveWithJob: true, PermissionGroups: []string{aisearch.PermissionAISearchIndexEngine}})
	if !errors.Is(err, aisearch.ErrProofFailed) || rot.Registration.ID != reg || rot.Proof == nil ||
		rot.Proof.Job.EndReason != emulator.EndReasonMissingPermission || !strings.Contains(rot.Proof.Failure, "Workers R2 Storage Write") ||
		!strings.Contains(err.Error(), "now holds token "+rot.APIToken.ID) || !strings.Contains(err.Error(), rot.Proof.Failure) {
		t.Fatalf("Rotate with a token that cannot index: %+v, %v", rot.Proof, err)
	}
	// Right after a job the instance is in its 30 s cooldown (429, code
	// 7020): the proof waits it out with the retry policy's Sleep, here
	// with no retries in the transport to do it first.
	once, _ := newTestClient(t, e.ts.BaseURL, aisearch.WithClock(e.clock.Now), aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1, Sleep: clockSleep(e.clock)}))
	rot, err = once.Rotate(ctx, reg, aisearch.ServiceTokenOptions{ProveWithJob: true})
	if err != nil || rot.Proof == nil || !rot.Proof.Job.EndedWell() {
		t.Fatalf("Rotate right after a job: %+v, %v", rot.Proof, err)
	}
	// A cooldown longer than the proof's timeout is the 429.
	nowait, _ := newTestClient(t, e.ts.BaseURL, aisearch.WithClock(e.clock.Now), aisearch.WithRetryPolicy(aisearch.NoWaitRetryPolicy()))
	rot, err = nowait.Rotate(ctx, reg, aisearch.ServiceTokenOptions{ProveWithJob: true, ProofTimeout: 45 * time.Second})
	if !errors.Is(err, aisearch.ErrRateLimited) || rot.Proof != nil || rot.Registration.ID != reg || !strings.Contains(err.Error(), "starting a job on instance docs") {
		t.Fatalf("Rotate within the cooldown: %+v, %v", rot.Proof, err)
	}

	// A job that does not end within the proof's timeout.
	slow := newJobsEnv(t, emulator.WithJobDuration(time.Hour))
	p = provision(t, slow.c)
	if _, err := slow.c.Instances("").Create(ctx, aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "b", TokenID: p.Registration.ID}); err != nil {
		t.Fatal(err)
	}
	rot, err = slow.c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{ProveWithJob: true, ProofTimeout: 5 * time.Minute})
	if !errors.Is(err, aisearch.ErrJobRunning) || rot.Proof == nil || !rot.Proof.Job.Running {
		t.Fatalf("Rotate whose proof runs too long: %+v, %v", rot.Proof, err)
	}
}

// Answers without the ids the client keys on are malformed, not empty
// results; a job time that is not RFC 3339 reads as zero.
func TestInstanceAnswersWithoutIDs(t *testing.T) {
	t.Parallel()
	ok := func(result string) http.HandlerFunc {
		return status(200, `{"success":true,"result":`+result+`,"result_info":{"page":1,"per_page":20,"count":1,"total_count":1}}`)
	}
	ctx := context.Background()
	for name, c := range map[string]struct {
		answer http.HandlerFunc
		call   func(c *aisearch.Client) error
	}{
		"instance list": {ok(`[{"id":""}]`), func(c *aisearch.Client) error {
			_, err := c.Instances("").List(ctx, aisearch.InstanceListOptions{})
			return err
		}},
		"instance": {ok(`{"id":""}`), func(c *aisearch.Client) error { _, err := c.Instances("").Get(ctx, "x"); return err }},
		"namespace list": {ok(`[{"name":""}]`), func(c *aisearch.Client) error {
			_, err := c.Namespaces.List(ctx, aisearch.NamespaceListOptions{})
			return err
		}},
		"job list": {ok(`[{"id":"","source":"user"}]`), func(c *aisearch.Client) error {
			_, err := c.Instances("").ListJobs(ctx, "x", aisearch.JobListOptions{})
			return err
		}},
		"job": {ok(`{"id":"","source":"user"}`), func(c *aisearch.Client) error { _, err := c.Instances("").Job(ctx, "x", "j"); return err }},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newScripted(t, c.answer)
			cl, _ := newTestClient(t, s.baseURL())
			if err := c.call(cl); !errors.Is(err, aisearch.ErrMalformedResponse) {
				t.Errorf("%v, want ErrMalformedResponse", err)
			}
		})
	}
	s := newScripted(t, ok(`{"id":"j","source":"schedule","started_at":"yesterday","ended_at":"2026-01-02T03:04:05Z","end_reason":"new_job_has_started"}`))
	cl, _ := newTestClient(t, s.baseURL())
	j, err := cl.Instances("ns").Job(ctx, "x", "j")
	if err != nil || !j.StartedAt.IsZero() || j.Running || j.EndedWell() || j.EndedAt.Year() != 2026 || j.Source != "schedule" || j.Namespace != "ns" {
		t.Errorf("Job = %+v, %v", j, err)
	}
}
