package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// Error codes the emulator answers with. Cloudflare's own come first, each
// with the message Cloudflare sends; the 10001..10008 codes are the
// emulator's, stable, and listed in the package documentation.
const (
	CodeRateLimited          = 971   // 429, with Retry-After
	CodeInvalidAPIToken      = 1000  // 401 "Invalid API Token": an API token operation's bearer does not work
	CodeMissingAuthorization = 1001  // 400 `Missing "Authorization" header`: an API token operation got X-Auth-Email/X-Auth-Key only
	CodeInvalidHeaders       = 6003  // 400 "Invalid request headers", with CodeMalformedAuthHeader in its error_chain
	CodeMalformedAuthHeader  = 6111  // "Invalid format for Authorization header" (in 6003's error_chain)
	CodeNoRoute              = 7000  // 404 "No route for that URI"
	CodeInvalidToken         = 7012  // 400 ai_search_instance_invalid_token: the credential a registration would hold does not work
	CodeTokenNotFound        = 7075  // 404 token_not_found: no registration with that id in this account
	CodeInUse                = 7076  // 409 token_in_use_by_instances
	CodeNoCredential         = 9106  // 400 "Missing X-Auth-Key, X-Auth-Email or Authorization headers"
	CodePermissionDenied     = 9109  // 403 "Unauthorized to access requested resource" (or "Cannot use the access token from location: <ip>")
	CodeAuth                 = 10000 // 401 "Authentication error": an AI Search operation's credential does not work
	CodeValidation           = 10001 // 400: the request breaks openapi.yaml (or its body is unreadable or too large)
	CodeNotFound             = 10003 // 404: no Cloudflare API token with that id of this owner
	CodeInjected             = 10005 // 5xx injected by fault injection
	CodeInternal             = 10006 // 500: the emulator failed (e.g. the state file could not be written)
	CodeMethodNotAllow       = 10008 // 405: known path, method not allowed (Cloudflare documents 7001 as "Internal Error")
)

// apiError is one failure response: one error, or several (a 400 that
// lists every violation, each with its path).
type apiError struct {
	status  int
	code    int
	message string
	path    []string               // nil when the error has no location
	chain   []generated.ErrorCause // the error_chain, when Cloudflare gives one
	retry   int                    // Retry-After seconds, for 429
	allow   []string               // the Allow header, for 405
	errs    []generated.Error      // when set, sent instead of code, message and path
}

// Error makes an apiError the error a handler returns (see respond).
func (e apiError) Error() string { return e.message }

// items is e's errors array.
func (e apiError) items() []generated.Error {
	if len(e.errs) > 0 {
		return e.errs
	}
	item := generated.Error{Code: e.code, Message: e.message}
	if e.path != nil {
		item.Path = &e.path
	}
	if e.chain != nil {
		item.ErrorChain = &e.chain
	}
	return []generated.Error{item}
}

// body is e as its route family's failure envelope (see familyOf): on the
// AI Search operations `{"success":false,"errors":[...],"result":{}}`
// without messages, as Cloudflare's AI Search answers; anywhere else
// Cloudflare's common failure envelope, with `messages: []` and
// `result: null`, which the API token operations' FailureEnvelope requires.
func (e apiError) body(f *family) any {
	if f != nil && f.aiSearchEnvelope {
		return generated.ErrorEnvelope{Success: false, Errors: e.items(), Result: &generated.EmptyResult{}}
	}
	return generated.FailureEnvelope{Success: false, Errors: e.items(), Messages: generated.Messages{}, Result: nil}
}

// write sends e in the envelope of the request's route family, which
// serveHTTP put on the response writer (familyWriter): every failure,
// whichever step or handler answers it, is written here.
func (e apiError) write(w http.ResponseWriter) {
	if e.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", strings.Join(e.allow, ", "))
	}
	writeJSON(w, e.status, e.retry, e.body(familyFrom(w)))
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
