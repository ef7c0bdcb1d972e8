package emulator

import (
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// DefaultAccountID is the account NewTestServer hands out (the example
// account of Cloudflare's docs). Any other account id works too: accounts
// spring into existence on first use, isolated from one another.
const DefaultAccountID = "c3dc5f0b34a14ff8e1b3ec04895e1b22"

// TestServer is an emulator listening on a loopback port for one test, in
// the manner of httptest.Server and miniredis: its helpers fail the test
// (t.Fatal) instead of returning errors, so call them from the test's
// goroutine. The error-returning forms are on Server().
type TestServer struct {
	// BaseURL is the API base URL, http://127.0.0.1:PORT/client/v4, to give
	// to any Cloudflare client (CLOUDFLARE_BASE_URL for the official SDKs).
	BaseURL   string
	AccountID string // DefaultAccountID
	// Credentials the server accepts. Unless options set their own,
	// NewTestServer makes a random API token and Global API key.
	APIToken string
	APIEmail string
	APIKey   string

	t         testing.TB
	srv       *Server
	http      *httptest.Server
	closeOnce sync.Once
}

// NewTestServer starts an emulator on 127.0.0.1 and closes it in
// t.Cleanup. It fails the test on a bad option.
func NewTestServer(t testing.TB, opts ...Option) *TestServer {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.openAuth() {
		cfg.tokens = []string{randomValue()}
		cfg.keys = []apiKey{{email: "emulator@example.com", key: randomValue()}}
	}
	srv, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	ts := &TestServer{BaseURL: hs.URL + BasePath, AccountID: DefaultAccountID, t: t, srv: srv, http: hs}
	if len(cfg.tokens) > 0 {
		ts.APIToken = cfg.tokens[0]
	}
	if len(cfg.keys) > 0 {
		ts.APIEmail, ts.APIKey = cfg.keys[0].email, cfg.keys[0].key
	}
	t.Cleanup(ts.Close)
	return ts
}

// Server returns the emulator behind the test server, for what the
// TestServer does not wrap (Handler, SeedFrom, the error-returning Seed,
// MarkInUse and FailNext...).
func (ts *TestServer) Server() *Server { return ts.srv }

// Close stops the HTTP server as httptest.Server.Close does (waiting for
// requests in flight), then releases the state file, if any. Later calls
// do nothing. Inspection (Tokens, KeyMatches) still works after Close.
func (ts *TestServer) Close() {
	ts.closeOnce.Do(func() {
		ts.http.Close()
		if err := ts.srv.Close(); err != nil {
			ts.t.Errorf("emulator: close: %v", err)
		}
	})
}

// Seed adds tokens to an account, as Server.Seed, failing the test on an
// error.
func (ts *TestServer) Seed(accountID string, tokens ...SeedToken) {
	ts.t.Helper()
	ts.must(ts.srv.Seed(accountID, tokens...))
}

// MarkInUse makes instances exactly the instances that use a
// registration, as Server.MarkInUse (a delete then gets 409), failing the
// test on an error.
func (ts *TestServer) MarkInUse(accountID, tokenID string, instances ...string) {
	ts.t.Helper()
	ts.must(ts.srv.MarkInUse(accountID, tokenID, instances...))
}

// FailNext makes the next len(statuses) requests fail, as Server.FailNext,
// failing the test on a status that cannot be injected.
func (ts *TestServer) FailNext(statuses ...int) {
	ts.t.Helper()
	ts.must(ts.srv.FailNext(statuses...))
}

// Tokens returns the account's tokens in creation order, as Server.Tokens.
func (ts *TestServer) Tokens(accountID string) []Token { return ts.srv.Tokens(accountID) }

// KeyMatches reports whether the token's stored cf_api_key is key, as
// Server.KeyMatches.
func (ts *TestServer) KeyMatches(accountID, tokenID, key string) bool {
	return ts.srv.KeyMatches(accountID, tokenID, key)
}

// SeedAPITokens adds Cloudflare API tokens to an owner (an account id, or
// UserOwner), as Server.SeedAPITokens, failing the test on an error.
func (ts *TestServer) SeedAPITokens(accountID string, tokens ...SeedAPIToken) {
	ts.t.Helper()
	ts.must(ts.srv.SeedAPITokens(accountID, tokens...))
}

// DisableAPIToken disables a Cloudflare API token, as
// Server.DisableAPIToken, failing the test on an error.
func (ts *TestServer) DisableAPIToken(tokenID string) {
	ts.t.Helper()
	ts.must(ts.srv.DisableAPIToken(tokenID))
}

// ExpireAPIToken sets a Cloudflare API token's expires_on, as
// Server.ExpireAPIToken, failing the test on an error.
func (ts *TestServer) ExpireAPIToken(tokenID string, at time.Time) {
	ts.t.Helper()
	ts.must(ts.srv.ExpireAPIToken(tokenID, at))
}

// APITokens returns the Cloudflare API tokens of an owner (an account id,
// or UserOwner), as Server.APITokens.
func (ts *TestServer) APITokens(accountID string) []APIToken { return ts.srv.APITokens(accountID) }

// ValueMatches reports whether value is the current value of the Cloudflare
// API token tokenID, as Server.ValueMatches.
func (ts *TestServer) ValueMatches(tokenID, value string) bool {
	return ts.srv.ValueMatches(tokenID, value)
}

// CredentialWorks reports why a registration's credential does not work
// (nil when it does), as Server.CredentialWorks. It is an inspection, so
// it returns its verdict instead of failing the test.
func (ts *TestServer) CredentialWorks(accountID, registrationID string) error {
	return ts.srv.CredentialWorks(accountID, registrationID)
}

// must fails the test on err: a helper's error, as its Server form returns it.
func (ts *TestServer) must(err error) {
	ts.t.Helper()
	if err != nil {
		ts.t.Fatal(err)
	}
}

// Instances returns the account's AI Search instances, as
// Server.Instances.
func (ts *TestServer) Instances(accountID string) []Instance { return ts.srv.Instances(accountID) }
