package emulator_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// wireJob is a job on the wire.
type wireJob struct {
	ID          string  `json:"id"`
	Source      string  `json:"source"`
	Description *string `json:"description"`
	StartedAt   *string `json:"started_at"`
	EndedAt     *string `json:"ended_at"`
	LastSeenAt  *string `json:"last_seen_at"`
	EndReason   *string `json:"end_reason"`
}

type wireLog struct {
	ID          int     `json:"id"`
	Message     string  `json:"message"`
	MessageType int     `json:"message_type"`
	CreatedAt   float64 `json:"created_at"`
}

func (e *ais) job(t *testing.T, path, id string) wireJob {
	t.Helper()
	var j wireJob
	e.ok(t, http.StatusOK, "GET", path+"/jobs/"+id, "", &j)
	return j
}

func (e *ais) logs(t *testing.T, path, id string) []wireLog {
	t.Helper()
	var l []wireLog
	e.ok(t, http.StatusOK, "GET", path+"/jobs/"+id+"/logs?per_page=100", "", &l)
	return l
}

func (e *ais) status(t *testing.T, path string) string {
	t.Helper()
	var in wireInstance
	e.ok(t, http.StatusOK, "GET", path, "", &in)
	return in.Status
}

// runJob starts a job on the instance at path, lets it end (moving the
// clock by the job duration) and returns it with its log lines; then
// moves the clock past the cooldown, ready for the next job.
func (e *ais) runJob(t *testing.T, path string) (wireJob, []wireLog) {
	t.Helper()
	var j wireJob
	e.ok(t, http.StatusOK, "POST", path+"/jobs", "", &j)
	e.clock.Advance(emulator.DefaultJobDuration)
	j = e.job(t, path, j.ID)
	if j.EndedAt == nil {
		t.Fatalf("job %s still runs after %s", j.ID, emulator.DefaultJobDuration)
	}
	logs := e.logs(t, path, j.ID)
	e.clock.Advance(30 * time.Second)
	return j, logs
}

