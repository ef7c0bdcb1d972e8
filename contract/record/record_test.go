package record_test

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/contract/record"
)

func TestRecordOptionErrors(t *testing.T) {
	ok := record.Options{BaseURL: "http://127.0.0.1:1/client/v4", AccountID: "a", OutDir: t.TempDir(), Credentials: record.Credentials{APIToken: "t"}}
	cases := map[string]func(*record.Options){
		"no base URL":                            func(o *record.Options) { o.BaseURL = "" },
		"base URL suffix":                        func(o *record.Options) { o.BaseURL = "http://127.0.0.1:1/api" },
		"no account":                             func(o *record.Options) { o.AccountID = "" },
		"no out dir":                             func(o *record.Options) { o.OutDir = "" },
		"no credentials":                         func(o *record.Options) { o.Credentials = record.Credentials{} },
		"a service token's id without its value": func(o *record.Options) { o.ServiceTokenID = "a1b2c3d4e5f6" },
		"a service token's value without its id": func(o *record.Options) { o.ServiceTokenKey = "abc123" },
		"legacy credentials and no service token": func(o *record.Options) {
			o.Credentials = record.Credentials{Email: "e@example.com", APIKey: "k"}
		},
	}
	for name, edit := range cases {
		o := ok
		edit(&o)
		if _, err := record.Record(t.Context(), o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestRecordUnexpectedStatus: a server that breaks the script stops the
// recording with an error naming the step, and what was recorded so far is
// saved, redacted.
func TestRecordUnexpectedStatus(t *testing.T) {
	const token = "live-token-value-never-saved"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"success":false,"errors":[{"code":1,"message":"down"}]}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	files, err := record.Record(t.Context(), record.Options{BaseURL: srv.URL + "/client/v4", AccountID: "0123456789abcdef0123456789abcdef",
		OutDir: dir, Credentials: record.Credentials{APIToken: token}, ServiceTokenID: "a1b2c3d4e5f6", ServiceTokenKey: "service-key-never-saved"})
	if err == nil || !strings.Contains(err.Error(), "lifecycle") || !strings.Contains(err.Error(), "status 503, want 200") {
		t.Fatalf("err %v, want the lifecycle step and the status", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Error("the error prints the token")
	}
	if len(files) != 1 {
		t.Fatalf("files %v, want the partial lifecycle cassette", files)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.Contains(string(data), "Bearer REDACTED") || strings.Contains(string(data), token) || strings.Contains(string(data), "service-key-never-saved") {
		t.Errorf("partial cassette not redacted:\n%s", data)
	}
}

// TestRecordMintsTheServiceToken: without a service token, Record mints one
// with the API token (outside the recordings), registers it, and deletes it
// at the end; a refused mint stops it before anything is recorded.
func TestRecordMintsTheServiceToken(t *testing.T) {
	const minted, value = "0123456789abcdef0123456789abcdef", "minted-value-never-saved-0123456789abcdef"
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/client/v4/user/tokens":
			w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":{"id":"` + minted + `","name":"s","status":"active","issued_on":"2026-01-01T00:00:00Z","modified_on":"2026-01-01T00:00:00Z","policies":[],"value":"` + value + `"}}`))
		case r.Method == http.MethodDelete:
			w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":{"id":"` + minted + `"}}`))
		case r.Method == http.MethodGet:
			w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":20,"count":0,"total_count":0}}`))
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"success":false,"errors":[{"code":1,"message":"down"}]}`))
		}
	}))
	defer srv.Close()
	files, err := record.Record(t.Context(), record.Options{BaseURL: srv.URL + "/client/v4", AccountID: "0123456789abcdef0123456789abcdef",
		OutDir: t.TempDir(), Credentials: record.Credentials{APIToken: "live-token-value-never-saved"}, Only: []string{"lifecycle"}})
	if err == nil || len(files) != 1 {
		t.Fatalf("files %v, err %v: want the partial lifecycle cassette and an error", files, err)
	}
	data, _ := os.ReadFile(files[0])
	if strings.Contains(string(data), value) || strings.Contains(string(data), "/user/tokens") {
		t.Errorf("the mint, or its value, reached the cassette:\n%s", data)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 3 || !strings.HasPrefix(seen[0], "POST /client/v4/user/tokens ") || !strings.Contains(seen[0], "9e9b428a0bcd46fd80e580b46a69963c") ||
		!strings.Contains(seen[2], `"cf_api_id":"`+minted+`"`) || seen[len(seen)-1] != "DELETE /client/v4/user/tokens/"+minted+" " {
		t.Errorf("requests %q, want the mint, the lifecycle registering it, and its deletion", seen)
	}

	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}`))
	}))
	defer refused.Close()
	files, err = record.Record(t.Context(), record.Options{BaseURL: refused.URL + "/client/v4", AccountID: "0123456789abcdef0123456789abcdef",
		OutDir: t.TempDir(), Credentials: record.Credentials{APIToken: "live-token-value-never-saved"}})
	if err == nil || len(files) != 0 || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "API Tokens Write") {
		t.Errorf("files %v, err %v: want no cassette and the refused mint", files, err)
	}
}

