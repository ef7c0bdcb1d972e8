package aisearch_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

func TestErrorsMapStatusesAndCodes(t *testing.T) {
	t.Parallel()
	const html502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		is       []error
		isNot    []error
		contains []string
		check    func(t *testing.T, e *aisearch.APIError)
	}{
		{
			name:     "404 not found",
			handler:  status(404, envelopeError(7003, "Token not found"), "Cf-Ray", "8a1b2c3d4e5f-LHR"),
			is:       []error{aisearch.ErrNotFound},
			isNot:    []error{aisearch.ErrConflict, aisearch.ErrAuth, aisearch.ErrRateLimited},
			contains: []string{"GET /accounts/" + fakeAccount + "/ai-search/tokens/62af0db3-c410-40b2-9ee3-0e93f6dd1de0", "404 Not Found", "Token not found (code 7003)", "cf-ray 8a1b2c3d4e5f-LHR"},
			check: func(t *testing.T, e *aisearch.APIError) {
				if e.RayID != "8a1b2c3d4e5f-LHR" || e.Attempts != 1 || len(e.Errors) != 1 || e.Errors[0].Code != 7003 {
					t.Errorf("APIError = %+v", e)
				}
			},
		},
		{
			name:     "404 no route is a wrong base URL, not a missing token",
			handler:  status(404, envelopeError(7000, "No route for that URI")),
			isNot:    []error{aisearch.ErrNotFound},
			contains: []string{"No route for that URI (code 7000)"},
		},
		{
			name:     "403 authentication error: a bad credential",
			handler:  status(403, envelopeError(10000, "Authentication error")),
			is:       []error{aisearch.ErrAuth, aisearch.ErrBadCredential},
			isNot:    []error{aisearch.ErrNotFound, aisearch.ErrInvalid, aisearch.ErrPermissionDenied},
			contains: []string{"403 Forbidden", "Authentication error (code 10000)"},
		},
		{
			name:    "401 authentication error (AI Search's status)",
			handler: status(401, envelopeError(10000, "Authentication error")),
			is:      []error{aisearch.ErrAuth, aisearch.ErrBadCredential},
			isNot:   []error{aisearch.ErrPermissionDenied},
		},
		{
			name:    "401 invalid API token",
			handler: status(401, envelopeError(1000, "Invalid API Token")),
			is:      []error{aisearch.ErrAuth, aisearch.ErrBadCredential},
			isNot:   []error{aisearch.ErrPermissionDenied, aisearch.ErrInvalid},
		},
		{
			name:    "403 missing permission is not a bad credential",
			handler: status(403, envelopeError(9109, "Unauthorized to access requested resource")),
			is:      []error{aisearch.ErrAuth, aisearch.ErrPermissionDenied},
			isNot:   []error{aisearch.ErrBadCredential, aisearch.ErrInvalid},
		},
		{
			name:    "400 no credential is auth, not invalid",
			handler: status(400, envelopeError(9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")),
			is:      []error{aisearch.ErrAuth, aisearch.ErrBadCredential},
			isNot:   []error{aisearch.ErrInvalid, aisearch.ErrPermissionDenied},
		},
		{
			name:     "400 malformed Authorization header, told by its error_chain",
			handler:  status(400, `{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"result":null}`),
			is:       []error{aisearch.ErrAuth, aisearch.ErrBadCredential},
			isNot:    []error{aisearch.ErrInvalid},
			contains: []string{"Invalid request headers (code 6003): Invalid format for Authorization header (code 6111)"},
			check: func(t *testing.T, e *aisearch.APIError) {
				if got := e.Codes(); !slices.Equal(got, []int{6003, 6111}) || !e.HasCode(aisearch.CodeMalformedAuthHeader) {
					t.Errorf("Codes = %v", got)
				}
			},
		},
		{
			name:    "400 invalid headers about another header is invalid input",
			handler: status(400, `{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6100,"message":"Invalid format for some header"}]}]}`),
			is:      []error{aisearch.ErrInvalid},
			isNot:   []error{aisearch.ErrAuth, aisearch.ErrBadCredential},
		},
		{
			name:    "404 token_not_found",
			handler: status(404, `{"success":false,"errors":[{"code":7075,"message":"token_not_found"}],"result":{}}`),
			is:      []error{aisearch.ErrNotFound},
		},
		{
			name:    "ai_search_not_found on any status",
			handler: status(400, envelopeError(7002, "ai_search_not_found")),
			is:      []error{aisearch.ErrNotFound},
		},
		{
			name:    "404 job_not_found",
			handler: status(404, envelopeError(7021, "job_not_found")),
			is:      []error{aisearch.ErrNotFound},
			isNot:   []error{aisearch.ErrInvalid},
		},
		{
			name:    "namespace_not_found on the namespaced create's 400",
			handler: status(400, envelopeError(7063, "namespace_not_found")),
			is:      []error{aisearch.ErrNotFound, aisearch.ErrInvalid},
			isNot:   []error{aisearch.ErrAuth},
		},
		{
			name:    "400 ai_search_instance_invalid_token: the service token is refused",
			handler: status(400, envelopeError(7012, "ai_search_instance_invalid_token")),
			is:      []error{aisearch.ErrInvalid, aisearch.ErrServiceTokenRejected},
			isNot:   []error{aisearch.ErrAuth, aisearch.ErrNotFound},
		},
		{
			name:     "400 validation keeps errors[].path",
			handler:  status(400, `{"success":false,"errors":[{"code":10001,"message":"id: not a uuid","path":["path","id"]}],"messages":[{"code":1,"message":"see docs"}]}`),
			is:       []error{aisearch.ErrInvalid},
			contains: []string{"id: not a uuid (code 10001, at path.id)"},
			check: func(t *testing.T, e *aisearch.APIError) {
				if got := strings.Join(e.Errors[0].Path, "/"); got != "path/id" {
					t.Errorf("path = %q", got)
				}
				if len(e.Messages) != 1 || e.Messages[0].Message != "see docs" {
					t.Errorf("messages = %+v", e.Messages)
				}
			},
		},
		{
			name: "HTML 502 from the edge",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				_, _ = w.Write([]byte(html502))
			},
			contains: []string{"502 Bad Gateway: not an API response: \"502 Bad Gateway 502 Bad Gateway cloudflare\""},
			check: func(t *testing.T, e *aisearch.APIError) {
				if e.Body == "" || strings.ContainsAny(e.Body, "<>\r\n") {
					t.Errorf("Body = %q, want a one-line text excerpt", e.Body)
				}
			},
		},
		{
			name:     "500 with an envelope",
			handler:  status(500, envelopeError(10002, "Internal error")),
			contains: []string{"500 Internal Server Error: Internal error (code 10002)"},
		},
		{
			name:     "success false inside a 200",
			handler:  status(200, envelopeError(7003, "Token not found")),
			contains: []string{"200 OK: Token not found"},
		},
		{
			name:    "429 carries Retry-After",
			handler: status(429, envelopeError(971, "Please wait and consider throttling your request speed"), "Retry-After", "120"),
			is:      []error{aisearch.ErrRateLimited},
			check: func(t *testing.T, e *aisearch.APIError) {
				if e.RetryAfter != 120*time.Second {
					t.Errorf("RetryAfter = %s, want 2m0s", e.RetryAfter)
				}
			},
		},
		{
			name:    "409 in use",
			handler: status(409, envelopeError(7006, "Token in use by instances")),
			is:      []error{aisearch.ErrConflict},
		},
		{
			name:    "token_in_use_by_instances",
			handler: status(409, envelopeError(7076, "token_in_use_by_instances")),
			is:      []error{aisearch.ErrConflict},
			isNot:   []error{aisearch.ErrInvalid, aisearch.ErrAuth},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, tt.handler)
			// Retries off: this test is about decoding.
			c, _ := newTestClient(t, srv.baseURL(), aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1}))
			_, err := c.Registrations.Get(context.Background(), "62af0db3-c410-40b2-9ee3-0e93f6dd1de0")
			var apiErr *aisearch.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = false", err, target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = true", err, target)
				}
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if tt.check != nil {
				tt.check(t, apiErr)
			}
		})
	}
}

func TestMalformedSuccessResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"truncated JSON", `{"success":true,"result":{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"sv`},
		{"not JSON", `<html>maintenance</html>`},
		{"empty body", ``},
		{"token without id", `{"success":true,"result":{"name":"x"}}`},
		{"wrong type", `{"success":true,"result":{"id":7}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, status(200, tt.body))
			c, _ := newTestClient(t, srv.baseURL())
			_, err := c.Registrations.Get(context.Background(), "62af0db3-c410-40b2-9ee3-0e93f6dd1de0")
			if !errors.Is(err, aisearch.ErrMalformedResponse) {
				t.Fatalf("err = %v, want ErrMalformedResponse", err)
			}
			if got := srv.hits.Load(); got != 1 {
				t.Errorf("server hit %d times; a complete but bad answer is not retried", got)
			}
		})
	}
}

func TestUnknownFieldsAreTolerated(t *testing.T) {
	t.Parallel()
	body := `{"success":true,"errors":[],"messages":[],"new_top":{"a":1},"result":{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"svc","cf_api_id":"cf-1","created_at":"2019-12-27T18:11:19.117Z","modified_at":"2019-12-28T10:00:00Z","created_by":null,"modified_by":"me","enabled":false,"future_field":[1,2,3]}}`
	srv := newScripted(t, status(200, body))
	c, _ := newTestClient(t, srv.baseURL())
	got, err := c.Registrations.Get(context.Background(), "62af0db3-c410-40b2-9ee3-0e93f6dd1de0")
	if err != nil {
		t.Fatal(err)
	}
	want := aisearch.Registration{
		ID: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0", Name: "svc", CfAPIID: "cf-1",
		CreatedAt:  time.Date(2019, 12, 27, 18, 11, 19, 117e6, time.UTC),
		ModifiedAt: time.Date(2019, 12, 28, 10, 0, 0, 0, time.UTC),
		ModifiedBy: "me", Enabled: false, Legacy: true, // legacy absent: true
	}
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.ModifiedAt.Equal(want.ModifiedAt) {
		t.Errorf("times = %v, %v", got.CreatedAt, got.ModifiedAt)
	}
	got.CreatedAt, got.ModifiedAt = want.CreatedAt, want.ModifiedAt
	if got != want {
		t.Errorf("token = %+v\nwant    %+v", got, want)
	}
}

// A server's message cannot drive the terminal an error is printed on, nor
// make the error unboundedly long.
func TestServerMessagesArePlainText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("m", 5000)
	srv := newScripted(t, status(400, envelopeError(10001, `bad\u001b[2J\nname`)), status(400, envelopeError(10001, long)))
	c, _ := newTestClient(t, srv.baseURL())
	_, err := c.Registrations.Get(context.Background(), tokenID)
	var apiErr *aisearch.APIError
	if !errors.As(err, &apiErr) || apiErr.Errors[0].Message != "bad [2J name" || strings.ContainsAny(err.Error(), "\x1b\n") {
		t.Errorf("err = %q", err)
	}
	_, err = c.Registrations.Get(context.Background(), tokenID)
	if !errors.As(err, &apiErr) || len(err.Error()) > 1000 {
		t.Errorf("a 5000-character message gave a %d-byte error", len(err.Error()))
	}
}

// A 2xx without a success field is no answer. Read as an empty list, it
// would make Ensure register a duplicate, so it is an error and
// nothing is created.
func TestSuccessFieldIsRequired(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{}`, `null`, `{"result":[]}`} {
		srv := newScripted(t, status(200, body), status(200, body))
		c, _ := newTestClient(t, srv.baseURL())
		_, created, err := c.Registrations.Ensure(context.Background(), aisearch.RegistrationParams{Name: "svc", CfAPIID: "a1b2c3d4e5f6", CfAPIKey: aisearch.Secret("the-token-value")})
		if !errors.Is(err, aisearch.ErrMalformedResponse) || created {
			t.Errorf("body %s: created=%v err=%v, want ErrMalformedResponse", body, created, err)
		}
		if got := srv.hits.Load(); got != 1 {
			t.Errorf("body %s: %d requests, want only the list (no create)", body, got)
		}
	}
}

// A Retry-After date is read on the client's clock, as the retries read
// it, not on the machine's.
func TestRetryAfterDateIsReadOnTheClientsClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2031, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := newScripted(t, status(429, envelopeError(971, "slow down"), "Retry-After", now.Add(90*time.Second).Format(http.TimeFormat)))
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithClock(func() time.Time { return now }),
		aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1}))
	_, err := c.Registrations.Get(context.Background(), tokenID)
	var apiErr *aisearch.APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 90*time.Second {
		t.Fatalf("err = %v, want a 429 with RetryAfter 1m30s", err)
	}
}
