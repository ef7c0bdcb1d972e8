package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

func TestWorkflowCommandsHelp(t *testing.T) {
	t.Parallel()
	// What each command's help must tell: the permissions it needs and its
	// exit codes.
	want := map[string][]string{
		"provision": {"AI Search:Edit", `"API Tokens Write"`, `"Account API Tokens Write"`, `"AI Search Index Engine"`, `"Workers R2 Storage Write"`,
			"CLOUDFLARE_ISSUER_API_TOKEN", "-issuer-token-file", "-permission-group", "-expires-in", "-expires-on", "-owner", "-name", "4 the account's registrations are all broken"},
		"rotate": {"AI Search:Edit", `"API Tokens Write"`, `"Account API Tokens Write"`, "CLOUDFLARE_ISSUER_API_TOKEN", "roll", "3 no registration TOKEN_ID", "-expires-in"},
		"check": {"AI Search:Edit", `"API Tokens Read"`, `"Account API Tokens Read"`, "CLOUDFLARE_ISSUER_API_TOKEN", "-expiring-within", "(default 7d)",
			"changed_after_registration", "1 could not check", "3 no registration at all", "4 a registration is unhealthy"},
	}
	for name, wants := range want {
		r := run(t, "", name, "--help")
		if r.code != cli.ExitOK || !strings.Contains(r.out, "Usage:\n  aisearch-tokens "+name) {
			t.Errorf("%s --help: exit %d\n%s", name, r.code, r.out)
		}
		for _, w := range wants {
			if !strings.Contains(r.out, w) {
				t.Errorf("%s --help lacks %q:\n%s", name, w, r.out)
			}
		}
		if h := run(t, "", "help", name); h.code != cli.ExitOK || h.out != r.out {
			t.Errorf("help %s differs from %s --help", name, name)
		}
	}
	if r := run(t, "", "help"); !strings.Contains(r.out, "4 unhealthy") {
		t.Errorf("help lacks exit code 4:\n%s", r.out)
	}
}

// The usage errors of provision, rotate and check are in TestUsageErrors.
// Here: a Global API key alone cannot reach the API token operations, and
// the issuer token is checked like any secret.
func TestWorkflowNeedsAnIssuerToken(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, okToken)
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	// The API token operations take a bearer token only: with a Global API
	// key as the main credential, an issuer token is required.
	h.set("CLOUDFLARE_API_TOKEN", "")
	h.set("CLOUDFLARE_EMAIL", "me@example.com")
	h.set("CLOUDFLARE_API_KEY", cliCfAPIKey)
	for _, cmd := range [][]string{{"provision"}, {"rotate", cliTokenID}, {"check"}} {
		if r := h.run("", cmd...); r.code != cli.ExitUsage || !strings.Contains(r.err, "--issuer-token-file or CLOUDFLARE_ISSUER_API_TOKEN") {
			t.Errorf("%v with a key pair only: exit %d, %q", cmd, r.code, r.err)
		}
	}
	h.set("CLOUDFLARE_ISSUER_API_TOKEN", "two\x01lines")
	if r := h.run("", "check"); r.code != cli.ExitUsage || !strings.Contains(r.err, "CLOUDFLARE_ISSUER_API_TOKEN: contains control characters") {
		t.Errorf("bad issuer token: exit %d, %q", r.code, r.err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

// workflowEnv is an emulator, the CLI pointed at it through a wireProxy,
// and the outputs of every run, for the secret scan.
type workflowEnv struct {
	ts      *emulator.TestServer
	proxy   *wireProxy
	h       *harness
	outputs map[string]string
}

func newWorkflowEnv(t *testing.T, opts ...emulator.Option) *workflowEnv {
	t.Helper()
	ts := emulator.NewTestServer(t, opts...)
	e := &workflowEnv{ts: ts, proxy: newWireProxy(t, ts.BaseURL), outputs: map[string]string{}}
	e.h = useAPI(t, e.proxy.URL, ts.AccountID, ts.APIToken)
	t.Cleanup(func() {
		assertNoneOf(t, append(e.proxy.Secrets(), ts.APIToken, ts.APIKey), e.outputs)
	})
	return e
}

// step runs the CLI and fails the test unless it exits with code.
func (e *workflowEnv) step(t *testing.T, code int, args ...string) result {
	t.Helper()
	r := e.h.run("", args...)
	key := strings.Join(args, " ")
	e.outputs[key+" (stdout)"] += r.out
	e.outputs[key+" (stderr)"] += r.err
	if r.code != code {
		t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, code, r.out, r.err)
	}
	return r
}

func decodeJSON[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.out), &v); err != nil {
		t.Fatalf("stdout is not the JSON expected: %v\n%s", err, r.out)
	}
	return v
}

