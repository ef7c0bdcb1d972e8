package emulator_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/go-aisearch/tokens/emulator"
)

// The AI Search instance and job actions of the model-based test, in the
// namespace "default" of both accounts: instances created (with or
// without token_id, of each type), repointed, deleted; jobs started, read
// and judged by the registration's credential as it is when they start;
// and the clock moved. The model says, from the documentation alone, which
// registration an instance uses, which answer each request gets, how each
// job ends and what each instance's status is.

// Documented codes (Cloudflare's, docs/instances.md).
const (
	codeAISearchNotFound = 7002
	codeSyncInCooldown   = 7020
	codeJobNotFound      = 7021
	codeInstanceExists   = 7022
	codeTypeNeedsSource  = 7052
)

// The documented timing: a job whose credential works ends well after the
// job duration; a job within 30 s of the previous one is refused.
const (
	jobDuration = emulator.DefaultJobDuration
	jobCooldown = 30 * time.Second
)

type minstance struct {
	reg       string // the registration it uses, "" for none
	typ       string // "r2", "web-crawler", "" for built-in storage
	createdAt time.Time
	jobs      []*mjob // oldest first
}

type mjob struct {
	id       string
	start    time.Time
	failure  string     // the end_reason it will end with by itself, "" for well
	endedAt  *time.Time // when it ended early
	early    string     // and why
	instance string
}

// at is the job at now: running, or ended (when, why, by itself or not).
func (j *mjob) at(now time.Time) (running bool, ended time.Time, reason string, byItself bool) {
	if j.endedAt != nil {
		return false, *j.endedAt, j.early, false
	}
	end := j.start
	if j.failure == "" {
		end = j.start.Add(jobDuration)
	}
	if now.Before(end) {
		return true, time.Time{}, "", false
	}
	return false, end, j.failure, true
}

// status is the documented choice: the last job to end by itself decides
// (active when well, error when not); waiting before that.
func (in *minstance) status(now time.Time) string {
	status, last := emulator.StatusWaiting, time.Time{}
	for _, j := range in.jobs {
		if running, ended, reason, byItself := j.at(now); !running && byItself && !ended.Before(last) {
			last, status = ended, map[bool]string{true: emulator.StatusActive, false: emulator.StatusError}[reason == ""]
		}
	}
	return status
}

// defaultRegistration: the account's oldest registration (all are enabled
// through the API), by created_at then id.
func (a *maccount) defaultRegistration() string {
	var best *mtoken
	for _, t := range a.tokens {
		if best == nil || cmp.Or(t.createdAt.Compare(best.createdAt), cmp.Compare(t.id, best.id)) < 0 {
			best = t
		}
	}
	if best == nil {
		return ""
	}
	return best.id
}

// jobFailure is the end_reason a job of in gets when it starts now ("" when
// its credential works): CredentialWorks's reasons first, then the
// policies (the model's API tokens grant on mc.accts[0] only, AI Search
// Index Engine always and Workers R2 Storage Write when they have two
// groups).
func (mc *machine) jobFailure(acct string, in *minstance) string {
	reg := mc.m.acct(acct).get(in.reg)
	err := mc.m.credential(acct, reg.cfAPIID, reg.key)
	for _, c := range []struct {
		err    error
		reason string
	}{
		{emulator.ErrNoSuchAPIToken, emulator.EndReasonTokenNotFound},
		{emulator.ErrAPITokenDeleted, emulator.EndReasonTokenDeleted},
		{emulator.ErrValueRolled, emulator.EndReasonValueRolled},
		{emulator.ErrWrongValue, emulator.EndReasonWrongValue},
		{emulator.ErrOtherAccount, emulator.EndReasonWrongAccount},
		{emulator.ErrAPITokenDisabled, emulator.EndReasonTokenDisabled},
	} {
		if errors.Is(err, c.err) {
			return c.reason
		}
	}
	switch tok := mc.m.apiTokens[reg.cfAPIID]; {
	case acct != mc.accts[0]:
		return emulator.EndReasonWrongAccount
	case in.typ == "r2" && tok.groups < 2:
		return emulator.EndReasonMissingPermission
	}
	return ""
}

var instanceIDs = []string{"docs", "blog", "wiki"} // markInUse's names too

func instancePath(acct, id string) string { return "/accounts/" + acct + "/ai-search/instances/" + id }

// drawTokenID: none, one of the account's registrations, another
// account's, or one that never existed.
func (mc *machine) drawTokenID(t *rapid.T, acct string) (id string, given bool) {
	kinds := []string{"none", "none", "fresh"}
	if len(mc.m.acct(acct).order) > 0 {
		kinds = append(kinds, "own", "own", "own")
	}
	other := mc.accts[0]
	if other == acct {
		other = mc.accts[1]
	}
	if len(mc.m.acct(other).order) > 0 {
		kinds = append(kinds, "other")
	}
	switch rapid.SampledFrom(kinds).Draw(t, "token_id-kind") {
	case "own":
		return rapid.SampledFrom(mc.m.acct(acct).order).Draw(t, "token_id"), true
	case "other":
		return rapid.SampledFrom(mc.m.acct(other).order).Draw(t, "token_id"), true
	case "fresh":
		return uuid.NewString(), true
	}
	return "", false
}

