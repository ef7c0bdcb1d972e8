package aisearch

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sentinels for errors.Is. An *APIError matches the ones its status and
// Cloudflare error codes imply; the table in docs/client.md lists them.
var (
	// ErrNotFound: the registration, token, instance, job or namespace does
	// not exist: 404, or code 7075 (token_not_found) or 7002
	// (ai_search_not_found) on any status. A
	// 404 with code 7000 ("no route for that URI") is not one: it means a
	// wrong base URL.
	ErrNotFound = errors.New("aisearch: token not found")
	// ErrConflict: the registration is in use by AI Search instances and
	// cannot be deleted: 409, or code 7076 (token_in_use_by_instances).
	// Never retried.
	ErrConflict = errors.New("aisearch: token in use")
	// ErrAuth: the request was not allowed: 401, 403, or any error of
	// ErrBadCredential or ErrPermissionDenied, whatever its status (a
	// missing or malformed credential gets 400). Use those two to tell why.
	ErrAuth = errors.New("aisearch: authentication failed")
	// ErrBadCredential: the credential itself does not work: 401 (but code
	// 9109); code 1000 (invalid API token), 10000 (authentication error) or
	// 9103 (unknown e-mail or key); 9106 (no credential reached the API);
	// 6003 (invalid request headers) when its error_chain names 6111, a
	// malformed Authorization header. Also matches ErrAuth.
	ErrBadCredential = errors.New("aisearch: the credential does not work")
	// ErrPermissionDenied: the credential works but lacks the permission
	// the operation needs (code 9109, on a 403): for example creating a
	// token without "API Tokens Write". Also matches ErrAuth.
	ErrPermissionDenied = errors.New("aisearch: the credential lacks a permission")
	// ErrRateLimited: the API asked to slow down (429, or code 971);
	// APIError.RetryAfter says for how long.
	ErrRateLimited = errors.New("aisearch: rate limited")
	// ErrInvalid: the API rejected the request's input: 400 or 422 (but
	// the ErrAuth codes), or code 7012 on any status.
	ErrInvalid = errors.New("aisearch: invalid request")
	// ErrServiceTokenRejected: AI Search refused the service token being
	// registered (code 7012, ai_search_instance_invalid_token): its
	// cf_api_id and cf_api_key are not a live Cloudflare token, or the token
	// was minted seconds ago and has not reached AI Search yet. Also
	// matches ErrInvalid.
	ErrServiceTokenRejected = errors.New("aisearch: AI Search refused the service token")
	// ErrMalformedResponse: a success status whose body is not the API's JSON
	// (truncated, not JSON, or a token without an id).
	ErrMalformedResponse = errors.New("aisearch: malformed response")
	// ErrNoAccountID: New was given no account ID, or FromEnv found no
	// CLOUDFLARE_ACCOUNT_ID.
	ErrNoAccountID = errors.New("aisearch: no account ID")
	// ErrNoCredential: New was given no credential option, or FromEnv found
	// no credential variables, or an incomplete pair (CLOUDFLARE_API_KEY
	// without CLOUDFLARE_EMAIL, or the reverse).
	ErrNoCredential = errors.New("aisearch: no credential")
	// ErrNameTaken: Ensure found a token with the name asked for
	// but registered for another cf_api_id.
	ErrNameTaken = errors.New("aisearch: token name registered for another cf_api_id")
)

