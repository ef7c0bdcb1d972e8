package cli_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

type checkInstancesOut []struct {
	TokenID   string `json:"token_id"`
	Healthy   bool   `json:"healthy"`
	Instances []struct {
		Namespace, ID, Type, Status string
		LastJob                     *struct {
			ID        string `json:"id"`
			Running   bool   `json:"running"`
			EndedWell bool   `json:"ended_well"`
			EndReason string `json:"end_reason"`
			Failure   string `json:"failure"`
		} `json:"last_job"`
	} `json:"instances"`
}

// check names the instances behind each registration (text and --json),
// with --last-job how their last job ended; delete of a registration in
// use names them; rotate --prove runs a job that ends well.
func TestCheckNamesTheInstancesThatStopIndexing(t *testing.T) {
	t.Parallel()
	clock := testsupport.NewClock(time.Now().UTC())
	e := newWorkflowEnv(t, emulator.WithClock(clock.Now), emulator.WithJobDuration(0))
	ts := e.ts
	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--json"))
	ts.SeedAccount(ts.AccountID, emulator.SeedAccount{Namespaces: []emulator.SeedNamespace{{Name: "prod"}}})
	ts.CreateInstance(ts.AccountID, emulator.SeedInstance{ID: "docs", Type: "r2", Source: "docs-bucket", TokenID: p.TokenID})
	ts.CreateInstance(ts.AccountID, emulator.SeedInstance{Namespace: "prod", ID: "blog", Type: "web-crawler", Source: "https://example.com", TokenID: p.TokenID})
	ts.CreateInstance(ts.AccountID, emulator.SeedInstance{ID: "notes"}) // built-in: the account's registration, no jobs
	if j := ts.RunJob(ts.AccountID, "default", "docs"); !j.EndedWell() {
		t.Fatalf("a job with a working credential: %+v", j)
	}

	r := e.step(t, cli.ExitOK, "check")
	for _, want := range []string{"\n       instance docs (r2, status active)\n", "\n       instance prod/blog (web-crawler, status waiting)\n",
		"\n       instance notes (built-in storage, no jobs, status waiting)\n"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("check lacks %q:\n%s", want, r.out)
		}
	}

	// The token deleted behind the registration: the next job fails, and
	// check names the instances that stop indexing.
	deleteUserToken(t, ts, p.CfAPIID)
	clock.Advance(30 * time.Second)
	failed := ts.RunJob(ts.AccountID, "default", "docs")
	r = e.step(t, cli.ExitUnhealthy, "check", "--last-job")
	for _, want := range []string{
		"\n       instance docs (r2, status error): stops indexing; last job " + failed.ID + " failed at ",
		" (service_token_deleted): Service token " + p.TokenID + ": Cloudflare API token " + p.CfAPIID + " no longer exists\n",
		"\n       instance prod/blog (web-crawler, status waiting): stops indexing\n",
		"\n       instance notes (built-in storage, no jobs, status waiting)\n",
		"\n       repair: aisearch-tokens rotate " + p.TokenID + "\n",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("check --last-job lacks %q:\n%s", want, r.out)
		}
	}
	got := decodeJSON[checkInstancesOut](t, e.step(t, cli.ExitUnhealthy, "check", "--json", "--last-job"))
	if len(got) != 1 || got[0].Healthy || len(got[0].Instances) != 3 {
		t.Fatalf("check --json --last-job: %+v", got)
	}
	byName := map[string]int{}
	for i, in := range got[0].Instances {
		byName[in.Namespace+"/"+in.ID] = i
	}
	docs := got[0].Instances[byName["default/docs"]]
	if docs.Type != "r2" || docs.Status != "error" || docs.LastJob == nil || docs.LastJob.ID != failed.ID || docs.LastJob.EndedWell ||
		docs.LastJob.EndReason != "service_token_deleted" || !strings.Contains(docs.LastJob.Failure, "no longer exists") {
		t.Errorf("check --json: docs %+v (last job %+v)", docs, docs.LastJob)
	}
	if blog := got[0].Instances[byName["prod/blog"]]; blog.LastJob != nil || blog.Type != "web-crawler" {
		t.Errorf("check --json: prod/blog %+v", blog)
	}
	if plain := decodeJSON[checkInstancesOut](t, e.step(t, cli.ExitUnhealthy, "check", "--json")); plain[0].Instances[byName["default/docs"]].LastJob != nil {
		t.Errorf("check --json without --last-job read a job: %+v", plain)
	}

	// delete names the instances AI Search refused it for.
	r = e.step(t, cli.ExitFailure, "delete", "--yes", p.TokenID)
	if !strings.Contains(r.err, "registration "+p.TokenID+" is in use by 3 instance(s): ") || !strings.Contains(r.err, "prod/blog") ||
		!strings.Contains(r.err, "docs") || !strings.Contains(r.err, "notes") || !strings.Contains(r.err, "point them at another registration (their token_id)") ||
		!strings.Contains(r.err, "409") {
		t.Errorf("delete of a registration in use: %q", r.err)
	}

	// rotate --prove: the same token_id, and a job that ends well.
	clock.Advance(30 * time.Second)
	r = e.step(t, cli.ExitOK, "rotate", p.TokenID, "--prove")
	if !strings.Contains(r.out, "\nproof: job ") || !strings.Contains(r.out, " on instance docs ended well at ") || !strings.HasSuffix(r.out, "token_id for AI Search instances (unchanged): "+p.TokenID+"\n") {
		t.Errorf("rotate --prove:\n%s", r.out)
	}
	for _, in := range ts.Instances(ts.AccountID) {
		if in.TokenID != p.TokenID {
			t.Errorf("after rotate instance %s names %q", in.ID, in.TokenID)
		}
	}
	clock.Advance(30 * time.Second)
	rot := decodeJSON[struct {
		Proof struct {
			Namespace, Instance string
			Job                 struct {
				EndedWell bool `json:"ended_well"`
			}
		}
	}](t, e.step(t, cli.ExitOK, "rotate", p.TokenID, "--prove", "--json"))
	if rot.Proof.Instance != "docs" || rot.Proof.Namespace != "default" || !rot.Proof.Job.EndedWell {
		t.Errorf("rotate --prove --json: %+v", rot)
	}
	e.step(t, cli.ExitOK, "check")

	// Within the 30 s cooldown, with retries that do not wait: the proof
	// cannot start, and rotate says so (exit 1), after rotating.
	r = e.step(t, cli.ExitFailure, "rotate", p.TokenID, "--prove")
	if !strings.Contains(r.out, "rotated registration "+p.TokenID) || !strings.Contains(r.err, "starting a job on instance docs to prove it failed") ||
		!strings.Contains(r.err, "7020") {
		t.Errorf("rotate --prove in the cooldown: stdout %q, stderr %q", r.out, r.err)
	}
}

