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
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// buildHandler owns the wiring, outermost first: request log and panic
// guard → spec routing (404/405 envelopes) → fault injection → auth →
// body cap → spec validation → one JSON value only → generated router →
// strict handlers → store.
func (s *Server) buildHandler() http.Handler {
	strict := generated.NewStrictHandlerWithOptions(&handlers{store: s.store, now: s.cfg.clock}, nil,
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
	h = rejectMalformedJSON(h)
	h = s.validateRequests(h)
	h = s.readBody(h)
	h = s.requireAuth(h)
	h = s.injectFaults(h)
	h = s.routeRequests(h)
	return s.logRequests(h)
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

// readBody buffers the body under the cap, so validation and decoding both
// see it and an oversized or broken upload is a 400, not a 500.
func (s *Server) readBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
			if err != nil {
				msg := "could not read the request body"
				if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
					msg = fmt.Sprintf("request body larger than %d bytes", s.cfg.maxBody)
				}
				writeValidation(w, []generated.ValidationError{validationError([]string{"body"}, msg)})
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(data))
			r.ContentLength = int64(len(data))
		}
		next.ServeHTTP(w, r)
	})
}

// rejectMalformedJSON refuses a JSON body that is not exactly one JSON
// value. Decoders (kin-openapi's and the strict handler's) stop after the
// first value, so without it `{...}{...}` or `{...} x` would be obeyed. It
// runs after validation, so a request with other violations gets them all.
func rejectMalformedJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasJSONBody(r) {
			data, err := io.ReadAll(r.Body) // buffered by readBody: cannot fail
			if err != nil || !json.Valid(data) {
				writeValidation(w, []generated.ValidationError{validationError([]string{"body"}, "malformed JSON")})
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(data))
		}
		next.ServeHTTP(w, r)
	})
}

// hasJSONBody reports whether r is routed to an operation that takes a
// body and declares its body as JSON.
func hasJSONBody(r *http.Request) bool {
	rt, _ := r.Context().Value(routeKey{}).(routed)
	if rt.route == nil || rt.route.Operation == nil || rt.route.Operation.RequestBody == nil {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

func (s *Server) validateRequests(next http.Handler) http.Handler {
	if !s.cfg.validate {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, _ := r.Context().Value(routeKey{}).(routed)
		if rt.route == nil { // not routed by us (cannot happen in buildHandler's chain)
			next.ServeHTTP(w, r)
			return
		}
		if errs := s.router.validate(r.Context(), r, rt); len(errs) > 0 {
			writeValidation(w, errs)
			return
		}
		next.ServeHTTP(w, r)
	})
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