// The acceptance: for each way a service credential dies, a job on an
// instance that uses it ends with a failure naming the cause (end_reason,
// a log line, the instance's status), and once the registration is
// repaired (PUT with a working credential) the next job ends well.
func TestJobsNameTheCredentialsDeath(t *testing.T) {
	t.Parallel()
	type kill func(e *ais, t *testing.T, tokID string)
	update := func(e *ais, t *testing.T, tokID, body string) {
		t.Helper()
		if status, b := e.call(t, "PUT", "/user/tokens/"+tokID, body, jsonAuth, nil); status != http.StatusOK {
			t.Fatalf("update the API token: %d %s", status, b)
		}
	}
	for _, c := range []struct {
		name, reason, says string
		err                error
		kill               kill
	}{
		{"deleted", emulator.EndReasonTokenDeleted, "no longer exists", emulator.ErrAPITokenDeleted, func(e *ais, t *testing.T, tokID string) {
			e.call(t, "DELETE", "/user/tokens/"+tokID, "", jsonAuth, nil)
		}},
		{"disabled", emulator.EndReasonTokenDisabled, "is disabled", emulator.ErrAPITokenDisabled, func(e *ais, t *testing.T, tokID string) {
			update(e, t, tokID, strings.Replace(serviceTokenBody("svc", account, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID), `{"name"`, `{"status":"disabled","name"`, 1))
		}},
		{"expired", emulator.EndReasonTokenExpired, "expired at 2026-05-01T10:00:32Z", emulator.ErrAPITokenExpired, func(e *ais, t *testing.T, tokID string) {
			e.srv.ExpireAPIToken(tokID, e.clock.Now())
		}},
		{"rolled", emulator.EndReasonValueRolled, "was rolled; update the registration", emulator.ErrValueRolled, func(e *ais, t *testing.T, tokID string) {
			if status, b := e.call(t, "PUT", "/user/tokens/"+tokID+"/value", "{}", jsonAuth, nil); status != http.StatusOK {
				t.Fatalf("roll: %d %s", status, b)
			}
		}},
		{"permission-missing", emulator.EndReasonMissingPermission, `lacks permission group "Workers R2 Storage Write" (bf7481a1826f439697cb59a20b22293e)`, emulator.ErrPermissionMissing, func(e *ais, t *testing.T, tokID string) {
			update(e, t, tokID, serviceTokenBody("svc", account, emulator.AISearchIndexEngineGroupID))
		}},
		{"other-account", emulator.EndReasonWrongAccount, "has no access to account " + account, emulator.ErrOtherAccount, func(e *ais, t *testing.T, tokID string) {
			update(e, t, tokID, serviceTokenBody("svc", other, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := startAIS(t)
			reg, tokID := e.register(t, "svc")
			path := aisPath("/namespaces/default/instances/docs")
			e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/default/instances"), fmt.Sprintf(`{"id":"docs","type":"r2","source":"b","token_id":%q}`, reg), nil)

			if j, _ := e.runJob(t, path); j.EndReason != nil || e.status(t, path) != emulator.StatusActive {
				t.Fatalf("with a working credential: %+v, status %s", j, e.status(t, path))
			}
			c.kill(e, t, tokID)

			var j wireJob
			e.ok(t, http.StatusOK, "POST", path+"/jobs", "", &j)
			if j.EndReason == nil || *j.EndReason != c.reason || j.EndedAt == nil || *j.EndedAt != *j.StartedAt {
				t.Fatalf("the job on a dead credential: %+v, want it ended at once with %s", j, c.reason)
			}
			logs := e.logs(t, path, j.ID)
			last := logs[len(logs)-1]
			if len(logs) != 3 || last.MessageType != emulator.LogError || !strings.Contains(last.Message, c.says) || !strings.Contains(last.Message, reg) {
				t.Fatalf("logs %+v, want the last naming %q and the registration", logs, c.says)
			}
			if got := e.status(t, path); got != emulator.StatusError {
				t.Fatalf("status %s after a failed job", got)
			}
			if got, err := e.srv.Job(account, "default", "docs", j.ID); err != nil || !errors.Is(got.Err, c.err) || got.EndReason != c.reason {
				t.Fatalf("Job: %+v, want %v", got, c.err)
			}
			if c.name != "permission-missing" && c.name != "other-account" {
				if err := e.srv.CredentialWorks(account, reg); !errors.Is(err, c.err) {
					t.Fatalf("CredentialWorks: %v, want %v", err, c.err)
				}
			}

			// Repair: the registration gets a working credential (PUT, what
			// Rotate does); the next job ends well.
			e.clock.Advance(30 * time.Second)
			id, value := e.mintServiceToken(t, "svc-2", account)
			e.ok(t, http.StatusOK, "PUT", aisPath("/tokens/%s", reg), fmt.Sprintf(`{"name":"svc","cf_api_id":%q,"cf_api_key":%q}`, id, value), nil)
			j, logs = e.runJob(t, path)
			if j.EndReason != nil || len(logs) != 3 || logs[2].Message != "Indexing finished" || e.status(t, path) != emulator.StatusActive {
				t.Fatalf("after the repair: %+v %+v", j, logs)
			}
			if !strings.Contains(logs[1].Message, id) {
				t.Fatalf("the job does not name the new Cloudflare API token: %q", logs[1].Message)
			}
		})
	}
}

// The causes a seed can set up: a disabled registration, an unknown
// cf_api_id, another account's token; and which groups each instance type
// needs.
func TestJobCredentialCauses(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	acct := ts.AccountID
	ts.SeedAPITokens(emulator.UserOwner,
		seedAPIToken("11111111111111111111111111111111", "v-index-only", acct, emulator.AISearchIndexEngineGroupID),
		seedAPIToken("22222222222222222222222222222222", "v-both", acct, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID),
	)
	ts.SeedAPITokens(other, seedAPIToken("33333333333333333333333333333333", "v-other", other, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID))
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "44444444444444444444444444444444", Name: "deny", Value: "v-deny", Policies: []generated.Policy{
		allow(acct, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID),
		deny(acct, emulator.WorkersR2StorageWriteGroupID),
	}})
	disabled := false
	ts.Seed(acct,
		emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000001", Name: "off", CfAPIID: "22222222222222222222222222222222", CfAPIKey: "v-both", Enabled: &disabled},
		emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000002", Name: "unknown", CfAPIID: "feedfeed", CfAPIKey: "whatever"},
		emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000003", Name: "foreign", CfAPIID: "33333333333333333333333333333333", CfAPIKey: "v-other"},
		emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000004", Name: "index", CfAPIID: "11111111111111111111111111111111", CfAPIKey: "v-index-only"},
		emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000005", Name: "denied", CfAPIID: "44444444444444444444444444444444", CfAPIKey: "v-deny"},
		emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000006", Name: "wrong", CfAPIID: "22222222222222222222222222222222", CfAPIKey: "not-its-value"},
	)
	for _, c := range []struct {
		id, typ, reg string
		reason       string
		err          error
	}{
		{"off", "r2", "1", emulator.EndReasonRegistrationDisabled, emulator.ErrRegistrationDisabled},
		{"unknown", "r2", "2", emulator.EndReasonTokenNotFound, emulator.ErrNoSuchAPIToken},
		{"foreign", "r2", "3", emulator.EndReasonWrongAccount, emulator.ErrOtherAccount},
		{"index-r2", "r2", "4", emulator.EndReasonMissingPermission, emulator.ErrPermissionMissing},
		{"index-web", "web-crawler", "4", "", nil},
		{"denied", "r2", "5", emulator.EndReasonMissingPermission, emulator.ErrPermissionMissing},
		{"wrong", "r2", "6", emulator.EndReasonWrongValue, emulator.ErrWrongValue},
	} {
		ts.CreateInstance(acct, emulator.SeedInstance{ID: c.id, Type: c.typ, Source: "s", TokenID: "00000000-0000-4000-8000-00000000000" + c.reg})
		j := ts.RunJob(acct, "default", c.id)
		if j.Running || j.EndReason != c.reason || !errors.Is(j.Err, c.err) || (c.err == nil) != j.EndedWell() {
			t.Errorf("%s: %+v, want %q (%v)", c.id, j, c.reason, c.err)
		}
		for _, l := range j.Logs {
			if strings.Contains(l.Message, "v-") || strings.Contains(l.Message, "not-its-value") {
				t.Errorf("%s: a log line holds a token value: %q", c.id, l.Message)
			}
		}
	}
}