type wireModelInstance struct {
	ID      string  `json:"id"`
	Type    *string `json:"type"`
	TokenID *string `json:"token_id"`
	Status  string  `json:"status"`
}

func resultInstance(t *rapid.T, env wireEnvelope) wireModelInstance {
	t.Helper()
	var in wireModelInstance
	if err := json.Unmarshal(env.Result, &in); err != nil {
		t.Fatalf("result is not an instance: %s", env.Result)
	}
	return in
}

func sameInstance(t *rapid.T, op string, got wireModelInstance, id string, want *minstance, now time.Time) {
	t.Helper()
	gotType, gotReg := "", ""
	if got.Type != nil {
		gotType = *got.Type
	}
	if got.TokenID != nil {
		gotReg = *got.TokenID
	}
	if got.ID != id || gotType != want.typ || gotReg != want.reg || got.Status != want.status(now) {
		t.Fatalf("%s %s: %+v (token_id %s), the model says type %q token_id %q status %s", op, id, got, gotReg, want.typ, want.reg, want.status(now))
	}
}

func (mc *machine) createInstance(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id := rapid.SampledFrom(instanceIDs).Draw(t, "instance")
	typ := rapid.SampledFrom([]string{"", "r2", "web-crawler"}).Draw(t, "type")
	withSource := typ == "" || rapid.IntRange(0, 9).Draw(t, "source") > 0
	tokenID, given := mc.drawTokenID(t, acct)
	body := map[string]any{"id": id}
	if typ != "" {
		body["type"] = typ
	}
	if typ != "" && withSource {
		body["source"] = "bucket-" + id
	}
	if given {
		body["token_id"] = tokenID
	}
	raw, _ := json.Marshal(body)
	r := mc.e.send(t, http.MethodPost, "/accounts/"+acct+"/ai-search/instances", "", auth, "application/json", raw)
	env := decode(t, r)
	a := mc.m.acct(acct)
	reg := tokenID
	if !given {
		reg = a.defaultRegistration()
	}
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case !withSource:
		wantError(t, r, env, http.StatusBadRequest, codeTypeNeedsSource, nil)
	case a.instances[id] != nil:
		wantError(t, r, env, http.StatusBadRequest, codeInstanceExists, nil)
	case given && a.get(tokenID) == nil, !given && reg == "" && typ != "":
		wantError(t, r, env, http.StatusBadRequest, codeInvalidToken, nil)
	default:
		if r.status != http.StatusCreated {
			t.Fatalf("create instance %s: status %d, want 201: %s", id, r.status, r.body)
		}
		wantValidRequest(t, r)
		in := &minstance{reg: reg, typ: typ, createdAt: mc.e.clock.Now()}
		sameInstance(t, "create", resultInstance(t, env), id, in, mc.e.clock.Now())
		a.instances[id] = in
	}
}

func (mc *machine) updateInstanceToken(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id := rapid.SampledFrom(instanceIDs).Draw(t, "instance")
	tokenID, given := mc.drawTokenID(t, acct)
	body := []byte(`{"paused":true}`)
	if given {
		body = []byte(fmt.Sprintf(`{"token_id":%q}`, tokenID))
	}
	r := mc.e.send(t, http.MethodPut, instancePath(acct, id), "", auth, "application/json", body)
	env := decode(t, r)
	in := mc.m.acct(acct).instances[id]
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case in == nil:
		wantError(t, r, env, http.StatusNotFound, codeAISearchNotFound, nil)
	case given && mc.m.acct(acct).get(tokenID) == nil:
		wantError(t, r, env, http.StatusBadRequest, codeInvalidToken, nil)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("update instance %s: status %d: %s", id, r.status, r.body)
		}
		if given {
			in.reg = tokenID
		}
		sameInstance(t, "update", resultInstance(t, env), id, in, mc.e.clock.Now())
	}
}

func (mc *machine) deleteInstance(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id := rapid.SampledFrom(instanceIDs).Draw(t, "instance")
	r := mc.e.send(t, http.MethodDelete, instancePath(acct, id), "", auth, "", nil)
	env := decode(t, r)
	in := mc.m.acct(acct).instances[id]
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case in == nil:
		wantError(t, r, env, http.StatusNotFound, codeAISearchNotFound, nil)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("delete instance %s: status %d: %s", id, r.status, r.body)
		}
		sameInstance(t, "delete", resultInstance(t, env), id, in, mc.e.clock.Now())
		delete(mc.m.acct(acct).instances, id)
	}
}

type wireModelJob struct {
	ID        string  `json:"id"`
	StartedAt *string `json:"started_at"`
	EndedAt   *string `json:"ended_at"`
	EndReason *string `json:"end_reason"`
}

