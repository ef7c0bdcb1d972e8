package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/specval"
)

// buildHandler owns the wiring, in the order serveHTTP runs it: request
// log and panic guard (and the route family, which shapes every failure
// envelope) → closing after chunked requests → spec routing (404/405
// envelopes) → fault injection → authentication (400 9106/6003, 401) →
// authorization (403 9109) → last use of the token → request checks (query
// string, body cap, JSON body, spec validation) → the generated handler of
// the operation (parameter binding) → strict handlers → store. Each
// request is routed once, by the spec.
func (s *Server) buildHandler() (http.Handler, error) {
	strict := generated.NewStrictHandlerWithOptions(&handlers{store: s.store, now: s.cfg.clock, logger: s.cfg.logger, propagation: s.cfg.propagation, cfg: s.cfg.aiSearch}, nil,
		generated.StrictHTTPServerOptions{RequestErrorHandlerFunc: bodyError, ResponseErrorHandlerFunc: s.internalError})
	ops, err := s.spec.operationHandlers(strict, paramError)
	if err != nil {
		return nil, err
	}
	s.ops = ops
	return http.HandlerFunc(s.serveHTTP), nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// The family decides how every failure below is written, before the
	// request is even routed (a 404 under /ai-search/ is AI Search's).
	sw := &statusWriter{ResponseWriter: w, family: familyOf(r.URL.Path)}
	defer s.finish(sw, r, time.Now())
	closeAfterChunked(sw, r)
	rt, aerr := s.spec.find(r)
	if aerr != nil {
		aerr.write(sw)
		return
	}
	if !s.injectFault(sw, r) {
		return
	}
	c, aerr := s.authenticate(r, rt) // route-aware; see apitokens_auth.go
	if aerr == nil {
		aerr = authorize(r, rt, c)
	}
	if aerr != nil {
		aerr.write(sw)
		return
	}
	s.noteUse(c)
	r = withCaller(r, rt, c)
	if !s.checkRequest(sw, r, rt) {
		return
	}
	rt.dispatch(s.ops, sw, r)
}

// closeAfterChunked closes the connection after answering a chunked
// request. A request carrying both Content-Length and Transfer-Encoding is
// the shape of request smuggling, and RFC 9112 §6.1 wants the connection
// closed after it; net/http deletes the Content-Length before any handler
// runs, so such a request cannot be told from an honest chunked one here.
// Closing after every chunked request costs honest clients one reconnect
// and means bytes after the chunked body are never read as a request.
func closeAfterChunked(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor == 1 && len(r.TransferEncoding) > 0 {
		w.Header().Set("Connection", "close")
	}
}

// injectFault applies the request's fault, if any, and reports whether the
// request goes on.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	f, err := s.faults.decide(r.Header)
	if err != nil {
		writeValidation(w, []generated.ValidationError{validationError([]string{"header", FaultHeader}, err.Error())})
		return false
	}
	if err := s.faults.sleep(r.Context(), f.delay); err != nil {
		return false // the client went away
	}
	if f.status != 0 {
		w.Header().Set(FaultHeader, "injected")
		f.apiError().write(w)
		return false
	}
	return true
}

// checkRequest refuses, in one 400 that lists every violation, what the
// handlers must not see: a query string net/url cannot decode, a body over
// the cap or unreadable, a body that is not exactly one JSON value sent as
// application/json, and (with validation on) anything openapi.yaml
// forbids. Whether a body is JSON is decided here once (see jsonBody):
// validation and the strict handler's decoder then see the same canonical
// Content-Type, so no spelling of it can take a different path.
// It reports whether the request goes on.
func (s *Server) checkRequest(w http.ResponseWriter, r *http.Request, rt routed) bool {
	data, err := s.readBody(w, r)
	if err != nil {
		writeValidation(w, []generated.ValidationError{validationError([]string{"body"}, err.Error())})
		return false
	}
	errs := queryErrors(r.URL.RawQuery)
	var bodyProblem string
	if rt.op.body {
		bodyProblem = jsonBody(r, data)
	}
	if s.cfg.validate {
		// A body already refused is not validated again: its schema
		// errors would only repeat the problem.
		errs = append(errs, s.spec.validate(r.Context(), r, rt, bodyProblem == "")...)
	}
	if bodyProblem != "" {
		errs = append(errs, validationError([]string{"body"}, bodyProblem))
	}
	if len(errs) > 0 {
		writeValidation(w, errs)
		return false
	}
	return true
}

// readBody buffers the body under the cap, so validation and decoding both
// see it and an oversized or broken upload is a 400, not a 500.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, fmt.Errorf("request body larger than %d bytes", s.cfg.maxBody)
		}
		return nil, errors.New("could not read the request body")
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	return data, nil
}

// jsonBody decides whether the body of an operation that takes one is
// usable JSON, and returns why not ("" when it is). A usable body has
// exactly one Content-Type, which parses as application/json (parameters
// such as charset are allowed), and is exactly one JSON value: decoders stop
// after the first, so `{...} x` or `{...}{...}` would otherwise be obeyed.
// The Content-Type is then rewritten to plain application/json for what
// follows. An empty body is left to the handlers, which answer that one is
// required.
func jsonBody(r *http.Request, data []byte) string {
	if len(data) == 0 {
		return ""
	}
	cts := r.Header.Values("Content-Type")
	if len(cts) == 0 {
		return "Content-Type is missing; send application/json"
	}
	if len(cts) > 1 {
		return "more than one Content-Type header"
	}
	mt, _, err := mime.ParseMediaType(cts[0])
	switch {
	case err != nil:
		return fmt.Sprintf("Content-Type %.64q is not a valid media type; send application/json", cts[0])
	case mt != "application/json":
		return fmt.Sprintf("Content-Type %.64q is not application/json", mt)
	case !json.Valid(data):
		return "malformed JSON"
	}
	if cts[0] != "application/json" {
		r.Header.Set("Content-Type", "application/json")
	}
	return ""
}

// queryErrors refuses a query string that net/url cannot decode: a bad
// escape (search=%zz) or a ';' separator. url.Values parsing drops such
// pairs silently, so search=%zz would otherwise list every token.
func queryErrors(raw string) []generated.ValidationError {
	return validationErrors(specval.QueryProblems(raw))
}

// internalError answers a store failure (the state file could not be
// written): the change was not applied, so a retry is safe.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.cfg.logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	apiError{status: http.StatusInternalServerError, code: CodeInternal, message: "internal error: the change was not applied"}.write(w)
}

// finish guards against a handler's panic (a 500 envelope, unless the
// answer had started) and logs one line per request: method, path, status,
// duration. Never headers (credentials), query strings or bodies (secrets).
// It must be deferred by serveHTTP: recover only works there.
func (s *Server) finish(sw *statusWriter, r *http.Request, start time.Time) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		s.cfg.logger.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
		if sw.status == 0 {
			apiError{status: http.StatusInternalServerError, code: CodeInternal, message: "internal error"}.write(sw)
		}
	}
	s.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)))
}

type statusWriter struct {
	http.ResponseWriter
	status int
	family *family // of the request's path; nil for none
}

func (w *statusWriter) routeFamily() *family { return w.family }

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
