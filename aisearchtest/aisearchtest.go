// Package aisearchtest gives a test a local Cloudflare and a client of it
// in two lines, as net/http/httptest does for net/http:
//
//	srv := aisearchtest.NewServer(t)
//	c := srv.Client() // account, credential and base URL set, retries without waiting
//
// The server is the project's emulator (package emulator), with all its
// test helpers (Seed, FailNext, APITokens, CredentialWorks ...); the
// client is an *aisearch.Client. The emulator and aisearch do not import
// each other; this package, like httptest, sits beside both.
package aisearchtest

import (
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// Server is an emulator listening on 127.0.0.1 for one test
// (emulator.TestServer, whose fields and helpers it has) that hands out
// aisearch clients of itself.
type Server struct {
	*emulator.TestServer
	t testing.TB
}

// NewServer starts an emulator with opts, as emulator.NewTestServer does,
// and closes it when the test ends. It fails the test on a bad option.
func NewServer(t testing.TB, opts ...emulator.Option) *Server {
	t.Helper()
	return &Server{TestServer: emulator.NewTestServer(t, opts...), t: t}
}

// Client returns a client of the server: its account (AccountID), its
// credential (the API token, or the e-mail and API key when it has no
// token), its base URL, and aisearch.NoWaitRetryPolicy, so that failures
// injected with FailNext are retried without waiting. opts come after
// these and override them. It fails the test on a bad option; call it from
// the test's goroutine.
func (s *Server) Client(opts ...aisearch.Option) *aisearch.Client {
	s.t.Helper()
	base := []aisearch.Option{aisearch.WithBaseURL(s.BaseURL), aisearch.WithRetryPolicy(aisearch.NoWaitRetryPolicy())}
	if s.APIToken != "" {
		base = append(base, aisearch.WithAPIToken(s.APIToken))
	} else if s.APIKey != "" {
		base = append(base, aisearch.WithAPIKey(s.APIEmail, s.APIKey))
	}
	c, err := aisearch.New(s.AccountID, append(base, opts...)...)
	if err != nil {
		s.t.Fatalf("aisearchtest: %v", err)
		return nil
	}
	return c
}