// Cloudflare error codes the sentinels above are read from. An
// APIError's Codes and HasCode give every code of an answer.
const (
	CodeRateLimited          = 971   // "Please wait and consider throttling your request speed"
	CodeInvalidAPIToken      = 1000  // "Invalid API Token" (401)
	CodeInvalidHeaders       = 6003  // "Invalid request headers" (400); its error_chain says which
	CodeMalformedAuthHeader  = 6111  // "Invalid format for Authorization header", in 6003's error_chain
	CodeNoRoute              = 7000  // "No route for that URI": the base URL lacks /client/v4
	CodeAISearchNotFound     = 7002  // ai_search_not_found
	CodeServiceTokenRejected = 7012  // ai_search_instance_invalid_token
	CodeSyncInCooldown       = 7020  // sync_in_cooldown: a job within 30 s of the instance's previous one (429)
	CodeJobNotFound          = 7021  // job_not_found
	CodeNamespaceNotFound    = 7063  // namespace_not_found
	CodeTokenNotFound        = 7075  // token_not_found
	CodeTokenInUse           = 7076  // token_in_use_by_instances
	CodeUnknownKey           = 9103  // "Unknown X-Auth-Key or X-Auth-Email"
	CodeNoCredential         = 9106  // "Missing X-Auth-Key, X-Auth-Email or Authorization headers" (400)
	CodePermissionDenied     = 9109  // "Unauthorized to access requested resource" (403)
	CodeAuthentication       = 10000 // "Authentication error" (401 on AI Search, 403 elsewhere)
)

// ErrorDetail is one entry of a Cloudflare envelope's errors.
type ErrorDetail struct {
	Code    int      `json:"code"`
	Message string   `json:"message"`
	Path    []string `json:"path,omitempty"` // where in the request, e.g. ["query","per_page"]
	// ErrorChain holds the causes Cloudflare gives for some errors, e.g.
	// 6111 (malformed Authorization header) under 6003.
	ErrorChain []ErrorDetail `json:"error_chain,omitempty"`
}

// Message is one entry of a Cloudflare envelope's messages.
type Message struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// APIError is a response the client did not take as success: any non-2xx
// status, or a 2xx envelope with success false. It never holds request
// headers, so no credential can reach it.
type APIError struct {
	StatusCode int
	Method     string // GET, POST ...
	Path       string // the API path, e.g. /accounts/{account}/ai-search/tokens/{id}, without query
	Errors     []ErrorDetail
	Messages   []Message
	RayID      string        // the cf-ray header, for Cloudflare support
	RetryAfter time.Duration // from Retry-After; zero when absent
	// Body is a short, single-line excerpt of a body that was not a
	// Cloudflare envelope (an HTML page from the edge); empty otherwise.
	Body string
	// Attempts is how many times the request was sent (retries included).
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "aisearch: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	for i, d := range e.Errors {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep)
		writeDetail(&b, d)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": not an API response: %q", e.Body)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RayID != "" {
		fmt.Fprintf(&b, " [cf-ray %s]", e.RayID)
	}
	return b.String()
}

// writeDetail writes "message (code N, at a.b)" and its chain after a colon.
func writeDetail(b *strings.Builder, d ErrorDetail) {
	fmt.Fprintf(b, "%s (code %d", d.Message, d.Code)
	if len(d.Path) > 0 {
		fmt.Fprintf(b, ", at %s", strings.Join(d.Path, "."))
	}
	b.WriteString(")")
	for i, c := range d.ErrorChain {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep)
		writeDetail(b, c)
	}
}

// Codes returns every Cloudflare error code of the answer, those of the
// error chains included, in order.
func (e *APIError) Codes() []int {
	var out []int
	var walk func([]ErrorDetail)
	walk = func(ds []ErrorDetail) {
		for _, d := range ds {
			out = append(out, d.Code)
			walk(d.ErrorChain)
		}
	}
	walk(e.Errors)
	return out
}

// HasCode reports whether the answer carries the Cloudflare error code,
// in its errors or their error chains.
func (e *APIError) HasCode(code int) bool { return slices.Contains(e.Codes(), code) }

// Is maps the status and error codes to the sentinels; the one place
// that does.
func (e *APIError) Is(target error) bool {
	s := e.StatusCode
	switch target {
	case ErrNotFound:
		return s == http.StatusNotFound && !e.HasCode(CodeNoRoute) || e.HasCode(CodeTokenNotFound) || e.HasCode(CodeAISearchNotFound)
	case ErrConflict:
		return s == http.StatusConflict || e.HasCode(CodeTokenInUse)
	case ErrAuth:
		return s == http.StatusUnauthorized || s == http.StatusForbidden || e.badCredential() || e.permissionDenied()
	case ErrBadCredential:
		return e.badCredential()
	case ErrPermissionDenied:
		return e.permissionDenied()
	case ErrRateLimited:
		return s == http.StatusTooManyRequests || e.HasCode(CodeRateLimited)
	case ErrInvalid:
		return (s == http.StatusBadRequest || s == http.StatusUnprocessableEntity) && !e.badCredential() && !e.permissionDenied() ||
			e.HasCode(CodeServiceTokenRejected)
	case ErrServiceTokenRejected:
		return e.HasCode(CodeServiceTokenRejected)
	}
	return false
}