func TestJobLifecycle(t *testing.T) {
	t.Parallel()
	e := startAIS(t, emulator.WithJobDuration(time.Minute))
	e.register(t, "svc")
	path := aisPath("/instances/docs")
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"docs","type":"r2","source":"b"}`, nil)
	start := e.clock.Now()

	// A job runs: no ended_at, last_seen_at now, two log lines so far.
	var first wireJob
	e.ok(t, http.StatusOK, "POST", path+"/jobs", `{"description":"first"}`, &first)
	if first.Source != "user" || *first.Description != "first" || *first.StartedAt != "2026-05-01T10:00:00.000Z" || first.EndedAt != nil || first.EndReason != nil {
		t.Fatalf("a new job: %+v", first)
	}
	e.clock.Advance(10 * time.Second)
	if j := e.job(t, path, first.ID); *j.LastSeenAt != "2026-05-01T10:00:10.000Z" || j.EndedAt != nil {
		t.Fatalf("running: %+v", j)
	}
	if l := e.logs(t, path, first.ID); len(l) != 2 || l[0].ID != 1 || l[0].Message != "Indexing started" || l[0].CreatedAt != float64(start.UnixMilli()) || l[1].ID != 2 {
		t.Fatalf("logs of a running job: %+v", l)
	}
	if got := e.status(t, path); got != emulator.StatusWaiting {
		t.Fatalf("status %s while the first job runs", got)
	}

	// Within 30 s of it: 429 7020, Retry-After the seconds left.
	status, h, env := e.send(t, "POST", path+"/jobs", "")
	if status != http.StatusTooManyRequests || env.Errors[0].Code != emulator.CodeSyncInCooldown || env.Errors[0].Message != "sync_in_cooldown" || h.Get("Retry-After") != "20" {
		t.Fatalf("a second job within 30 s: %d %+v Retry-After %q", status, env.Errors, h.Get("Retry-After"))
	}

	// After it: the running job ends, a new job has started.
	e.clock.Advance(20 * time.Second)
	var second wireJob
	e.ok(t, http.StatusOK, "POST", path+"/jobs", "", &second)
	if j := e.job(t, path, first.ID); j.EndReason == nil || *j.EndReason != emulator.EndReasonNewJob || *j.EndedAt != "2026-05-01T10:00:30.000Z" {
		t.Fatalf("the replaced job: %+v", j)
	}
	if l := e.logs(t, path, first.ID); len(l) != 3 || l[2].MessageType != emulator.LogWarning {
		t.Fatalf("logs of the replaced job: %+v", l)
	}

	// Cancel: a running job ends now; one that has ended cannot be.
	e.clock.Advance(5 * time.Second)
	var cancelled wireJob
	e.ok(t, http.StatusOK, "PATCH", path+"/jobs/"+second.ID, `{"action":"cancel"}`, &cancelled)
	if *cancelled.EndReason != emulator.EndReasonCancelled || *cancelled.EndedAt != "2026-05-01T10:00:35.000Z" {
		t.Fatalf("cancelled: %+v", cancelled)
	}
	e.fails(t, http.StatusBadRequest, emulator.CodeJobCannotBeCancelled, "job_cannot_be_cancelled", "PATCH", path+"/jobs/"+second.ID, `{"action":"cancel"}`)
	e.fails(t, http.StatusNotFound, emulator.CodeJobNotFound, "job_not_found", "PATCH", path+"/jobs/nope", `{"action":"cancel"}`)
	e.fails(t, http.StatusNotFound, emulator.CodeJobNotFound, "job_not_found", "GET", path+"/jobs/nope", "")
	e.fails(t, http.StatusNotFound, emulator.CodeJobNotFound, "job_not_found", "GET", path+"/jobs/nope/logs", "")
	if got := e.status(t, path); got != emulator.StatusWaiting {
		t.Fatalf("status %s: neither a replaced nor a cancelled job changes it", got)
	}

	// A third job runs to its end: ended well, no end_reason; active.
	e.clock.Advance(30 * time.Second)
	var third wireJob
	e.ok(t, http.StatusOK, "POST", path+"/jobs", "", &third)
	e.clock.Advance(time.Minute)
	if j := e.job(t, path, third.ID); j.EndedAt == nil || j.EndReason != nil || *j.EndedAt != "2026-05-01T10:02:05.000Z" {
		t.Fatalf("ended well: %+v", j)
	}
	var in wireInstance
	e.ok(t, http.StatusOK, "GET", path, "", &in)
	if in.Status != emulator.StatusActive || in.LastActivity == nil || !in.LastActivity.Equal(start.Add(65*time.Second)) {
		t.Fatalf("after a good job: status %s, last_activity %v", in.Status, in.LastActivity)
	}

	// List: newest first, paged.
	var jobs []wireJob
	env = e.ok(t, http.StatusOK, "GET", path+"/jobs?per_page=2", "", &jobs)
	if len(jobs) != 2 || jobs[0].ID != third.ID || jobs[1].ID != second.ID || env.ResultInfo.TotalCount != 3 {
		t.Fatalf("list: %+v %+v", jobs, env.ResultInfo)
	}
	e.ok(t, http.StatusOK, "GET", path+"/jobs?page=2&per_page=2", "", &jobs)
	if len(jobs) != 1 || jobs[0].ID != first.ID {
		t.Fatalf("list page 2: %+v", jobs)
	}
	var logs []wireLog
	e.ok(t, http.StatusOK, "GET", path+"/jobs/"+third.ID+"/logs?page=2&per_page=2", "", &logs)
	if len(logs) != 1 || logs[0].ID != 3 || logs[0].Message != "Indexing finished" {
		t.Fatalf("logs page 2: %+v", logs)
	}
	// Deleting the instance deletes its jobs.
	e.ok(t, http.StatusOK, "DELETE", path, "", nil)
	if got := e.srv.Jobs(account, "default", "docs"); len(got) != 0 {
		t.Fatalf("jobs after the delete: %+v", got)
	}
}

func TestBuiltinInstancesHaveNoJobs(t *testing.T) {
	t.Parallel()
	e := startAIS(t)
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"builtin"}`, nil)
	env := e.fails(t, http.StatusBadRequest, emulator.CodeValidation, "", "POST", aisPath("/instances/builtin/jobs"), "")
	if p := env.Errors[0].Path; len(p) != 2 || p[0] != "path" || p[1] != "id" {
		t.Fatalf("path %v", p)
	}
	var jobs []wireJob
	if env := e.ok(t, http.StatusOK, "GET", aisPath("/instances/builtin/jobs"), "", &jobs); string(env.Result) != "[]" {
		t.Fatalf("jobs of a built-in instance: %s", env.Result)
	}
}

