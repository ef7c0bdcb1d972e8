package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// Error codes the emulator answers with. Cloudflare documents 10000 (auth)
// and 971 (rate limited); the others are the emulator's own, stable, and
// listed in the package documentation.
const (
	CodeRateLimited    = 971   // 429, with Retry-After
	CodeNoRoute        = 7000  // 404: no such path under /client/v4
	CodeMethodNotAllow = 7001  // 405: known path, wrong method
	CodeAuth           = 10000 // 403: missing or wrong credentials
	CodeValidation     = 10001 // 400: the request breaks openapi.yaml (or its body is unreadable or too large)
	CodeNotFound       = 10003 // 404: no token with that id in this account
	CodeInUse          = 10004 // 409: the token is used by instances
	CodeInjected       = 10005 // 5xx injected by fault injection
	CodeInternal       = 10006 // 500: the emulator failed (e.g. the state file could not be written)
)

// apiError is one failure response.
type apiError struct {
	status  int
	code    int
	message string
	path    []string // nil when the error has no location
	retry   int      // Retry-After seconds, for 429
	allow   []string // the Allow header, for 405
}

func envelope(code int, msg string, path ...string) generated.ErrorEnvelope {
	e := generated.Error{Code: code, Message: msg}
	if path != nil {
		e.Path = &path
	}
	return generated.ErrorEnvelope{Success: false, Errors: generated.Errors{e}, Messages: noMessages()}
}

// write sends e as a Cloudflare failure envelope.
func (e apiError) write(w http.ResponseWriter) {
	if e.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", strings.Join(e.allow, ", "))
	}
	writeJSON(w, e.status, e.retry, envelope(e.code, e.message, e.path...))
}

// writeValidation sends a 400 whose errors all name their path.
func writeValidation(w http.ResponseWriter, errs []generated.ValidationError) {
	writeJSON(w, http.StatusBadRequest, 0, generated.ValidationErrorEnvelope{Success: false, Errors: errs, Messages: noMessages()})
}

func writeJSON(w http.ResponseWriter, status, retryAfter int, body any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if status == http.StatusTooManyRequests {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// Success envelopes carry empty errors and messages arrays, as Cloudflare's
// do; a nil slice would encode as null.
func noErrors() *generated.Errors     { e := generated.Errors{}; return &e }
func noMessages() *generated.Messages { m := generated.Messages{}; return &m }
