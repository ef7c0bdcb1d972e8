package cli_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

var tokenCommands = []string{"list", "get", "create", "update", "delete", "register"}

func TestTokenCommandsHaveHelp(t *testing.T) {
	t.Parallel()
	for _, name := range tokenCommands {
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			r := run(t, "", args...)
			if r.code != cli.ExitOK || r.err != "" {
				t.Errorf("%v: exit %d, stderr %q", args, r.code, r.err)
			}
			if !strings.Contains(r.out, "Usage:\n  aisearch-tokens "+name) || !strings.Contains(r.out, "      --account-id ID") {
				t.Errorf("%v: help lacks the usage line or the flags:\n%s", args, r.out)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, okToken)
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"get"}, "want ID, got 0"},
		{[]string{"get", "a", "b"}, "want ID, got 2"},
		{[]string{"get", " "}, "empty ID"},
		{[]string{"get", "not-a-uuid"}, `ID "not-a-uuid" is not a registration id: want a UUID`},
		{[]string{"list", "extra"}, `unexpected argument "extra"`},
		{[]string{"list", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"create"}, "--name and --cf-api-id are required"},
		{[]string{"create", "--cf-api-id", "x"}, "--name is required"},
		{[]string{"create", "--name", "n", "--cf-api-id", "x", "--cf-api-key", cliCfAPIKey}, "unknown flag: --cf-api-key"},
		{[]string{"register", "--name", "n"}, "--cf-api-id is required"},
		{[]string{"update"}, "want ID"},
		{[]string{"delete", "--yes"}, "want ID"},
		{[]string{"delete", cliTokenID}, "--yes is required when stdin is not a terminal"},
		{[]string{"update", "x"}, `ID "x" is not a registration id`},
		{[]string{"get", cliTokenID, "--timeout", "-1s"}, "--timeout -1s: must not be negative"},
		{[]string{"get", cliTokenID, "--base-url", "localhost:1"}, "--base-url: base URL"},
		{[]string{"get", cliTokenID, "--account-id", "a b"}, `--account-id: account ID "a b" contains whitespace`},
		{[]string{"get", cliTokenID, "--max-attempts", "0"}, "--max-attempts 0: want 1 to 10"},
		{[]string{"get", cliTokenID, "--max-attempts", "11"}, "--max-attempts 11: want 1 to 10"},
		{[]string{"get", cliTokenID, "--timeout", "soon"}, `invalid argument "soon" for "--timeout" flag`},
		{[]string{"create", "--name", "n", "--cf-api-id", "x", "--legacy=maybe"}, "want true or false"},
		{[]string{"create", "--name", "n", "--cf-api-id", "x", "--cf-api-key-file", "/nonexistent/key"}, "--cf-api-key-file: open /nonexistent/key"},
		{[]string{"get", cliTokenID, "--api-token-file", "/nonexistent/tok"}, "--api-token-file: open"},
		// provision, rotate, check
		{[]string{"rotate"}, "want TOKEN_ID, got 0"},
		{[]string{"rotate", "a", "b"}, "want TOKEN_ID, got 2"},
		{[]string{"rotate", " "}, "empty TOKEN_ID"},
		{[]string{"rotate", "not-a-uuid"}, `TOKEN_ID "not-a-uuid" is not a registration id`},
		{[]string{"provision", "extra"}, `unexpected argument "extra"`},
		{[]string{"check", "extra"}, `unexpected argument "extra"`},
		{[]string{"provision", "--owner", "team"}, `--owner "team": want user or account`},
		{[]string{"check", "--owner", "User"}, `--owner "User": want user or account`},
		{[]string{"provision", "--permission-group", "AI Search Index Engine"}, "want a permission group id, 32 lowercase hex digits"},
		{[]string{"provision", "--permission-group", strings.ToUpper("9e9b428a0bcd46fd80e580b46a69963c")}, "want a permission group id"},
		{[]string{"provision", "--name", " "}, "empty --name"},
		{[]string{"provision", "--expires-in", "soon"}, "want a duration such as 90d or 720h"},
		{[]string{"provision", "--expires-in", "-3d"}, "want a duration such as 90d"},
		{[]string{"provision", "--expires-in", "0s"}, "--expires-in must be positive"},
		{[]string{"rotate", cliTokenID, "--expires-in", "-1h"}, "--expires-in must be positive"},
		// The library would refuse an expiry inside its wait for AI Search
		// (DefaultPropagationTimeout and a minute), in Go words.
		{[]string{"provision", "--expires-in", "89s"}, "--expires-in 1m29s: too soon, the token could expire before AI Search takes it: give at least 1m30s"},
		{[]string{"rotate", cliTokenID, "--expires-on", time.Now().Add(time.Minute).UTC().Format(time.RFC3339)}, "too soon"},
		{[]string{"provision", "--expires-in", "90d", "--expires-on", "2099-01-01T00:00:00Z"}, "not both"},
		{[]string{"provision", "--expires-on", "2099-01-01"}, "want an RFC 3339 time"},
		{[]string{"rotate", cliTokenID, "--expires-on", "2001-01-01T00:00:00Z"}, "is not in the future"},
		{[]string{"check", "--expiring-within", "-1h"}, "--expiring-within -1h0m0s: must not be negative"},
		{[]string{"check", "--expiring-within", "week"}, "want a duration"},
		{[]string{"provision", "--issuer-token-file", "/nonexistent/issuer"}, "--issuer-token-file: open /nonexistent/issuer"},
		{[]string{"check", "--api-token-file", "/nonexistent/tok"}, "--api-token-file: open"},
		{[]string{"provision", "--legacy=maybe"}, "want true or false"},
		{[]string{"provision", "--issuer-token", cliAPIToken}, "unknown flag: --issuer-token"},
		{[]string{"check", "--timeout", "-1s"}, "--timeout -1s: must not be negative"},
	}
	for _, tt := range tests {
		r := h.run("", tt.args...)
		// One line, then where the help is.
		want := "^Error: [^\n]*" + regexp.QuoteMeta(tt.want) + "[^\n]*\nRun 'aisearch-tokens " + tt.args[0] + " --help' for usage.\n$"
		if r.code != cli.ExitUsage || !regexp.MustCompile(want).MatchString(r.err) || r.out != "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, r.code, r.err, want)
		}
		assertNoSecrets(t, r.out, r.err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

// A missing account or credential is said in the user's words: the flag
// and the variables to set, no Go identifier; nothing is sent.
func TestMissingConfigurationIsAUsageError(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, okToken)
	goWords := regexp.MustCompile(`\bNew\b|FromEnv|WithAPIToken|WithAPIKey|aisearch:|RetryPolicy`)
	for _, tc := range []struct {
		name, account, token string
		env                  map[string]string
		want                 []string
	}{
		{"no account", "", cliAPIToken, nil, []string{"no account: pass --account-id or set CLOUDFLARE_ACCOUNT_ID"}},
		{"no credential", cliAccount, "", nil, []string{"no credential: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL), or pass --api-token-file"}},
		{"key without e-mail", cliAccount, "", map[string]string{"CLOUDFLARE_API_KEY": cliCfAPIKey}, []string{"CLOUDFLARE_API_KEY is set but CLOUDFLARE_EMAIL is not"}},
		{"token with a newline", cliAccount, "two\nlines", nil, []string{"CLOUDFLARE_API_TOKEN: more than one line"}},
		{"bad base URL", cliAccount, cliAPIToken, map[string]string{"CLOUDFLARE_API_BASE_URL": "ftp://x"}, []string{"CLOUDFLARE_API_BASE_URL: base URL", "scheme must be http or https"}},
		{"base URL without /client/v4", cliAccount, cliAPIToken, map[string]string{"CLOUDFLARE_API_BASE_URL": srv.URL}, []string{"CLOUDFLARE_API_BASE_URL: base URL", "has no /client/v4: the API root is " + srv.baseURL()}},
		{"whitespace account", "  ", cliAPIToken, nil, []string{`CLOUDFLARE_ACCOUNT_ID: account ID "  " contains whitespace`}},
	} {
		h := useAPI(t, srv.baseURL(), tc.account, tc.token)
		for k, v := range tc.env {
			h.set(k, v)
		}
		r := h.run("", "list")
		for _, w := range tc.want {
			if r.code != cli.ExitUsage || !strings.Contains(r.err, w) {
				t.Errorf("%s: exit %d, %q; want 2 and %q", tc.name, r.code, r.err, w)
			}
		}
		if goWords.MatchString(r.err) {
			t.Errorf("%s: the message names Go identifiers: %q", tc.name, r.err)
		}
		assertNoSecrets(t, r.out, r.err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestExitCodesForAPIFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, body string)
		code    int
		want    string
	}{
		{"not found", func(w http.ResponseWriter, _ *http.Request, _ string) {
			reply(w, 404, `{"success":false,"errors":[{"code":10003,"message":"Token not found"}],"messages":[]}`)
		}, cli.ExitNotFound, "404 Not Found: Token not found (code 10003)"},
		{"html 502", func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html><title>502 Bad Gateway</title><body>cloudflare</body></html>"))
		}, cli.ExitFailure, `502 Bad Gateway: not an API response: "502 Bad Gateway cloudflare"`},
		{"bad credential", func(w http.ResponseWriter, _ *http.Request, _ string) {
			reply(w, 401, `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`)
		}, cli.ExitFailure, "401 Unauthorized: Authentication error (code 10000)\n  The credential from CLOUDFLARE_API_TOKEN was refused: is it the right one, still active and not expired?\n" +
			`  Reading the registrations needs the "AI Search Read" or "AI Search Edit" permission group on the account.`},
		{"missing permission", func(w http.ResponseWriter, _ *http.Request, _ string) {
			reply(w, 403, `{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}]}`)
		}, cli.ExitFailure, "403 Forbidden: Unauthorized to access requested resource (code 9109)\n" +
			`  The API token from CLOUDFLARE_API_TOKEN works but lacks a permission: reading the registrations needs the "AI Search Read" or "AI Search Edit" permission group on the account.`},
		{"no route", func(w http.ResponseWriter, _ *http.Request, _ string) {
			reply(w, 404, `{"success":false,"errors":[{"code":7000,"message":"No route for that URI"}]}`)
		}, cli.ExitFailure, "No route for that URI (code 7000)\n  No such API route: is the base URL (from CLOUDFLARE_API_BASE_URL) the API root of Cloudflare or of an emulator?"},
		{"truncated", func(w http.ResponseWriter, _ *http.Request, _ string) {
			reply(w, 200, `{"success":true,"result":{"id":"`)
		}, cli.ExitFailure, "malformed response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newRecorder(t, tt.handler)
			h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
			r := h.run("", "get", cliTokenID, "--timeout", "5s", "--max-attempts", "1")
			if r.code != tt.code || !strings.Contains(r.err, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d mentioning %q", r.code, r.err, tt.code, tt.want)
			}
			assertNoSecrets(t, r.out, r.err)
		})
	}
}

