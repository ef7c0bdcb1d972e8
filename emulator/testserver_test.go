package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

func TestNewTestServer(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	ts := emulator.NewTestServer(t, emulator.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if !strings.HasPrefix(ts.BaseURL, "http://127.0.0.1:") || !strings.HasSuffix(ts.BaseURL, "/client/v4") {
		t.Errorf("BaseURL %q", ts.BaseURL)
	}
	if ts.AccountID == "" || ts.APIToken == "" || ts.APIEmail == "" || ts.APIKey == "" {
		t.Fatalf("credentials missing: %+v", ts)
	}
	if ts.Server().AcceptsAnyCredential() {
		t.Error("test server accepts any credential")
	}
	id := uuid.NewString()
	ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "seeded", CfAPIID: "i", CfAPIKey: "seeded-secret"})
	ts.MarkInUse(ts.AccountID, id, "inst")
	ctx := context.Background()
	for name, auth := range map[string]generated.RequestEditorFn{
		"bearer": func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+ts.APIToken)
			return nil
		},
		"key": func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-Auth-Email", ts.APIEmail)
			r.Header.Set("X-Auth-Key", ts.APIKey)
			return nil
		},
	} {
		c, err := generated.NewClientWithResponses(ts.BaseURL, generated.WithRequestEditorFn(auth))
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.GetTokenWithResponse(ctx, ts.AccountID, id)
		if err != nil || r.JSON200 == nil || r.JSON200.Result.Name != "seeded" {
			t.Errorf("%s: get: %v %d", name, err, r.StatusCode())
		}
		d, err := c.DeleteTokenWithResponse(ctx, ts.AccountID, id)
		if err != nil || d.StatusCode() != http.StatusConflict {
			t.Errorf("%s: delete in use: %v %d", name, err, d.StatusCode())
		}
	}
	// A request without a credential is refused.
	c, _ := generated.NewClientWithResponses(ts.BaseURL)
	if r, _ := c.ListTokensWithResponse(ctx, ts.AccountID, nil); r.StatusCode() != http.StatusBadRequest {
		t.Errorf("no credentials: %d", r.StatusCode())
	}
	if got := ts.Tokens(ts.AccountID); len(got) != 1 || got[0].InUseBy[0] != "inst" {
		t.Errorf("Tokens %+v", got)
	}
	// The request log has one line per request and no secret.
	if n := strings.Count(logs.String(), `"msg":"request"`); n != 5 {
		t.Errorf("%d request log lines, want 5:\n%s", n, logs.String())
	}
	for _, secret := range []string{ts.APIToken, ts.APIKey, "seeded-secret"} {
		if strings.Contains(logs.String(), secret) {
			t.Error("log holds a secret")
		}
	}
}

func TestNewTestServerKeepsGivenCredentials(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t, emulator.WithAPITokens("t1", "t2"))
	if ts.APIToken != "t1" || ts.APIKey != "" {
		t.Errorf("token %q key set %v", ts.APIToken, ts.APIKey != "")
	}
}

func TestOptionsRejectBadArguments(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]emulator.Option{
		"empty token": emulator.WithAPITokens(""), "no token": emulator.WithAPITokens(),
		"empty key": emulator.WithAPIKey("e", ""), "nil clock": emulator.WithClock(nil),
		"nil logger": emulator.WithLogger(nil), "empty state": emulator.WithStateFile(""),
		"zero cap": emulator.WithMaxBodyBytes(0), "nil": nil,
	} {
		if _, err := emulator.New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// With validation off, the handlers still refuse what they cannot store
// and clamp what they can (each list by its own limits), answering
// envelopes, never a 5xx.
func TestValidationOff(t *testing.T) {
	t.Parallel()
	e := start(t, emulator.WithValidation(false))
	tok := e.create(t, owners[0], createBody("x"))
	base := "/accounts/" + account + "/ai-search/tokens"
	cases := []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"GET", base + "?page=abc", "", 400, `"path":["query","page"]`},
		{"GET", base + "?per_page=1000", "", 200, `"per_page":100`},
		{"GET", base + "?per_page=0&page=0", "", 200, `"page":1,"per_page":20`},
		{"POST", base, `{"name":`, 400, `"path":["body"]`},
		{"POST", base, ``, 400, `"path":["body"]`},
		{"POST", base, `{"name":"n"` + strings.Repeat(" ", 70<<10) + `}`, 400, `larger than`},
		{"GET", base + "/not-a-uuid", "", 404, `"code":7075`},
		{"POST", "/user/tokens", ``, 400, `"path":["body"]`},
		{"POST", "/user/tokens", `{"name":"n","policies":[{"effect":"maybe","permission_groups":[],"resources":{}}]}`, 400, `"path":["body","policies","0","effect"]`},
		{"POST", "/user/tokens", `{"name":"no policies"}`, 200, `"policies":[]`},
		{"POST", "/user/tokens", `{"name":"n","policies":[],"condition":{"request_ip":{"not_in":["1.2.3.4/99"]}}}`, 400, `"path":["body","condition","request_ip","not_in","0"]`},
		{"PUT", "/user/tokens/" + tok.ID, ``, 400, `"path":["body"]`},
		{"PUT", "/user/tokens/" + tok.ID, `{"name":"n","policies":[],"status":"weird"}`, 400, `"path":["body","status"]`},
		{"PUT", "/user/tokens/" + tok.ID + "/value", ``, 200, `"result":"`}, // no body, as Cloudflare's TypeScript SDK sends
		{"PUT", "/user/tokens/" + tok.ID + "/value", `{"anything":1}`, 200, `"result":"`},
		{"GET", "/user/tokens?per_page=1000", ``, 200, `"per_page":50`},
		{"GET", "/user/tokens?per_page=1&page=0", ``, 200, `"page":1,"per_page":5`},
		{"GET", "/user/tokens?page=abc", ``, 400, `"path":["query","page"]`},
		{"GET", "/user/tokens/nope", ``, 404, `"code":10003`},
	}
	for _, tc := range cases {
		h := jsonAuth
		if tc.body == "" {
			h = bearer(token)
		}
		status, _, b := e.do(t, tc.method, tc.path, tc.body, h)
		if status != tc.status || !strings.Contains(string(b), tc.contains) {
			t.Errorf("%s %s %.40s: %d %s, want %d with %s", tc.method, tc.path, tc.body, status, b, tc.status, tc.contains)
		}
	}
}