// Without an instance that indexes, --prove has nothing to run.
func TestRotateProveWithoutInstances(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--json"))
	r := e.step(t, cli.ExitOK, "rotate", p.TokenID, "--prove")
	if !strings.Contains(r.out, "proof: no instance that indexes uses the registration, so no job was run\n") {
		t.Errorf("rotate --prove with no instance:\n%s", r.out)
	}
	if r := e.step(t, cli.ExitOK, "check"); !strings.Contains(r.out, "\n       no instance uses it\n") {
		t.Errorf("check with no instance:\n%s", r.out)
	}
}

// serve --job-duration sets how long a job runs in real time.
func TestServeJobDuration(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"-1s", "2h"} {
		if r := run(t, "", "serve", "--job-duration", bad); r.code != cli.ExitUsage || !strings.Contains(r.err, "--job-duration must be between 0 and 1h0m0s") {
			t.Errorf("--job-duration %s: exit %d, %q", bad, r.code, r.err)
		}
	}
	// A job whose service token works: running after its create with the
	// default (2s), ended at once with --job-duration 0.
	for _, c := range []struct {
		args  []string
		ended bool
	}{{nil, false}, {[]string{"--job-duration", "0"}, true}} {
		url, stop := serveInProcess(t, c.args...)
		const acct = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
		ai := url + "/accounts/" + acct + "/ai-search"
		var tok struct {
			Result struct{ ID, Value string } `json:"result"`
		}
		var reg struct {
			Result struct{ ID string } `json:"result"`
		}
		var job struct {
			Result struct {
				EndedAt *string `json:"ended_at"`
			} `json:"result"`
		}
		steps := []struct {
			method, url, body string
			status            int
			into              any
		}{
			{"POST", url + "/user/tokens", `{"name":"svc","policies":[{"effect":"allow","permission_groups":[{"id":"9e9b428a0bcd46fd80e580b46a69963c"},{"id":"bf7481a1826f439697cb59a20b22293e"}],"resources":{"com.cloudflare.api.account.` + acct + `":"*"}}]}`, 200, &tok},
			{"POST", ai + "/tokens", "", 201, &reg},
			{"POST", ai + "/namespaces/default/instances", `{"id":"docs","type":"r2","source":"b"}`, 201, nil},
			{"POST", ai + "/namespaces/default/instances/docs/jobs", `{}`, 200, &job},
		}
		for i, st := range steps {
			if i == 1 {
				st.body = `{"name":"svc","cf_api_id":"` + tok.Result.ID + `","cf_api_key":"` + tok.Result.Value + `"}`
			}
			status, body, err := call(st.method, st.url, st.body)
			if err != nil || status != st.status || (st.into != nil && json.Unmarshal(body, st.into) != nil) {
				t.Fatalf("serve %v: %s %s: %v %d %s", c.args, st.method, st.url, err, status, body)
			}
		}
		if ended := job.Result.EndedAt != nil; ended != c.ended {
			t.Errorf("serve %v: the job has ended at its create: %v, want %v", c.args, ended, c.ended)
		}
		stop()
	}
}