type provisionOut struct {
	TokenID          string   `json:"token_id"`
	CfAPIID          string   `json:"cf_api_id"`
	Created          bool     `json:"created"`
	Owner            string   `json:"owner"`
	ExpiresOn        string   `json:"expires_on"`
	PermissionGroups []string `json:"permission_groups"`
}

type rotateOut struct {
	TokenID    string `json:"token_id"`
	CfAPIID    string `json:"cf_api_id"`
	OldCfAPIID string `json:"old_cf_api_id"`
	OldDeleted bool   `json:"old_deleted"`
}

type checkOut []struct {
	TokenID  string `json:"token_id"`
	Healthy  bool   `json:"healthy"`
	Problems []struct {
		Kind      string `json:"kind"`
		Detail    string `json:"detail"`
		Heuristic *bool  `json:"heuristic"`
	} `json:"problems"`
}

// Every exit code of the three commands, against the emulator.
func TestWorkflowExitCodes(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	ts := e.ts

	// No registration: check says so (3), and so does rotate of an unknown id.
	if r := e.step(t, cli.ExitNotFound, "check"); !strings.Contains(r.err, "no service token is registered") || !strings.Contains(r.err, "aisearch-tokens provision") {
		t.Errorf("check with none: %q", r.err)
	}
	if got := decodeJSON[checkOut](t, e.step(t, cli.ExitNotFound, "check", "--json")); len(got) != 0 {
		t.Errorf("check --json with none: %+v", got)
	}
	e.step(t, cli.ExitNotFound, "rotate", cliTokenID)

	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--json", "--expires-in", "30d"))
	if !p.Created || p.TokenID == "" || p.CfAPIID == "" || p.Owner != "user" || p.ExpiresOn == "" ||
		strings.Join(p.PermissionGroups, ",") != "AI Search Index Engine,Workers R2 Storage Write" {
		t.Errorf("provision: %+v", p)
	}
	if err := ts.CredentialWorks(ts.AccountID, p.TokenID); err != nil {
		t.Errorf("the provisioned registration does not work: %v", err)
	}
	e.step(t, cli.ExitOK, "check")

	// Expiring within the window is unhealthy (4); a shorter window, or 0
	// (never), is not.
	r := e.step(t, cli.ExitUnhealthy, "check", "--expiring-within", "31d")
	if !strings.Contains(r.out, "FAIL registration "+p.TokenID) || !strings.Contains(r.out, "expiring_soon: ") || !strings.Contains(r.out, "repair: aisearch-tokens rotate "+p.TokenID) {
		t.Errorf("check --expiring-within 31d:\n%s", r.out)
	}
	if !strings.Contains(r.err, "1 of 1 registrations unhealthy") {
		t.Errorf("check stderr: %q", r.err)
	}
	e.step(t, cli.ExitOK, "check", "--expiring-within", "29d")
	e.step(t, cli.ExitOK, "check", "--expiring-within", "0")

	// A group the token lacks is a problem too.
	e.step(t, cli.ExitUnhealthy, "check", "--permission-group", "7cf72faf220841aabcfdfab81c43c4f6")

	// Could not check: the issuer credential is refused (1).
	e.h.set("CLOUDFLARE_ISSUER_API_TOKEN", "not-a-token-of-this-emulator")
	if r := e.step(t, cli.ExitFailure, "check"); !strings.Contains(r.err, "could not check") || !strings.Contains(r.err, "401") || !strings.Contains(r.err, "code 1000") {
		t.Errorf("check with a refused issuer: %q", r.err)
	}
	e.h.set("CLOUDFLARE_ISSUER_API_TOKEN", "")

	// The token deleted behind the registration: check (4) and provision (4)
	// say so and point to rotate; provision creates nothing.
	deleteUserToken(t, ts, p.CfAPIID)
	got := decodeJSON[checkOut](t, e.step(t, cli.ExitUnhealthy, "check", "--json"))
	if len(got) != 1 || got[0].TokenID != p.TokenID || got[0].Healthy || len(got[0].Problems) != 1 || got[0].Problems[0].Kind != "gone" ||
		got[0].Problems[0].Heuristic == nil || *got[0].Problems[0].Heuristic {
		t.Errorf("check --json after the delete: %+v", got)
	}
	before := len(ts.APITokens(emulator.UserOwner))
	r = e.step(t, cli.ExitUnhealthy, "provision")
	if !strings.Contains(r.err, "broken") || !strings.Contains(r.err, "gone: ") || !strings.Contains(r.err, "aisearch-tokens rotate "+p.TokenID) || r.out != "" {
		t.Errorf("provision over a broken registration: stdout %q, stderr %q", r.out, r.err)
	}
	// --json prints its document on this exit too: what is broken.
	var brokenOut struct {
		Created bool `json:"created"`
		Broken  []struct {
			TokenID   string `json:"token_id"`
			Problems  []struct{ Kind string }
			Instances json.RawMessage `json:"instances"` // null: provision does not look them up
		} `json:"broken"`
	}
	r = e.step(t, cli.ExitUnhealthy, "provision", "--json")
	if err := json.Unmarshal([]byte(r.out), &brokenOut); err != nil || brokenOut.Created || len(brokenOut.Broken) != 1 ||
		brokenOut.Broken[0].TokenID != p.TokenID || brokenOut.Broken[0].Problems[0].Kind != "gone" || string(brokenOut.Broken[0].Instances) != "null" {
		t.Errorf("provision --json over a broken registration: %v\n%s", err, r.out)
	}
	if n := len(ts.APITokens(emulator.UserOwner)); n != before || len(ts.Tokens(ts.AccountID)) != 1 {
		t.Errorf("provision over a broken registration created something: %d tokens, %d registrations", n, len(ts.Tokens(ts.AccountID)))
	}

	// rotate repairs it (0); check passes again.
	rot := decodeJSON[rotateOut](t, e.step(t, cli.ExitOK, "rotate", p.TokenID, "--json"))
	if rot.TokenID != p.TokenID || rot.OldCfAPIID != p.CfAPIID || rot.CfAPIID == p.CfAPIID || rot.OldDeleted {
		t.Errorf("rotate: %+v", rot)
	}
	e.step(t, cli.ExitOK, "check")
	if err := ts.CredentialWorks(ts.AccountID, p.TokenID); err != nil {
		t.Errorf("after rotate: %v", err)
	}
}