// The hint after an API error follows the library's reading of
// Cloudflare's codes (aisearch.ErrPermissionDenied, ErrBadCredential),
// whatever the status: a 400 can be a credential that does not work.
func TestAuthHintsFollowTheLibrary(t *testing.T) {
	t.Parallel()
	const (
		refused = "  The credential from CLOUDFLARE_API_TOKEN was refused"
		lacks   = "  The API token from CLOUDFLARE_API_TOKEN works but lacks a permission"
	)
	for _, tc := range []struct {
		name   string
		status int
		errors string
		hint   string // "": no hint
	}{
		{"malformed Authorization header", 400, `[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}]`, refused},
		{"no credential reached the API", 400, `[{"code":9106,"message":"Missing X-Auth-Key, X-Auth-Email or Authorization headers"}]`, refused},
		{"authentication error on a 403", 403, `[{"code":10000,"message":"Authentication error"}]`, refused},
		{"invalid API token", 401, `[{"code":1000,"message":"Invalid API Token"}]`, refused},
		{"permission on a 401", 401, `[{"code":9109,"message":"Unauthorized to access requested resource"}]`, lacks},
		{"other invalid headers", 400, `[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6100,"message":"Invalid format for X-Auth-Email header"}]}]`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
				reply(w, tc.status, `{"success":false,"errors":`+tc.errors+`,"messages":[],"result":null}`)
			})
			r := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken).run("", "list", "--max-attempts", "1")
			hints := strings.Contains(r.err, refused) || strings.Contains(r.err, lacks)
			if r.code != cli.ExitFailure || tc.hint != "" && !strings.Contains(r.err, tc.hint) || tc.hint == "" && hints {
				t.Errorf("exit %d, stderr %q; want 1 and hint %q", r.code, r.err, tc.hint)
			}
		})
	}
}

