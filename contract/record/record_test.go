package record_test

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/contract/record"
)

func TestRecordOptionErrors(t *testing.T) {
	ok := record.Options{BaseURL: "http://127.0.0.1:1/client/v4", AccountID: "a", OutDir: t.TempDir(), Credentials: record.Credentials{APIToken: "t"}}
	cases := map[string]func(*record.Options){
		"no base URL":     func(o *record.Options) { o.BaseURL = "" },
		"base URL suffix": func(o *record.Options) { o.BaseURL = "http://127.0.0.1:1/api" },
		"no account":      func(o *record.Options) { o.AccountID = "" },
		"no out dir":      func(o *record.Options) { o.OutDir = "" },
		"no credentials":  func(o *record.Options) { o.Credentials = record.Credentials{} },
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
		OutDir: dir, Credentials: record.Credentials{APIToken: token}})
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
	if !strings.Contains(string(data), "Bearer REDACTED") || strings.Contains(string(data), token) {
		t.Errorf("partial cassette not redacted:\n%s", data)
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
		OutDir: t.TempDir(), Credentials: record.Credentials{Email: email, APIKey: "live-global-key-never-saved"}})
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