// deleteUserToken deletes a Cloudflare token through the API, as someone
// tidying their tokens would.
func deleteUserToken(t *testing.T, ts *emulator.TestServer, id string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, ts.BaseURL+"/user/tokens/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+ts.APIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("delete token %s: %s", id, resp.Status)
	}
}

// Text output: what happened, and the token_id to give instances.
func TestWorkflowTextOutput(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	r := e.step(t, cli.ExitOK, "provision", "--name", "svc")
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	id := e.ts.Tokens(e.ts.AccountID)[0].ID
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "created Cloudflare API token ") || !strings.Contains(lines[0], `user-owned, active, never expires; "AI Search Index Engine", "Workers R2 Storage Write"`) ||
		lines[1] != "registered it with AI Search as "+id+` ("svc")` || lines[2] != "token_id for AI Search instances: "+id {
		t.Errorf("provision:\n%s", r.out)
	}
	r = e.step(t, cli.ExitOK, "provision", "--name", "svc")
	if !strings.HasPrefix(r.out, "already provisioned, nothing created: registration "+id) || !strings.HasSuffix(r.out, "token_id for AI Search instances: "+id+"\n") {
		t.Errorf("second provision:\n%s", r.out)
	}
	r = e.step(t, cli.ExitOK, "rotate", id)
	if !strings.HasPrefix(r.out, "rotated registration "+id+` ("svc"): it now holds Cloudflare API token `) || !strings.Contains(r.out, "\ndeleted the old token ") ||
		!strings.HasSuffix(r.out, "token_id for AI Search instances (unchanged): "+id+"\n") {
		t.Errorf("rotate:\n%s", r.out)
	}
	r = e.step(t, cli.ExitOK, "check")
	if !strings.HasPrefix(r.out, "ok   registration "+id+` ("svc"): Cloudflare API token `) || !strings.HasSuffix(r.out, "1 registration(s), 1 healthy\n") {
		t.Errorf("check:\n%s", r.out)
	}
}

