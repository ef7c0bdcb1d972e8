package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/spec"
)

// Every emulator and validator of a process shares one parsed spec
// (spec.Shared). Many of them built and used at once, on valid and
// invalid requests, must neither race (make test runs this under -race)
// nor change the shared document.
func TestSharedSpecIsReadOnlyUnderConcurrentUse(t *testing.T) {
	t.Parallel()
	doc, err := spec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	before, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	base := emulator.BasePath + "/accounts/" + account + "/ai-search/tokens"
	reqs := []struct {
		method, path, body string
		want               int
	}{
		{"GET", base + "?per_page=5&search=t", "", 200},
		{"POST", base, `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`, 201},
		{"POST", base, `{"name":1}`, 400},
		{"GET", base + "?per_page=1000", "", 400},
		{"GET", base + "/not-a-uuid", "", 400},
		{"GET", base + "/62af0db3-c410-40b2-9ee3-0e93f6dd1de0", "", 404},
		{"PATCH", base, "", 405},
		{"GET", emulator.BasePath + "/nowhere", "", 404},
	}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			srv, err := emulator.New(emulator.WithAPITokens(token))
			if err != nil {
				t.Error(err)
				return
			}
			defer srv.Close()
			if err := srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: svcID, Name: "service", Value: svcKey}); err != nil { // seedService, without t.Fatal
				t.Error(err)
				return
			}
			v, err := contract.NewValidator()
			if err != nil {
				t.Error(err)
				return
			}
			h := srv.Handler()
			for i := range 20 {
				rq := reqs[(w+i)%len(reqs)]
				rec := serveDirect(h, rq.method, rq.path, rq.body)
				sent := http.Header{"Authorization": {"Bearer " + token}}
				if rq.body != "" {
					sent.Set("Content-Type", "application/json")
				}
				if rec.Code != rq.want {
					t.Errorf("%s %s: %d, want %d: %s", rq.method, rq.path, rec.Code, rq.want, rec.Body)
				}
				res := v.Validate(context.Background(), contract.Interaction{
					Method: rq.method, URL: "http://127.0.0.1" + rq.path,
					RequestHeader: sent, RequestBody: []byte(rq.body),
					Status: rec.Code, ResponseHeader: rec.Header(), ResponseBody: rec.Body.Bytes(),
				})
				if len(res.Response) > 0 {
					t.Errorf("%s %s: %v", rq.method, rq.path, res.Response)
				}
			}
		})
	}
	wg.Wait()
	after, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("using emulators and validators changed the shared spec")
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://api.cloudflare.com/client/v4" {
		t.Errorf("shared spec's servers changed: %v", doc.Servers)
	}
}

// Sharing the parsed spec shares nothing else: two emulators keep their
// own accounts and tokens, credentials, fault injection, FailNext queues
// and deterministic id streams.
func TestEmulatorsShareNoState(t *testing.T) {
	t.Parallel()
	a := emulator.NewTestServer(t, emulator.WithAPITokens("token-a"), emulator.WithDeterministicIDs(7),
		emulator.WithFaults(emulator.Faults{Rate: 1, Statuses: []int{502}, Seed: 1}))
	b := emulator.NewTestServer(t, emulator.WithAPITokens("token-b"), emulator.WithDeterministicIDs(7))
	seedService(t, b.Server())
	call := func(ts *emulator.TestServer, tok, method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.BaseURL+"/accounts/"+ts.AccountID+"/ai-search/tokens"+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var env struct {
			Result struct{ ID string } `json:"result"`
		}
		json.NewDecoder(resp.Body).Decode(&env)
		return resp.StatusCode, env.Result.ID
	}
	create := `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`

	// a's faults (every request a 502) do not reach b.
	if st, _ := call(a, "token-a", "GET", "", ""); st != http.StatusBadGateway {
		t.Fatalf("a with Rate 1: %d, want 502", st)
	}
	st, b1 := call(b, "token-b", "POST", "", create)
	if st != http.StatusCreated {
		t.Fatalf("b create: %d", st)
	}
	// Credentials are each server's own.
	if st, _ := call(b, "token-a", "GET", "", ""); st != http.StatusUnauthorized {
		t.Errorf("b accepted a's token: %d", st)
	}

	// The same seed gives the same id stream to each server, from its start.
	c := emulator.NewTestServer(t, emulator.WithAPITokens("token-c"), emulator.WithDeterministicIDs(7))
	seedService(t, c.Server())
	c.FailNext(503)
	if st, _ := call(c, "token-c", "POST", "", create); st != http.StatusServiceUnavailable {
		t.Fatalf("c's FailNext: %d, want 503", st)
	}
	if st, _ := call(b, "token-b", "GET", "/"+b1, ""); st != http.StatusOK {
		t.Errorf("c's FailNext reached b: %d", st)
	}
	st, c1 := call(c, "token-c", "POST", "", create)
	if st != http.StatusCreated || c1 != b1 {
		t.Errorf("c's first id %q (%d), b's %q: the id streams are not independent", c1, st, b1)
	}
	_, b2 := call(b, "token-b", "POST", "", create)
	_, c2 := call(c, "token-c", "POST", "", create)
	if b2 == b1 || c2 != b2 {
		t.Errorf("second ids: b %q, c %q (first %q)", b2, c2, b1)
	}

	// Each store holds only its own tokens, under the same account id.
	if got := len(b.Tokens(b.AccountID)); got != 2 {
		t.Errorf("b holds %d tokens, want 2", got)
	}
	if got := len(c.Tokens(c.AccountID)); got != 2 {
		t.Errorf("c holds %d tokens, want 2", got)
	}
	if got := len(a.Tokens(a.AccountID)); got != 0 {
		t.Errorf("a holds %d tokens, want 0", got)
	}
	c.Server().MarkInUse(c.AccountID, c1, "inst")
	if st, _ := call(b, "token-b", "DELETE", "/"+b1, ""); st != http.StatusOK {
		t.Errorf("c's in-use mark reached b: delete %d", st)
	}
	if st, _ := call(c, "token-c", "GET", "/"+c1, ""); st != http.StatusOK {
		t.Errorf("b's delete reached c: %d", st)
	}
}

// The emulator is what users' test binaries import: it must not drag in
// the contract checker (go-vcr, YAML v4). go list -deps shows what a
// program importing it compiles and links. Not parallel: a child process
// holds a copy of every open file until it execs, the state file's lock
// included, so a parallel test reopening a state file could find it still
// locked; sequential tests finish before the parallel ones resume.
func TestEmulatorDoesNotImportContract(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goCmd, "list", "-deps", "github.com/go-aisearch/tokens/emulator").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/go-aisearch/tokens/contract", "gopkg.in/dnaeon/go-vcr.v4", "go.yaml.in/yaml/v4"} {
			if pkg == bad || strings.HasPrefix(pkg, bad+"/") {
				t.Errorf("the emulator imports %s; find the path with: go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./emulator | grep %s", pkg, bad)
			}
		}
	}
	if !strings.Contains(string(out), "github.com/go-aisearch/tokens/internal/specval") {
		t.Errorf("go list -deps does not list internal/specval; is it the right list?\n%s", out)
	}
}
