package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// buildHandler owns the wiring, outermost first: request log and panic
// guard → closing after chunked requests → spec routing (404/405
// envelopes) → fault injection → auth → request checks (query string, body
// cap, JSON body, spec validation) → generated router → strict handlers →
// store.
func (s *Server) buildHandler() http.Handler {
	strict := generated.NewStrictHandlerWithOptions(&handlers{store: s.store, now: s.cfg.clock, newID: s.cfg.ids.next}, nil,
		generated.StrictHTTPServerOptions{RequestErrorHandlerFunc: bodyError, ResponseErrorHandlerFunc: s.internalError})
	mux := http.NewServeMux()
	// Unreachable while spec routing runs first; kept so the mux never
	// answers in text/plain should the two ever disagree.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError{status: http.StatusNotFound, code: CodeNoRoute, message: "No route for that URI"}.write(w)
	})
	var h http.Handler = generated.HandlerWithOptions(strict, generated.StdHTTPServerOptions{
		BaseURL: BasePath, BaseRouter: mux, ErrorHandlerFunc: paramError,
	})
	h = s.checkRequests(h)
	h = s.requireAuth(h)
	h = s.injectFaults(h)
	h = s.routeRequests(h)
	h = closeAfterChunked(h)
	return s.logRequests(h)
}

// closeAfterChunked closes the connection after answering a chunked
// request. A request carrying both Content-Length and Transfer-Encoding is
// the shape of request smuggling, and RFC 9112 §6.1 wants the connection
// closed after it; net/http deletes the Content-Length before any handler
// runs, so such a request cannot be told from an honest chunked one here.
// Closing after every chunked request costs honest clients one reconnect
// and means bytes after the chunked body are never read as a request.
func closeAfterChunked(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 1 && len(r.TransferEncoding) > 0 {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) routeRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, aerr := s.router.find(r)
		if aerr != nil {
			aerr.write(w)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routeKey{}, rt)))
	})
}

func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := s.faults.decide(r.Header)
		if err != nil {
			writeValidation(w, []generated.ValidationError{validationError([]string{"header", FaultHeader}, err.Error())})
			return
		}
		if err := wait(r.Context(), f.delay); err != nil {
			return // the client went away
		}
		if f.status != 0 {
			w.Header().Set(FaultHeader, "injected")
			f.apiError().write(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, ok := s.authorize(r) // route-aware; see apitokens_auth.go
		if !ok {
			errAuth.write(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkRequests refuses, in one 400 that lists every violation, what the
// handlers must not see: a query string net/url cannot decode, a body over
// the cap or unreadable, a body that is not exactly one JSON value sent as
// application/json, and (with validation on) anything openapi.yaml
// forbids. Whether a body is JSON is decided here once (see jsonBody):
// validation and the strict handler's decoder then see the same canonical
// Content-Type, so no spelling of it can take a different path.
func (s *Server) checkRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := s.readBody(w, r)
		if err != nil {
			writeValidation(w, []generated.ValidationError{validationError([]string{"body"}, err.Error())})
			return
		}
		rt, _ := r.Context().Value(routeKey{}).(routed)
		errs := queryErrors(r.URL.RawQuery)
		var bodyProblem string
		if rt.route != nil && rt.route.Operation != nil && rt.route.Operation.RequestBody != nil {
			bodyProblem = jsonBody(r, data)
		}
		if s.cfg.validate && rt.route != nil {
			// A body already refused is not validated again: its schema
			// errors would only repeat the problem.
			errs = append(errs, s.router.validate(r.Context(), r, rt, bodyProblem == "")...)
		}
		if bodyProblem != "" {
			errs = append(errs, validationError([]string{"body"}, bodyProblem))
		}
		if len(errs) > 0 {
			writeValidation(w, errs)
			return
		}
		next.ServeHTTP(w, r)
	})
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
	r.Header.Set("Content-Type", "application/json")
	return ""
}

// queryErrors refuses a query string that net/url cannot decode: a bad
// escape (search=%zz) or a ';' separator. url.Values parsing drops such
// pairs silently, so search=%zz would otherwise list every token.
func queryErrors(raw string) []generated.ValidationError {
	var errs []generated.ValidationError
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name, kerr := url.QueryUnescape(k)
		if kerr != nil || name == "" {
			name = k
		}
		if len(name) > 64 {
			name = name[:64]
		}
		_, verr := url.QueryUnescape(v)
		switch {
		case strings.Contains(pair, ";"):
			errs = append(errs, validationError([]string{"query", name}, "';' does not separate query parameters; use '&', or %3B inside a value"))
		case kerr != nil || verr != nil:
			errs = append(errs, validationError([]string{"query", name}, "malformed percent-encoding"))
		}
	}
	return errs
}

// internalError answers a store failure (the state file could not be
// written): the change was not applied, so a retry is safe.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.cfg.logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	apiError{status: http.StatusInternalServerError, code: CodeInternal, message: "internal error: the change was not applied"}.write(w)
}

// logRequests logs one line per request: method, path, status, duration.
// Never headers (credentials), query strings or bodies (secrets).
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
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
		}()
		next.ServeHTTP(sw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

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