// --owner account makes account-owned tokens; check finds them with either
// --owner, as it looks among the other owner's tokens too.
func TestWorkflowAccountOwnedTokens(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--owner", "account", "--json"))
	acct := e.ts.APITokens(e.ts.AccountID)
	if p.Owner != "account" || len(acct) != 1 || acct[0].ID != p.CfAPIID || len(e.ts.APITokens(emulator.UserOwner)) != 0 {
		t.Fatalf("provision --owner account: %+v; account tokens %+v", p, acct)
	}
	e.step(t, cli.ExitOK, "check", "--owner", "account")
	e.step(t, cli.ExitOK, "check")
	rot := decodeJSON[rotateOut](t, e.step(t, cli.ExitOK, "rotate", p.TokenID, "--owner", "account", "--json"))
	if acct := e.ts.APITokens(e.ts.AccountID); !rot.OldDeleted || len(acct) != 1 || acct[0].ID != rot.CfAPIID {
		t.Errorf("rotate --owner account: %+v; account tokens %+v", rot, acct)
	}
}

// Two credentials: a Global API key for AI Search, an API token (from a
// file or the environment) for the Cloudflare tokens.
func TestWorkflowIssuerCredential(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	e.h.set("CLOUDFLARE_API_TOKEN", "")
	e.h.set("CLOUDFLARE_EMAIL", e.ts.APIEmail)
	e.h.set("CLOUDFLARE_API_KEY", e.ts.APIKey)
	file := filepath.Join(t.TempDir(), "issuer")
	if err := os.WriteFile(file, []byte(e.ts.APIToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--issuer-token-file", file, "--json"))
	e.h.set("CLOUDFLARE_ISSUER_API_TOKEN", e.ts.APIToken)
	e.step(t, cli.ExitOK, "check")
	e.step(t, cli.ExitOK, "rotate", p.TokenID)
	// A wrong issuer token is refused by the token operations only.
	e.h.set("CLOUDFLARE_ISSUER_API_TOKEN", "wrong-issuer-token")
	if r := e.step(t, cli.ExitFailure, "rotate", p.TokenID); !strings.Contains(r.err, "401") || !strings.Contains(r.err, "code 1000") {
		t.Errorf("rotate with a wrong issuer: %q", r.err)
	}
	if err := e.ts.CredentialWorks(e.ts.AccountID, p.TokenID); err != nil {
		t.Errorf("a failed rotate broke the registration: %v", err)
	}
}

// A rotation whose last step (deleting the old token) fails has still
// rotated: the result is printed, the error names the token to delete, and
// the exit code is 1.
func TestRotateReportsAnOldTokenItCouldNotDelete(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	p := decodeJSON[provisionOut](t, e.step(t, cli.ExitOK, "provision", "--json"))
	e.proxy.FailWhen(func(r *http.Request) string {
		if r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/user/tokens/"+p.CfAPIID) {
			return "503"
		}
		return ""
	})
	r := e.step(t, cli.ExitFailure, "rotate", p.TokenID, "--json", "--max-attempts", "1")
	rot := decodeJSON[rotateOut](t, r)
	if rot.TokenID != p.TokenID || rot.OldCfAPIID != p.CfAPIID || rot.OldDeleted || rot.CfAPIID == p.CfAPIID {
		t.Errorf("rotate --json: %+v", rot)
	}
	if !strings.Contains(r.err, "deleting the old token "+p.CfAPIID+" failed (delete it by hand)") {
		t.Errorf("stderr: %q", r.err)
	}
	if err := e.ts.CredentialWorks(e.ts.AccountID, p.TokenID); err != nil {
		t.Errorf("the registration does not work: %v", err)
	}
}

// A slow API is cut off by --timeout: the workflow commands are bounded
// like the others.
func TestWorkflowTimeout(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	e.proxy.FailWhen(func(*http.Request) string { return "delay=20s" })
	start := time.Now()
	if r := e.step(t, cli.ExitFailure, "check", "--timeout", "300ms"); !strings.Contains(r.err, "timed out after 300ms (--timeout 300ms)") {
		t.Errorf("check --timeout: %q", r.err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("check --timeout 300ms took %s", took)
	}
}

// provision with a token that lacks "API Tokens Write": Cloudflare answers
// the create with 403 code 9109, and so does the emulator, which enforces
// the token's policies. The message names the permission group and the
// credential used (never its value), and nothing is created.
func TestProvisionWithoutAPITokensWrite(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	// May manage AI Search and read the user's tokens, not create them.
	const limited = "limited-token-VALUE-0123456789abcdef"
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "0123456789abcdef0123456789abcdef", Name: "limited", Value: limited,
		Policies: []generated.Policy{
			{Effect: generated.Allow, PermissionGroups: []generated.PolicyPermissionGroup{{ID: emulator.AISearchEditGroupID}},
				Resources: generated.APITokenResources{"com.cloudflare.api.account." + ts.AccountID: "*"}},
			{Effect: generated.Allow, PermissionGroups: []generated.PolicyPermissionGroup{{ID: emulator.APITokensReadGroupID}},
				Resources: generated.APITokenResources{"com.cloudflare.api.user." + emulator.UserID: "*"}},
		}})
	h := useAPI(t, ts.BaseURL, ts.AccountID, limited)
	issuer := filepath.Join(t.TempDir(), "issuer")
	if err := os.WriteFile(issuer, []byte(limited), 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(ts.APITokens(emulator.UserOwner))
	for _, tc := range []struct {
		args []string
		cred string
	}{
		{[]string{"provision"}, "CLOUDFLARE_API_TOKEN"},
		{[]string{"provision", "--json"}, "CLOUDFLARE_API_TOKEN"},
		{[]string{"provision", "--issuer-token-file", issuer}, "--issuer-token-file " + issuer},
	} {
		r := h.run("", tc.args...)
		want := `The API token from ` + tc.cred + ` works but lacks a permission: creating user API tokens needs the "API Tokens Write" (User > API Tokens > Edit) permission group.`
		if r.code != cli.ExitFailure || !strings.Contains(r.err, want) || !strings.Contains(r.err, "(code 9109)") || r.out != "" {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s\nwant: %s", tc.args, r.code, r.out, r.err, want)
		}
		assertNoneOf(t, []string{ts.APIToken, limited}, map[string]string{"stderr": r.err})
	}
	if n, regs := len(ts.APITokens(emulator.UserOwner)), len(ts.Tokens(ts.AccountID)); n != before || regs != 0 {
		t.Errorf("created %d tokens and %d registrations", n-before, regs)
	}
}

// An expiry inside check's window is warned about: check would fail the
// new token as expiring_soon at once.
func TestProvisionWarnsOfAnExpiryInsideCheckWindow(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	r := e.step(t, cli.ExitOK, "provision", "--expires-in", "3d")
	if !strings.Contains(r.err, "Warning: the token will expire in 3d, within check's window of 7d") {
		t.Errorf("provision --expires-in 3d: stderr %q", r.err)
	}
	e.step(t, cli.ExitUnhealthy, "check")
	e.step(t, cli.ExitOK, "check", "--expiring-within", "0") // no window: passed to the library as its zero
	if r := e.step(t, cli.ExitOK, "provision", "--name", "short", "--expires-in", "2m"); !strings.Contains(r.err, "Warning: the token will expire in 2m0s,") {
		t.Errorf("provision --expires-in 2m: stderr %q", r.err)
	}
	if r := e.step(t, cli.ExitOK, "provision", "--name", "other", "--expires-in", "30d"); strings.Contains(r.err, "Warning") {
		t.Errorf("provision --expires-in 30d warned: %q", r.err)
	}
}

// Progress on stderr when a person watches it, and nothing otherwise.
func TestWorkflowProgress(t *testing.T) {
	t.Parallel()
	e := newWorkflowEnv(t)
	if r := e.step(t, cli.ExitOK, "provision"); r.err != "" {
		t.Errorf("provision without a terminal said %q", r.err)
	}
	e.h.stderrTerminal = true
	id := e.ts.Tokens(e.ts.AccountID)[0].ID
	e.proxy.FailWhen(func(r *http.Request) string {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/user/tokens") {
			return "" // creates are not retried once sent
		}
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/ai-search/tokens/") && !e.proxy.once("get") {
			return "503"
		}
		return ""
	})
	r := e.step(t, cli.ExitOK, "rotate", id)
	for _, want := range []string{
		"· reading the registrations (GET /accounts/" + e.ts.AccountID + "/ai-search/tokens/" + id + ")\n  answered 503 Service Unavailable\n  waiting ",
		"· creating user API tokens (POST /user/tokens)\n",
		"· updating a registration (PUT /accounts/",
		"· deleting user API tokens (DELETE /user/tokens/",
	} {
		if !strings.Contains(r.err, want) {
			t.Errorf("rotate's progress lacks %q:\n%s", want, r.err)
		}
	}
	// The wait before the retry is said, with its length.
	if !regexp.MustCompile(`\n  answered 503 Service Unavailable\n  waiting [0-9.]+(ms|s)\n  retrying GET `).MatchString(r.err) {
		t.Errorf("rotate's progress does not say the wait before its retry:\n%s", r.err)
	}
	// A command of one request says it too (docs/cli.md: every command that
	// calls the API).
	if r := e.step(t, cli.ExitOK, "get", id); r.err != "· reading the registrations (GET /accounts/"+e.ts.AccountID+"/ai-search/tokens/"+id+")\n" {
		t.Errorf("get's progress: %q", r.err)
	}
}