// What an instance's line says follows the registration's problems: an
// expiry to come stops it later, a heuristic may have stopped it.
func TestCheckSaysWhatTheProblemsMeanForAnInstance(t *testing.T) {
	t.Parallel()
	clock := testsupport.NewClock(time.Now().UTC().Truncate(time.Second))
	e := newWorkflowEnv(t, emulator.WithClock(clock.Now))
	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--json", "--expires-in", "3d"))
	e.ts.CreateInstance(e.ts.AccountID, emulator.SeedInstance{ID: "docs", Type: "r2", Source: "b", TokenID: p.TokenID})
	if r := e.step(t, cli.ExitUnhealthy, "check"); !strings.Contains(r.out, "\n       instance docs (r2, status waiting): stops indexing when the token expires\n") {
		t.Errorf("check of a token expiring soon:\n%s", r.out)
	}
	if r := e.step(t, cli.ExitOK, "check", "--expiring-within", "0"); !strings.Contains(r.out, "\n       instance docs (r2, status waiting)\n") {
		t.Errorf("check of a healthy registration:\n%s", r.out)
	}
	clock.Advance(time.Minute)
	rollUserToken(t, e.ts, p.CfAPIID)
	if r := e.step(t, cli.ExitUnhealthy, "check", "--expiring-within", "0"); !strings.Contains(r.out, "\n       instance docs (r2, status waiting): may have stopped indexing\n") {
		t.Errorf("check after a roll in place:\n%s", r.out)
	}
}

// rollUserToken rolls a Cloudflare token's value through the API, as
// someone would by hand.
func rollUserToken(t *testing.T, ts *emulator.TestServer, id string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, ts.BaseURL+"/user/tokens/"+id+"/value", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+ts.APIToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("roll token %s: %s", id, resp.Status)
	}
}