func sameJob(t *rapid.T, op string, env wireEnvelope, want *mjob, now time.Time) {
	t.Helper()
	var got wireModelJob
	if err := json.Unmarshal(env.Result, &got); err != nil {
		t.Fatalf("%s: result is not a job: %s", op, env.Result)
	}
	running, ended, reason, _ := want.at(now)
	var gotReason string
	if got.EndReason != nil {
		gotReason = *got.EndReason
	}
	switch {
	case got.ID != want.id || got.StartedAt == nil || !parseTime(t, *got.StartedAt).Equal(want.start):
		t.Fatalf("%s: job %+v, the model's %s started at %s", op, got, want.id, want.start)
	case running != (got.EndedAt == nil):
		t.Fatalf("%s: job %s ended_at %v, the model says running %v", op, want.id, got.EndedAt, running)
	case !running && (!parseTime(t, *got.EndedAt).Equal(ended) || gotReason != reason):
		t.Fatalf("%s: job %s ended at %s with %q, the model says %s with %q", op, want.id, *got.EndedAt, gotReason, ended, reason)
	}
}

func (mc *machine) createJob(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id := rapid.SampledFrom(instanceIDs).Draw(t, "instance")
	r := mc.e.send(t, http.MethodPost, instancePath(acct, id)+"/jobs", "", auth, "", nil)
	env := decode(t, r)
	in, now := mc.m.acct(acct).instances[id], mc.e.clock.Now()
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case in == nil:
		wantError(t, r, env, http.StatusNotFound, codeAISearchNotFound, nil)
	case in.typ == "":
		wantError(t, r, env, http.StatusBadRequest, codeValidation, []string{"path", "id"})
	case len(in.jobs) > 0 && now.Before(in.jobs[len(in.jobs)-1].start.Add(jobCooldown)):
		wantError(t, r, env, http.StatusTooManyRequests, codeSyncInCooldown, nil)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("create job on %s: status %d: %s", id, r.status, r.body)
		}
		for _, j := range in.jobs {
			if running, _, _, _ := j.at(now); running {
				j.endedAt, j.early = &now, emulator.EndReasonNewJob
			}
		}
		var got wireModelJob
		_ = json.Unmarshal(env.Result, &got)
		j := &mjob{id: got.ID, start: now, failure: mc.jobFailure(acct, in), instance: id}
		sameJob(t, "create job", env, j, now)
		in.jobs = append(in.jobs, j)
	}
}

func (mc *machine) getJob(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id := rapid.SampledFrom(instanceIDs).Draw(t, "instance")
	in := mc.m.acct(acct).instances[id]
	var want *mjob
	jobID := uuid.NewString()
	if in != nil && len(in.jobs) > 0 && rapid.IntRange(0, 4).Draw(t, "known-job") > 0 {
		want = rapid.SampledFrom(in.jobs).Draw(t, "job")
		jobID = want.id
	}
	r := mc.e.send(t, http.MethodGet, instancePath(acct, id)+"/jobs/"+jobID, "", auth, "", nil)
	env := decode(t, r)
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case in == nil:
		wantError(t, r, env, http.StatusNotFound, codeAISearchNotFound, nil)
	case want == nil:
		wantError(t, r, env, http.StatusNotFound, codeJobNotFound, nil)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("get job: status %d: %s", r.status, r.body)
		}
		sameJob(t, "get job", env, want, mc.e.clock.Now())
	}
}

// advance moves the sequence's clock: jobs end, cooldowns pass. The steps
// straddle the job duration and the cooldown, where mistakes hide.
func (mc *machine) advance(t *rapid.T) {
	seconds := rapid.SampledFrom([]int{1, 2, 3, 10, 28, 29, 30, 31}).Draw(t, "seconds")
	mc.e.clock.Advance(time.Duration(seconds) * time.Second)
}

// instancesInvariant: the emulator holds the model's instances, with
// their registration, type, status and jobs (each as the model says it
// is now).
func (mc *machine) instancesInvariant(t *rapid.T, acct string) {
	now := mc.e.clock.Now()
	a := mc.m.acct(acct)
	stored := mc.e.srv.Instances(acct)
	if len(stored) != len(a.instances) {
		t.Fatalf("account %s: %d instances, the model has %d", acct, len(stored), len(a.instances))
	}
	for _, s := range stored {
		in := a.instances[s.ID]
		if in == nil || s.Namespace != "default" || s.TokenID != in.reg || s.Type != in.typ || s.Status != in.status(now) {
			t.Fatalf("account %s: stored instance %s (type %q token_id %q status %s) disagrees with the model %+v (status %s)", acct, s.ID, s.Type, s.TokenID, s.Status, in, in.status(now))
		}
		jobs := mc.e.srv.Jobs(acct, "default", s.ID)
		if len(jobs) != len(in.jobs) {
			t.Fatalf("instance %s: %d jobs, the model has %d", s.ID, len(jobs), len(in.jobs))
		}
		for i, j := range jobs {
			w := in.jobs[i]
			running, ended, reason, _ := w.at(now)
			if j.ID != w.id || j.Running != running || j.EndReason != reason || !running && !j.EndedAt.Equal(ended) {
				t.Fatalf("instance %s: job %+v, the model's %+v (running %v, ended %s, %q)", s.ID, j, w, running, ended, reason)
			}
		}
	}
}
