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
	CodeNotFound       = 10003 // 404: no token with that id in this account (or, for API tokens, of this owner)
	CodeInUse          = 10004 // 409: the token is used by instances
	CodeInjected       = 10005 // 5xx injected by fault injection
	CodeInternal       = 10006 // 500: the emulator failed (e.g. the state file could not be written)
	CodeInvalidToken   = 10007 // 400: an AI Search registration names an emulator-issued API token it cannot use
)

// apiError is one failure response: one error, or several (a 400 that
// lists every violation, each with its path).
type apiError struct {
	status  int
	code    int
	message string
	path    []string          // nil when the error has no location
	retry   int               // Retry-After seconds, for 429
	allow   []string          // the Allow header, for 405
	errs    []generated.Error // when set, sent instead of code, message and path
}

// Error makes an apiError the error a handler returns (see respond).
func (e apiError) Error() string { return e.message }

// body is the one shape of every error body the emulator writes:
// Cloudflare's failure envelope, with `messages: []` and `result: null`
// (which the API token operations' FailureEnvelope requires, and which the
// AI Search operations' ErrorEnvelope tolerates, as Cloudflare sends it).
func (e apiError) body() generated.FailureEnvelope {
	errs := e.errs
	if len(errs) == 0 {
		item := generated.Error{Code: e.code, Message: e.message}
		if e.path != nil {
			item.Path = &e.path
		}
		errs = []generated.Error{item}
	}
	return generated.FailureEnvelope{Success: false, Errors: errs, Messages: generated.Messages{}, Result: nil}
}

// write sends e as a Cloudflare failure envelope.
func (e apiError) write(w http.ResponseWriter) {
	if e.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", strings.Join(e.allow, ", "))
	}
	writeJSON(w, e.status, e.retry, e.body())
}

// validationFailure is a 400 whose errors all name their path.
func validationFailure(errs []generated.ValidationError) apiError {
	out := make([]generated.Error, 0, len(errs))
	for _, v := range errs {
		path := v.Path
		out = append(out, generated.Error{Code: v.Code, Message: v.Message, Path: &path})
	}
	return apiError{status: http.StatusBadRequest, code: CodeValidation, errs: out}
}

// writeValidation sends a 400 whose errors all name their path.
func writeValidation(w http.ResponseWriter, errs []generated.ValidationError) {
	validationFailure(errs).write(w)
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