func TestRetriesFromTheCLI(t *testing.T) {
	t.Parallel()
	n := 0
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, body string) {
		if n++; n == 1 {
			w.Header().Set("Retry-After", "0")
			reply(w, 503, `{"success":false,"errors":[{"code":10005,"message":"injected"}]}`)
			return
		}
		okToken(w, r, body)
	})
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	if r := h.run("", "get", cliTokenID); r.code != 0 || len(srv.requests()) != 2 {
		t.Errorf("exit %d after %d requests: %s", r.code, len(srv.requests()), r.err)
	}
}

func TestGetPrintsTextOrJSON(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, okToken)
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	r := h.run("", "get", cliTokenID)
	if r.code != 0 || !strings.Contains(r.out, "id:           "+cliTokenID) || !strings.Contains(r.out, "created_by:   -") || !strings.Contains(r.out, "legacy:       false") {
		t.Errorf("text output:\n%s%s", r.out, r.err)
	}
	r = h.run("", "get", cliTokenID, "--json") // flags after the ID work too
	var tok map[string]any
	if err := json.Unmarshal([]byte(r.out), &tok); err != nil || tok["id"] != cliTokenID || tok["legacy"] != false {
		t.Errorf("json output %q: %v", r.out, err)
	}
}

// A name from the server cannot drive the terminal or break the lines.
func TestTextOutputNeutralisesControlCharacters(t *testing.T) {
	t.Parallel()
	evil := strings.Replace(tokenJSON, `"name":"svc"`, `"name":"svc\u001b[2J\nid: forged"`, 1)
	srv := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
		reply(w, 200, `{"success":true,"errors":[],"messages":[],"result":`+evil+`}`)
	})
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	r := h.run("", "get", cliTokenID)
	if r.code != 0 || strings.ContainsAny(r.out, "\x1b") || strings.Contains(r.out, "\nid: forged") || !strings.Contains(r.out, "svc [2J id: forged") {
		t.Errorf("text output:\n%q", r.out)
	}
}