// When AI Search keeps refusing the token provision has just created (code
// 7012: Cloudflare has not made it known yet), provision retries for the
// library's PropagationTimeout, showing each wait on a terminal, then
// deletes the token and says so, exit 1, with nothing left behind. The
// retries' waits cost no time here (Env.Retry does not wait).
func TestProvisionWhenAISearchNeverTakesTheToken(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	emu := ts.Server().Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/ai-search/tokens") {
			reply(w, http.StatusBadRequest, `{"success":false,"errors":[{"code":7012,"message":"ai_search_instance_invalid_token"}],"messages":[],"result":null}`)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	h := useAPI(t, srv.URL+emulator.BasePath, ts.AccountID, ts.APIToken)
	h.stderrTerminal = true
	r := h.run("", "provision")
	for _, want := range []string{
		"  waiting 1s\n  retrying POST /accounts/" + ts.AccountID + "/ai-search/tokens\n  waiting 2s\n",
		"\nError: the new Cloudflare token ",
		"did not reach AI Search in time: AI Search refused it on ",
		" over 30s (last: ai_search_instance_invalid_token, code 7012); the token was deleted again, nothing is left behind\n" +
			"  Cloudflare takes a few seconds to make a new token known to AI Search, sometimes longer: run the command again.\n",
	} {
		if r.code != cli.ExitFailure || !strings.Contains(r.err, want) || r.out != "" {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.err)
		}
	}
	if n, regs := len(ts.APITokens(emulator.UserOwner)), len(ts.Tokens(ts.AccountID)); n != 0 || regs != 0 {
		t.Errorf("left %d Cloudflare tokens and %d registrations behind", n, regs)
	}
}