func TestRecordScenarioNeedsOption(t *testing.T) {
	o := record.Options{BaseURL: "http://127.0.0.1:1/client/v4", AccountID: "a", OutDir: t.TempDir(),
		Credentials: record.Credentials{APIToken: "t"}, Only: []string{"in-use"}}
	if _, err := record.Record(t.Context(), o); err == nil || !strings.Contains(err.Error(), "in-use") {
		t.Errorf("err %v, want one naming the scenario", err)
	}
}

// TestRecordRedactsEchoedCredentials: an API that puts the account's e-mail
// (created_by, say) or a key in a body does not get it into the cassette.
func TestRecordRedactsEchoedCredentials(t *testing.T) {
	const email = "owner-private@example.org"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"success":false,"errors":[{"code":1,"message":"down for ` + r.Header.Get("X-Auth-Email") + ` key ` + r.Header.Get("X-Auth-Key") + `"}]}`))
	}))
	defer srv.Close()
	files, err := record.Record(t.Context(), record.Options{BaseURL: srv.URL + "/client/v4", AccountID: "0123456789abcdef0123456789abcdef",
		OutDir: t.TempDir(), Credentials: record.Credentials{Email: email, APIKey: "live-global-key-never-saved"},
		ServiceTokenID: "a1b2c3d4e5f6", ServiceTokenKey: "service-key-never-saved"})
	if err == nil || len(files) != 1 {
		t.Fatalf("files %v, err %v: want the partial lifecycle cassette and an error", files, err)
	}
	data, _ := os.ReadFile(files[0])
	if strings.Contains(string(data), email) || strings.Contains(string(data), "never-saved") || !strings.Contains(string(data), "down for "+contract.RedactedEmail+" key "+contract.RedactedAPIKey) {
		t.Errorf("the e-mail reached the cassette:\n%s", data)
	}
}

func TestRecordRefusesExistingCassette(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "recorded-lifecycle.yaml")
	if err := os.WriteFile(file, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := record.Options{BaseURL: "http://127.0.0.1:1/client/v4", AccountID: "a", OutDir: dir,
		Credentials: record.Credentials{APIToken: "t"}, Only: []string{"lifecycle"}}
	if _, err := record.Record(t.Context(), o); !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), file) {
		t.Errorf("err %v, want fs.ErrExist naming %s", err, file)
	}
	if data, _ := os.ReadFile(file); string(data) != "mine" {
		t.Error("the cassette was overwritten")
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := record.CredentialsFromEnv(env(map[string]string{"CLOUDFLARE_API_TOKEN": "t", "CLOUDFLARE_EMAIL": "e", "CLOUDFLARE_API_KEY": "k"}))
	if err != nil || c != (record.Credentials{APIToken: "t"}) {
		t.Errorf("token preferred: %+v %v", c, err)
	}
	c, err = record.CredentialsFromEnv(env(map[string]string{"CLOUDFLARE_EMAIL": "e", "CLOUDFLARE_API_KEY": "k"}))
	if err != nil || c != (record.Credentials{Email: "e", APIKey: "k"}) {
		t.Errorf("legacy pair: %+v %v", c, err)
	}
	if _, err := record.CredentialsFromEnv(env(map[string]string{"CLOUDFLARE_EMAIL": "e"})); err == nil {
		t.Error("an e-mail alone was accepted")
	}
}
