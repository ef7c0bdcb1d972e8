package aisearch

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Sentinels for errors.Is. An *APIError matches the ones its status and
// Cloudflare error codes imply.
var (
	// ErrNotFound: the token does not exist (404). A 404 with code 7000 ("no
	// route for that URI") is not one: it means a wrong base URL.
	ErrNotFound = errors.New("aisearch: token not found")
	// ErrConflict: the token is in use by AI Search instances and cannot be
	// deleted (409). Never retried.
	ErrConflict = errors.New("aisearch: token in use")
	// ErrAuth: the credential is missing, malformed or not allowed (401, 403,
	// or Cloudflare's authentication error codes on any status).
	ErrAuth = errors.New("aisearch: authentication failed")
	// ErrRateLimited: the API asked to slow down (429); APIError.RetryAfter
	// says for how long.
	ErrRateLimited = errors.New("aisearch: rate limited")
	// ErrInvalid: the API rejected the request's input (400, 422).
	ErrInvalid = errors.New("aisearch: invalid request")
	// ErrMalformedResponse: a success status whose body is not the API's JSON
	// (truncated, not JSON, or a token without an id).
	ErrMalformedResponse = errors.New("aisearch: malformed response")
	// ErrNameTaken: Ensure found a token with the name asked for
	// but registered for another cf_api_id.
	ErrNameTaken = errors.New("aisearch: token name registered for another cf_api_id")
)

// authCodes are Cloudflare's authentication error codes: 10000
// "Authentication error", 9103 unknown key/email, 9106 missing auth headers,
// 9109 invalid access token. Some arrive with 400, not 403.
var authCodes = map[int]bool{10000: true, 9103: true, 9106: true, 9109: true}

// rateLimitCode is Cloudflare's "please wait and consider throttling".
const rateLimitCode = 971

// noRouteCode is Cloudflare's "No route for that URI": the path is not an
// API endpoint at all, usually a base URL without /client/v4.
const noRouteCode = 7000

// ErrorDetail is one entry of a Cloudflare envelope's errors.
type ErrorDetail struct {
	Code    int      `json:"code"`
	Message string   `json:"message"`
	Path    []string `json:"path,omitempty"` // where in the request, e.g. ["query","per_page"]
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
		fmt.Fprintf(&b, "%s%s (code %d", sep, d.Message, d.Code)
		if len(d.Path) > 0 {
			fmt.Fprintf(&b, ", at %s", strings.Join(d.Path, "."))
		}
		b.WriteString(")")
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

// Is maps the status and error codes to the sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && !e.hasCode(map[int]bool{noRouteCode: true})
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrAuth:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden || e.hasCode(authCodes)
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests || e.hasCode(map[int]bool{rateLimitCode: true})
	case ErrInvalid:
		return (e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity) && !e.hasCode(authCodes)
	}
	return false
}

func (e *APIError) hasCode(codes map[int]bool) bool {
	for _, d := range e.Errors {
		if codes[d.Code] {
			return true
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
		for _, d := range env.Errors {
			d.Message = clean(d.Message)
			for i := range d.Path {
				d.Path[i] = clean(d.Path[i])
			}
			e.Errors = append(e.Errors, d)
		}
		for _, m := range env.Messages {
			m.Message = clean(m.Message)
			e.Messages = append(e.Messages, m)
		}
		return e
	}
	e.Body = scrub(excerpt(body))
	return e
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