// TestServer's helpers drive a job from Go, and the clock decides.
func TestTestServerJobHelpers(t *testing.T) {
	t.Parallel()
	clock := newSetClock()
	ts := emulator.NewTestServer(t, emulator.WithClock(clock.Now))
	ts.SeedAPITokens(emulator.UserOwner, seedAPIToken("55555555555555555555555555555555", "v", ts.AccountID, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID))
	ts.Seed(ts.AccountID, emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000009", Name: "svc", CfAPIID: "55555555555555555555555555555555", CfAPIKey: "v"})
	in := ts.CreateInstance(ts.AccountID, emulator.SeedInstance{ID: "docs", Type: "r2", Source: "b"})
	if in.TokenID != "00000000-0000-4000-8000-000000000009" || in.Status != emulator.StatusWaiting || !in.Fields.Cache {
		t.Fatalf("CreateInstance: %+v", in)
	}
	j := ts.StartJob(ts.AccountID, "default", "docs")
	if !j.Running {
		t.Fatalf("StartJob: %+v", j)
	}
	clock.Advance(emulator.DefaultJobDuration)
	if j = ts.Job(ts.AccountID, "default", "docs", j.ID); !j.EndedWell() || len(j.Logs) != 3 {
		t.Fatalf("after the job duration: %+v", j)
	}
	if _, err := ts.Server().RunJob(ts.AccountID, "default", "docs"); err == nil || !strings.Contains(err.Error(), "sync_in_cooldown") {
		t.Fatalf("RunJob within the cooldown: %v", err)
	}
	clock.Advance(30 * time.Second)
	ts.DisableAPIToken("55555555555555555555555555555555")
	if j = ts.RunJob(ts.AccountID, "default", "docs"); j.Running || !errors.Is(j.Err, emulator.ErrAPITokenDisabled) {
		t.Fatalf("RunJob on a disabled token: %+v", j)
	}
	if got := ts.Instances(ts.AccountID)[0].Status; got != emulator.StatusError {
		t.Fatalf("status %s", got)
	}
	if _, err := ts.Server().CreateInstance(ts.AccountID, emulator.SeedInstance{ID: "x", Type: "r2", Source: "b", TokenID: "00000000-0000-4000-8000-00000000000f"}); err == nil || !strings.Contains(err.Error(), "code 7012") {
		t.Fatalf("CreateInstance with an unknown token_id: %v", err)
	}
}

// seedAPIToken is a user or account API token whose one policy allows
// groups on acct.
func seedAPIToken(id, value, acct string, groups ...string) emulator.SeedAPIToken {
	return emulator.SeedAPIToken{ID: id, Name: "svc " + id[:4], Value: value, Policies: []generated.Policy{allow(acct, groups...)}}
}

func allow(acct string, groups ...string) generated.Policy {
	return policy("allow", groups, "com.cloudflare.api.account."+acct)
}

func deny(acct string, groups ...string) generated.Policy {
	return policy("deny", groups, "com.cloudflare.api.account."+acct)
}

// A token minted through the API at a time with a fraction of a
// millisecond, on a clock that does not move: the job run at that same
// instant (judged at the millisecond) finds its value propagated, as no
// propagation delay is set.
func TestJobAtTheInstantTheTokenWasMinted(t *testing.T) {
	t.Parallel()
	clock := testsupport.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 123456789, time.UTC))
	e := &ais{checked: start(t, emulator.WithClock(clock.Now)), clock: clock}
	reg, _ := e.register(t, "svc")
	if _, err := e.srv.CreateInstance(account, emulator.SeedInstance{ID: "docs", Type: "r2", Source: "b", TokenID: reg}); err != nil {
		t.Fatal(err)
	}
	if j, err := e.srv.RunJob(account, "default", "docs"); err != nil || !j.EndedWell() {
		t.Fatalf("RunJob: %+v, %v", j, err)
	}
}
