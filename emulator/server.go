package emulator

import (
	"net/http"
)

// Server is an emulated tokens API. It is safe for concurrent use.
type Server struct {
	cfg     config
	store   *store
	spec    *apiSpec // shared by every Server of the process, read-only
	ops     []http.HandlerFunc
	faults  *injector
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
	s := &Server{cfg: cfg, store: newStore(cfg.ids, cfg.permissionGroups, cfg.logger), spec: spec, faults: newInjector(cfg.faults)}
	if s.handler, err = s.buildHandler(); err != nil {
		return nil, err
	}
	if cfg.statePath != "" {
		sf, err := openStateFile(cfg.statePath, cfg.compactSlack, cfg.logger)
		if err != nil {
			return nil, err
		}
		if err := s.store.attach(sf, sf.replay); err != nil {
			sf.close()
			return nil, err
		}
	}
	return s, nil
}

// Handler returns the API as an http.Handler, paths under BasePath
// (/client/v4), for httptest or your own server.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the state file, if any. Call it after the HTTP server has
// stopped; a request still running (a shutdown that timed out) then gets a
// 500 and changes nothing.
func (s *Server) Close() error { return s.store.close() }

// AcceptsAnyCredential reports whether no API token or key was configured,
// in which case any non-empty credential is accepted.
func (s *Server) AcceptsAnyCredential() bool { return s.cfg.openAuth() }

// FailNext makes the next len(statuses) requests fail with these statuses,
// in order (429, 500, 502, 503 or 504), before auth is checked: handy to
// test a client's retries deterministically.
func (s *Server) FailNext(statuses ...int) error { return s.faults.failNext(statuses) }
