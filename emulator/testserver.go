package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"testing"
)

// DefaultAccountID is the account NewTestServer hands out (the example
// account of Cloudflare's docs). Any other account id works too: accounts
// spring into existence on first use, isolated from one another.
const DefaultAccountID = "c3dc5f0b34a14ff8e1b3ec04895e1b22"

// TestServer is an emulator listening on a loopback port for one test.
type TestServer struct {
	*Server
	// URL is the API base URL, http://127.0.0.1:PORT/client/v4, to give to
	// any Cloudflare client (CLOUDFLARE_BASE_URL for the official SDKs).
	URL       string
	AccountID string
	// Credentials the server accepts. Unless options set their own,
	// NewTestServer makes a random API token and Global API key.
	APIToken string
	APIEmail string
	APIKey   string
	http     *httptest.Server
}

// NewTestServer starts an emulator on 127.0.0.1 and stops it (and closes
// its state file) in t.Cleanup. It fails the test on a bad option.
func NewTestServer(t testing.TB, opts ...Option) *TestServer {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.openAuth() {
		cfg.tokens = []string{randomSecret()}
		cfg.keys = []apiKey{{email: "emulator@example.com", key: randomSecret()}}
	}
	srv, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	ts := &TestServer{Server: srv, URL: hs.URL + BasePath, AccountID: DefaultAccountID, http: hs}
	if len(cfg.tokens) > 0 {
		ts.APIToken = cfg.tokens[0]
	}
	if len(cfg.keys) > 0 {
		ts.APIEmail, ts.APIKey = cfg.keys[0].email, cfg.keys[0].key
	}
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("emulator: close: %v", err)
		}
	})
	return ts
}

func randomSecret() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}