func TestListTableAndEmptyJSON(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		if r.URL.Query().Get("search") == "none" {
			reply(w, 200, `{"success":true,"result":[],"result_info":{"page":1,"per_page":100,"count":0,"total_count":0}}`)
			return
		}
		reply(w, 200, `{"success":true,"result":[`+tokenJSON+`],"result_info":{"page":1,"per_page":100,"count":1,"total_count":1}}`)
	})
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	r := h.run("", "list")
	if r.code != 0 || !strings.Contains(r.out, "ID") || !strings.Contains(r.out, cliTokenID+"  svc") {
		t.Errorf("table:\n%s%s", r.out, r.err)
	}
	r = h.run("", "list", "--search", "none", "--json")
	if r.code != 0 || strings.TrimSpace(r.out) != "[]" {
		t.Errorf("empty json = %q", r.out)
	}
	// An empty list is said on stderr; stdout, for scripts, stays empty.
	r = h.run("", "list", "--search", "none")
	if r.code != 0 || r.out != "" || r.err != "no registered tokens\n" {
		t.Errorf("empty text: exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 || reqs[1].query != "page=1&per_page=100&search=none" {
		t.Errorf("requests = %+v", reqs)
	}
}

// keyBody extracts cf_api_key from a recorded request body.
func keyBody(t *testing.T, body string) string {
	t.Helper()
	var in struct {
		CfAPIKey string `json:"cf_api_key"`
	}
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return in.CfAPIKey
}