// Deterministic ids: the same seed gives the same uuid v4s in the same
// order; another seed gives others; a replay over a state file skips the
// ids already taken.
func TestDeterministicIDs(t *testing.T) {
	t.Parallel()
	create := func(ts *emulator.TestServer, n int) []string {
		t.Helper()
		c, err := generated.NewClientWithResponses(ts.BaseURL, generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+ts.APIToken)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !ts.ValueMatches(svcID, svcKey) { // a server resumed from a state file has it
			seedService(t, ts.Server())
		}
		var ids []string
		for i := range n {
			r, err := c.CreateTokenWithResponse(context.Background(), ts.AccountID, generated.TokenInput{Name: fmt.Sprint("t", i), CfAPIID: svcID, CfAPIKey: svcKey})
			if err != nil || r.JSON201 == nil {
				t.Fatalf("create: %v %d %s", err, r.StatusCode(), r.Body)
			}
			ids = append(ids, r.JSON201.Result.ID)
		}
		return ids
	}
	a := create(emulator.NewTestServer(t, emulator.WithDeterministicIDs(42)), 3)
	b := create(emulator.NewTestServer(t, emulator.WithDeterministicIDs(42)), 3)
	c := create(emulator.NewTestServer(t, emulator.WithDeterministicIDs(43)), 3)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Errorf("seed 42 twice: %v, %v; seed 43: %v", a, b, c)
	}
	for _, id := range a {
		if u, err := uuid.Parse(id); err != nil || u.Version() != 4 || u.String() != id {
			t.Errorf("id %q is not a lowercase uuid v4", id)
		}
	}
	// Cloudflare API tokens too, and a replay skips the ids already taken.
	apiIDs := func(ts *emulator.TestServer, n int) []string {
		t.Helper()
		var ids []string
		for i := range n {
			req, _ := http.NewRequest("POST", ts.BaseURL+"/user/tokens", strings.NewReader(fmt.Sprintf(
				`{"name":"t%d","policies":[{"effect":"allow","permission_groups":[{"id":%q}],"resources":{"com.cloudflare.api.account.%s":"*"}}]}`,
				i, emulator.AISearchIndexEngineGroupID, ts.AccountID)))
			req.Header.Set("Authorization", "Bearer "+ts.APIToken)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var env generated.APITokenCreateEnvelope
			err = json.NewDecoder(resp.Body).Decode(&env)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("create API token: %d %v", resp.StatusCode, err)
			}
			ids = append(ids, env.Result.ID)
		}
		return ids
	}
	x := apiIDs(emulator.NewTestServer(t, emulator.WithDeterministicIDs(42)), 2)
	y := apiIDs(emulator.NewTestServer(t, emulator.WithDeterministicIDs(42)), 2)
	if !slices.Equal(x, y) || x[0] == x[1] {
		t.Errorf("API token ids with seed 42 twice: %v, %v", x, y)
	}
	apiState := filepath.Join(t.TempDir(), "state.log")
	prev := emulator.NewTestServer(t, emulator.WithDeterministicIDs(7), emulator.WithStateFile(apiState))
	apiFirst := apiIDs(prev, 1)
	prev.Close()
	next := emulator.NewTestServer(t, emulator.WithDeterministicIDs(7), emulator.WithStateFile(apiState)) // the same stream again
	if again := apiIDs(next, 1); again[0] == apiFirst[0] {
		t.Errorf("a replayed id stream handed out %s twice", apiFirst[0])
	}
	if a[0] == a[1] || a[1] == a[2] {
		t.Errorf("ids repeat: %v", a)
	}

	state := filepath.Join(t.TempDir(), "state.log")
	first := emulator.NewTestServer(t, emulator.WithDeterministicIDs(42), emulator.WithStateFile(state))
	create(first, 2)
	first.Close()
	again := emulator.NewTestServer(t, emulator.WithDeterministicIDs(42), emulator.WithStateFile(state))
	if ids := create(again, 2); ids[0] != a[2] {
		t.Errorf("replayed over the state file: %v, want the sequence to resume at %s", ids, a[2])
	}
}

