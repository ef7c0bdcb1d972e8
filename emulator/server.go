package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Server is an emulated tokens API. It is safe for concurrent use.
type Server struct {
	cfg     config
	store   *store
	spec    *apiSpec // shared by every Server of the process, read-only
	ops     []http.HandlerFunc
	faults  *injector
	state   *stateFile // nil without WithStateFile
	handler http.Handler
}

// New builds a Server. With WithStateFile it loads the file first; call
// Close to release it.
func New(opts ...Option) (*Server, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return newServer(cfg)
}

func newServer(cfg config) (*Server, error) {
	spec, err := sharedAPISpec()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: newStore(cfg.ids, cfg.permissionGroups), spec: spec, faults: newInjector(cfg.faults)}
	if s.handler, err = s.buildHandler(); err != nil {
		return nil, err
	}
	if cfg.statePath != "" {
		st, err := openStateFile(cfg.statePath, s.store, cfg.logger)
		if err != nil {
			return nil, err
		}
		s.state = st
		s.store.journal = st
	}
	return s, nil
}

// Handler returns the API as an http.Handler, paths under BasePath
// (/client/v4), for httptest or your own server.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the state file, if any. Call it after the HTTP server has
// stopped; a request still running (a shutdown that timed out) then gets a
// 500 and changes nothing.
func (s *Server) Close() error {
	if s.state == nil {
		return nil
	}
	// Appends run under the store's lock: wait for the one in progress.
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return s.state.close()
}

// AcceptsAnyCredential reports whether no API token or key was configured,
// in which case any non-empty credential is accepted.
func (s *Server) AcceptsAnyCredential() bool { return s.cfg.openAuth() }

// Token is a stored token as tests inspect it. The secret is not kept; use
// KeyMatches to check it.
type Token struct {
	ID         string
	Name       string
	CfAPIID    string
	Enabled    bool
	Legacy     bool
	CreatedAt  time.Time
	ModifiedAt time.Time
	InUseBy    []string // instances using the token; a delete gets 409 while non-empty
}

// Tokens returns the account's tokens in creation order (empty, not nil,
// for an unknown account).
func (s *Server) Tokens(accountID string) []Token {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	out := []Token{}
	for _, r := range s.store.tokens(accountID) {
		out = append(out, Token{
			ID: r.ID, Name: r.Name, CfAPIID: r.CfAPIID, Enabled: r.Enabled, Legacy: r.Legacy,
			CreatedAt: r.CreatedAt, ModifiedAt: r.ModifiedAt, InUseBy: r.InUseBy,
		})
	}
	return out
}

// KeyMatches reports whether the token's stored cf_api_key is key (the
// store keeps only its SHA-256).
func (s *Server) KeyMatches(accountID, tokenID, key string) bool {
	return s.store.keyMatches(accountID, tokenID, key)
}

// MarkInUse records which AI Search instances use a token; while any does,
// deleting it gets 409. No instances clears the mark.
func (s *Server) MarkInUse(accountID, tokenID string, instances ...string) error {
	for _, in := range instances {
		if in == "" {
			return errors.New("emulator: MarkInUse: empty instance name")
		}
	}
	_, err := s.store.replace(accountID, tokenID, nil, func(r *record) error {
		r.InUseBy = slices.Clone(instances)
		return nil
	})
	if err != nil {
		return fmt.Errorf("emulator: MarkInUse %s: %w", tokenID, err)
	}
	return nil
}

// FailNext makes the next len(statuses) requests fail with these statuses,
// in order (429, 500, 502, 503 or 504), before auth is checked: handy to
// test a client's retries deterministically.
func (s *Server) FailNext(statuses ...int) error { return s.faults.failNext(statuses) }