func TestCreateReadsTheKeyFromFileEnvOrStdin(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
		reply(w, 201, `{"success":true,"result":`+tokenJSON+`}`)
	})
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte(cliCfAPIKey+"-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	create := []string{"create", "--name", "svc", "--cf-api-id", "cf-1"}
	steps := []struct {
		name, env, stdin string
		extra            []string
		want             string
	}{
		{"file wins over env and stdin", cliCfAPIKey + "-env", cliCfAPIKey + "-stdin", []string{"--cf-api-key-file", file}, cliCfAPIKey + "-file"},
		{"env wins over stdin", cliCfAPIKey + "-env", cliCfAPIKey + "-stdin", nil, cliCfAPIKey + "-env"},
		{"stdin, trailing newline trimmed", "", cliCfAPIKey + "-stdin\r\n", nil, cliCfAPIKey + "-stdin"},
	}
	for i, s := range steps {
		h.set("CF_API_KEY", s.env)
		r := h.run(s.stdin, append(create, s.extra...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", s.name, r.code, r.err)
		}
		assertNoSecrets(t, r.out, r.err)
		reqs := srv.requests()
		if got := keyBody(t, reqs[i].body); got != s.want {
			t.Errorf("%s: sent a different key", s.name)
		}
		if strings.Contains(reqs[i].body, "legacy") {
			t.Errorf("%s: legacy sent without --legacy: %s", s.name, reqs[i].body)
		}
	}
	h.set("CF_API_KEY", "")
	if r := h.run("", create...); r.code != cli.ExitUsage || !strings.Contains(r.err, "no cf_api_key") {
		t.Errorf("no key anywhere: exit %d, %q", r.code, r.err)
	}
	if r := h.run("a\nb\n", create...); r.code != cli.ExitUsage || !strings.Contains(r.err, "more than one line") {
		t.Errorf("two lines on stdin: exit %d, %q", r.code, r.err)
	}
}

func TestUpdateKeepsFieldsNotGiven(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, okToken) // GET answers legacy false
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	h.set("CF_API_KEY", cliCfAPIKey)
	r := h.run("", "update", cliTokenID, "--name", "renamed")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].method != "GET" || reqs[1].method != "PUT" {
		t.Fatalf("requests = %+v", reqs)
	}
	var body map[string]any
	_ = json.Unmarshal([]byte(reqs[1].body), &body)
	if body["name"] != "renamed" || body["cf_api_id"] != "cf-1" || body["legacy"] != false || body["cf_api_key"] != cliCfAPIKey {
		t.Errorf("PUT body keeps the wrong fields: name %v cf_api_id %v legacy %v", body["name"], body["cf_api_id"], body["legacy"])
	}
	r = h.run("", "update", cliTokenID, "--legacy")
	_ = json.Unmarshal([]byte(srv.requests()[3].body), &body)
	if r.code != 0 || body["legacy"] != true {
		t.Errorf("--legacy: exit %d, legacy %v", r.code, body["legacy"])
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	t.Parallel()
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, body string) {
		if r.Method == http.MethodDelete {
			reply(w, 200, `{"success":true,"result":{}}`)
			return
		}
		okToken(w, r, body)
	})
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	methods := func() []string {
		var m []string
		for _, r := range srv.requests() {
			m = append(m, r.method)
		}
		return m
	}

	// No terminal: nobody can answer, so --yes is required, and nothing
	// is sent, not even the GET that shows what would go.
	r := h.run("yes\n", "delete", cliTokenID)
	if r.code != cli.ExitUsage || !strings.Contains(r.err, "--yes is required when stdin is not a terminal") {
		t.Errorf("no terminal: exit %d, %q", r.code, r.err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("no terminal: %d requests sent", n)
	}
	// At a terminal, it asks.
	h.stdinTerminal = true
	r = h.run("no\n", "delete", cliTokenID)
	if r.code != cli.ExitFailure || !strings.Contains(r.err, `Delete registration `+cliTokenID+` ("svc"`) || !strings.Contains(r.err, "not confirmed") {
		t.Errorf("answer no: exit %d, %q", r.code, r.err)
	}
	if r := h.run("", "delete", cliTokenID); r.code != cli.ExitFailure {
		t.Errorf("no answer (EOF): exit %d", r.code)
	}
	if got := strings.Join(methods(), ","); got != "GET,GET" {
		t.Errorf("requests = %s, want no DELETE", got)
	}
	if r := h.run("yes\n", "delete", cliTokenID); r.code != 0 || r.out != "deleted registration "+cliTokenID+"\n" {
		t.Errorf("answer yes: exit %d, %q %q", r.code, r.out, r.err)
	}
	h.stdinTerminal = false
	if r := h.run("", "delete", "--yes", cliTokenID, "--json"); r.code != 0 || !strings.Contains(r.out, `"deleted": true`) {
		t.Errorf("--yes: exit %d, %q %q", r.code, r.out, r.err)
	}
	if got := strings.Join(methods(), ","); got != "GET,GET,GET,DELETE,DELETE" {
		t.Errorf("requests = %s", got)
	}
}