func (e *APIError) permissionDenied() bool { return e.HasCode(CodePermissionDenied) }

func (e *APIError) badCredential() bool {
	if e.permissionDenied() {
		return false
	}
	if e.StatusCode == http.StatusUnauthorized {
		return true
	}
	for _, d := range e.Errors {
		switch d.Code {
		case CodeInvalidAPIToken, CodeAuthentication, CodeUnknownKey, CodeNoCredential:
			return true
		case CodeInvalidHeaders:
			if slices.ContainsFunc(d.ErrorChain, func(c ErrorDetail) bool { return c.Code == CodeMalformedAuthHeader }) {
				return true
			}
		}
	}
	return false
}

// envelope is the part of every Cloudflare v4 response an error needs.
// Success is a pointer so that "not an envelope" can be told apart.
type envelope struct {
	Success  *bool           `json:"success"`
	Errors   []ErrorDetail   `json:"errors"`
	Messages []Message       `json:"messages"`
	Result   json.RawMessage `json:"result"`
}

// newAPIError is the one place that turns a response into an error. It
// decodes the body when it is a Cloudflare envelope, whatever the status
// (undeclared 401s and 5xx included), and keeps a short excerpt otherwise.
// scrub removes the request's secrets from anything copied from the body.
func newAPIError(o op, resp *http.Response, body []byte, attempts int, scrub func(string) string) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     o.method,
		Path:       o.path,
		RayID:      resp.Header.Get("Cf-Ray"),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Attempts:   attempts,
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err == nil && (env.Success != nil || env.Errors != nil) {
		clean := func(s string) string { return plainText(scrub(s)) }
		e.Errors = cleanDetails(env.Errors, clean)
		for _, m := range env.Messages {
			m.Message = clean(m.Message)
			e.Messages = append(e.Messages, m)
		}
		return e
	}
	e.Body = scrub(excerpt(body))
	return e
}

// cleanDetails passes every server-supplied string of ds through clean.
func cleanDetails(ds []ErrorDetail, clean func(string) string) []ErrorDetail {
	for i := range ds {
		d := &ds[i]
		d.Message = clean(d.Message)
		for j := range d.Path {
			d.Path[j] = clean(d.Path[j])
		}
		d.ErrorChain = cleanDetails(d.ErrorChain, clean)
	}
	return ds
}

// maxTextLen bounds one server-supplied message in an error.
const maxTextLen = 512

// plainText makes a server-supplied string safe to print: control
// characters (terminal escapes, newlines) become spaces, and it is cut at
// maxTextLen runes.
func plainText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > maxTextLen {
		s = string(r[:maxTextLen]) + "…"
	}
	return s
}

// parseRetryAfter reads delay-seconds or an HTTP date; zero when absent or
// unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		const maxSecs = int64(24 * time.Hour / time.Second) // no overflow
		return time.Duration(min(secs, maxSecs)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

var (
	tagRE   = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// excerptLen bounds how much of a foreign body reaches an error message.
const excerptLen = 160

// excerpt turns a body that is not JSON (an HTML error page) into one short
// readable line: tags dropped, whitespace collapsed, non-printables removed.
func excerpt(body []byte) string {
	s := string(body)
	if len(s) > 64<<10 {
		s = s[:64<<10]
	}
	s = tagRE.ReplaceAllString(s, " ")
	s = strings.Map(func(r rune) rune {
		if r == '\uFFFD' || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
	if r := []rune(s); len(r) > excerptLen {
		s = string(r[:excerptLen]) + "…"
	}
	if s == "" && len(body) > 0 {
		s = "(unreadable body)"
	}
	return s
}