// Close has httptest semantics: it stops HTTP first (later requests cannot
// connect, rather than reaching a store whose state file is closed), then
// releases the state file; it may be called again.
func TestTestServerClose(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "state.log")
	ts := emulator.NewTestServer(t, emulator.WithStateFile(state))
	list := ts.BaseURL + "/accounts/" + ts.AccountID + "/ai-search/tokens"
	get := func() (int, error) {
		req, _ := http.NewRequest("GET", list, nil)
		req.Header.Set("Authorization", "Bearer "+ts.APIToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if status, err := get(); err != nil || status != 200 {
		t.Fatalf("before Close: %d %v", status, err)
	}
	ts.Close()
	if status, err := get(); err == nil {
		t.Errorf("after Close the server still answers (%d)", status)
	}
	again, err := emulator.New(emulator.WithStateFile(state))
	if err != nil {
		t.Fatalf("after Close the state file is still held: %v", err)
	}
	again.Close()
	ts.Close() // and once more from t.Cleanup
}

// fatalTB records the first Fatal and stops the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(args ...any) {
	f.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

// The TestServer helpers fail the test on an error, as miniredis's do,
// instead of returning an error a test could ignore.
func TestTestServerHelpersFailTheTest(t *testing.T) {
	t.Parallel()
	id := uuid.NewString()
	for name, call := range map[string]func(*emulator.TestServer){
		"Seed bad id": func(ts *emulator.TestServer) {
			ts.Seed(ts.AccountID, emulator.SeedToken{ID: "x", Name: "n", CfAPIID: "i", CfAPIKey: "k"})
		},
		"Seed twice": func(ts *emulator.TestServer) {
			ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "n", CfAPIID: "i", CfAPIKey: "k"})
		},
		"MarkInUse unknown":   func(ts *emulator.TestServer) { ts.MarkInUse(ts.AccountID, uuid.NewString(), "inst") },
		"MarkInUse empty":     func(ts *emulator.TestServer) { ts.MarkInUse(ts.AccountID, id, "") },
		"FailNext bad status": func(ts *emulator.TestServer) { ts.FailNext(404) },
		"SeedAPITokens bad id": func(ts *emulator.TestServer) {
			ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "x", Name: "n", Value: "v"})
		},
		"DisableAPIToken unknown": func(ts *emulator.TestServer) { ts.DisableAPIToken("0123456789abcdef0123456789abcdef") },
		"ExpireAPIToken unknown": func(ts *emulator.TestServer) {
			ts.ExpireAPIToken("0123456789abcdef0123456789abcdef", time.Now())
		},
		"SeedAccount bad namespace": func(ts *emulator.TestServer) {
			ts.SeedAccount(ts.AccountID, emulator.SeedAccount{Namespaces: []emulator.SeedNamespace{{Name: "Not Valid"}}})
		},
		"CreateInstance bad id": func(ts *emulator.TestServer) { ts.CreateInstance(ts.AccountID, emulator.SeedInstance{ID: "Not Valid"}) },
		"StartJob unknown":      func(ts *emulator.TestServer) { ts.StartJob(ts.AccountID, "default", "nope") },
		"RunJob unknown":        func(ts *emulator.TestServer) { ts.RunJob(ts.AccountID, "default", "nope") },
		"Job unknown":           func(ts *emulator.TestServer) { ts.Job(ts.AccountID, "default", "nope", "j") },
	} {
		ftb := &fatalTB{TB: t}
		ts := emulator.NewTestServer(ftb)
		ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "n", CfAPIID: "i", CfAPIKey: "k"})
		done := make(chan struct{})
		go func() {
			defer close(done)
			call(ts)
		}()
		<-done
		if ftb.fatal == "" {
			t.Errorf("%s: the test was not failed", name)
		}
	}
	// The error-returning forms stay on the Server.
	ts := emulator.NewTestServer(t)
	if err := ts.Server().FailNext(404); err == nil {
		t.Error("Server().FailNext(404) returned no error")
	}
	if err := ts.Server().MarkInUse(ts.AccountID, uuid.NewString()); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("Server().MarkInUse(unknown) = %v", err)
	}
}