// TestCLIPrintsNoSecretsInMisbehavingScenarios runs every command against
// servers that echo the request's key and credentials back, in JSON and in
// HTML, fail mid-way or answer garbage, and scans all output.
func TestCLIPrintsNoSecretsInMisbehavingScenarios(t *testing.T) {
	t.Parallel()
	echo := func(asHTML bool) func(w http.ResponseWriter, r *http.Request, body string) {
		return func(w http.ResponseWriter, r *http.Request, body string) {
			leak := body + " " + r.Header.Get("Authorization")
			if asHTML {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				_, _ = w.Write([]byte("<html><body>" + leak + "</body></html>"))
				return
			}
			msg, _ := json.Marshal(leak)
			reply(w, 400, `{"success":false,"errors":[{"code":7001,"message":`+string(msg)+`}]}`)
		}
	}
	scenarios := map[string]func(w http.ResponseWriter, r *http.Request, body string){
		"json echo": echo(false),
		"html echo": echo(true),
		"truncated": func(w http.ResponseWriter, _ *http.Request, _ string) {
			reply(w, 200, `{"success":true,"result":[{"id":"`)
		},
		"reset": func(w http.ResponseWriter, _ *http.Request, _ string) {
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Close()
		},
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(cliCfAPIKey), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"list"},
		{"get", cliTokenID},
		{"create", "--name", "n", "--cf-api-id", "c", "--cf-api-key-file", keyFile},
		{"update", cliTokenID, "--cf-api-key-file", keyFile},
		{"delete", "--yes", cliTokenID},
		{"register", "--name", "n", "--cf-api-id", "c", "--cf-api-key-file", keyFile, "--json"},
	}
	scrubbed := false
	for name, handler := range scenarios {
		srv := newRecorder(t, handler)
		h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
		for _, args := range commands {
			r := h.run(cliCfAPIKey, append(args, "--max-attempts", "2")...)
			if r.code != cli.ExitFailure {
				t.Errorf("%s %v: exit %d, want 1: %s", name, args, r.code, r.err)
			}
			assertNoSecrets(t, r.out, r.err)
			scrubbed = scrubbed || strings.Contains(r.err, "[REDACTED]")
		}
	}
	if !scrubbed {
		t.Error("no output showed [REDACTED]: the echo scenarios did not reach the scrubber")
	}
}

func TestTimeoutFlagStopsASlowServer(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newRecorder(t, func(_ http.ResponseWriter, r *http.Request, _ string) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	h := useAPI(t, srv.baseURL(), cliAccount, cliAPIToken)
	start := time.Now()
	r := h.run("", "list", "--timeout", "200ms")
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
	if r.code != cli.ExitFailure || !strings.Contains(r.err, "timed out after 200ms (--timeout 200ms)") || strings.Contains(r.err, "context deadline exceeded") {
		t.Errorf("exit %d, %q", r.code, r.err)
	}
}
