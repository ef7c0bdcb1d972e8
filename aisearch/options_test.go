package aisearch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

func TestNewRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	tok := aisearch.WithAPIToken(fakeAPIToken)
	tests := []struct {
		name    string
		account string
		opts    []aisearch.Option
		want    string
	}{
		{"no account", "", []aisearch.Option{tok}, "no account ID"},
		{"dot-dot account", "..", []aisearch.Option{tok}, "not a valid identifier"},
		{"account with space", "a b", []aisearch.Option{tok}, "whitespace"},
		{"no credential", fakeAccount, nil, "no credential"},
		{"empty token", fakeAccount, []aisearch.Option{aisearch.WithAPIToken("")}, "empty API token"},
		{"token with newline", fakeAccount, []aisearch.Option{aisearch.WithAPIToken(fakeAPIToken + "\r\nX-Evil: 1")}, "control character"},
		{"token with spaces", fakeAccount, []aisearch.Option{aisearch.WithAPIToken(" " + fakeAPIToken)}, "whitespace"},
		{"key without email", fakeAccount, []aisearch.Option{aisearch.WithAPIKey("", fakeAPIKey)}, "empty e-mail"},
		{"bad email", fakeAccount, []aisearch.Option{aisearch.WithAPIKey("ops", fakeAPIKey)}, "not an e-mail"},
		{"key and email swapped", fakeAccount, []aisearch.Option{aisearch.WithAPIKey(fakeAPIKey, fakeEmail)}, "not an e-mail"},
		{"empty key", fakeAccount, []aisearch.Option{aisearch.WithAPIKey(fakeEmail, "")}, "empty API key"},
		{"ftp base", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("ftp://x/")}, "http or https"},
		{"relative base", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("/client/v4")}, "http or https"},
		{"base with credentials", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("https://u:" + fakeAPIKey + "@api.example.com/")}, "must not contain credentials"},
		{"ftp base with credentials", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("ftp://u:" + fakeAPIKey + "@api.example.com/")}, "must not contain credentials"},
		{"unparsable base with credentials", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("https://u:" + fakeAPIKey + "@api.example.com:port/")}, "base URL"},
		{"base with query", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("https://api.example.com/?x=1")}, "no query"},
		{"base without /client/v4", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("http://127.0.0.1:8787/")}, `base URL "http://127.0.0.1:8787/" has no /client/v4: the API root is http://127.0.0.1:8787/client/v4`},
		{"base under a proxy prefix without /client/v4", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("https://proxy.example.com/cf")}, "the API root is https://proxy.example.com/cf/client/v4"},
		{"base past /client/v4", fakeAccount, []aisearch.Option{tok, aisearch.WithBaseURL("https://api.cloudflare.com/client/v4/accounts/x")}, "goes past /client/v4: the API root is https://api.cloudflare.com/client/v4"},
		{"nil http client", fakeAccount, []aisearch.Option{tok, aisearch.WithHTTPClient(nil)}, "nil *http.Client"},
		{"nil hook", fakeAccount, []aisearch.Option{tok, aisearch.WithRequestHook(nil)}, "nil hook"},
		{"nil option", fakeAccount, []aisearch.Option{tok, nil}, "nil Option"},
		{"zero attempts", fakeAccount, []aisearch.Option{tok, aisearch.WithRetryPolicy(aisearch.RetryPolicy{})}, "MaxAttempts 0"},
		{"too many attempts", fakeAccount, []aisearch.Option{tok, aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 50, MinBackoff: 1, MaxBackoff: 1, MaxWait: 1})}, "MaxAttempts 50"},
		{"max below min", fakeAccount, []aisearch.Option{tok, aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: time.Millisecond, MaxWait: time.Minute})}, "MaxBackoff"},
		{"no budget", fakeAccount, []aisearch.Option{tok, aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: time.Second})}, "MaxWait"},
		{"bad user agent", fakeAccount, []aisearch.Option{tok, aisearch.WithUserAgent("a\nb")}, "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := aisearch.New(tt.account, tt.opts...)
			if err == nil || c != nil {
				t.Fatalf("New = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to mention %q", err, tt.want)
			}
			assertNoSecrets(t, err.Error())
		})
	}
	// The CLI maps these two to its own flags and variables.
	if _, err := aisearch.New("", tok); !errors.Is(err, aisearch.ErrNoAccountID) {
		t.Errorf("no account: %v, want ErrNoAccountID", err)
	}
	if _, err := aisearch.New(fakeAccount); !errors.Is(err, aisearch.ErrNoCredential) {
		t.Errorf("no credential: %v, want ErrNoCredential", err)
	}
	if _, err := aisearch.New(fakeAccount, tok, aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1})); err != nil {
		t.Errorf("MaxAttempts 1 (no retries) refused: %v", err)
	}
}

func TestWithBaseURLAcceptsAPIRoots(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://api.cloudflare.com/client/v4":    "https://api.cloudflare.com/client/v4",
		"http://127.0.0.1:8787/client/v4/":        "http://127.0.0.1:8787/client/v4",
		" https://proxy.example.com/cf/client/v4": "https://proxy.example.com/cf/client/v4",
	} {
		c, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(raw))
		if err != nil || c.BaseURL() != want {
			t.Errorf("WithBaseURL(%q): %v, %v; want %s", raw, c, err, want)
		}
	}
}

// captured records what the server saw of each request.
type captured struct {
	mu      sync.Mutex
	headers []http.Header
}

func (c *captured) handler(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.headers = append(c.headers, r.Header.Clone())
		c.mu.Unlock()
		next(w, r)
	}
}

func TestRequestHeadersHooksAndUserAgent(t *testing.T) {
	t.Parallel()
	var cap captured
	srv := newScripted(t, cap.handler(status(503, "")), cap.handler(okToken))
	var hookCalls int
	var hookSawAuth bool
	hook := func(r *http.Request) {
		hookCalls++
		hookSawAuth = hookSawAuth || r.Header.Get("Authorization") != "" || r.Header.Get("X-Auth-Key") != ""
		r.Header.Set("X-Trace", "abc")
	}
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithRequestHook(hook), aisearch.WithUserAgent("my-tool/1.2"))
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	if hookCalls != 1 || hookSawAuth {
		t.Errorf("hook called %d times (want 1 per call), saw credentials: %v", hookCalls, hookSawAuth)
	}
	if len(cap.headers) != 2 {
		t.Fatalf("%d requests", len(cap.headers))
	}
	for i, h := range cap.headers {
		if h.Get("Authorization") != "Bearer "+fakeAPIToken || h.Get("X-Auth-Key") != "" {
			t.Errorf("attempt %d: auth headers wrong", i+1)
		}
		if h.Get("X-Trace") != "abc" {
			t.Errorf("attempt %d: hook header lost on retry", i+1)
		}
		if ua := h.Get("User-Agent"); !strings.HasPrefix(ua, "my-tool/1.2 go-aisearch-tokens/") {
			t.Errorf("User-Agent = %q", ua)
		}
	}
}

func TestAPIKeyHeaders(t *testing.T) {
	t.Parallel()
	var cap captured
	srv := newScripted(t, cap.handler(okToken))
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithAPIKey(fakeEmail, fakeAPIKey))
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	h := cap.headers[0]
	if h.Get("X-Auth-Email") != fakeEmail || h.Get("X-Auth-Key") != fakeAPIKey || h.Get("Authorization") != "" {
		t.Errorf("want X-Auth-Email and X-Auth-Key only (the last credential option wins)")
	}
}

func TestCredentialsDoNotFollowRedirectsToOtherHosts(t *testing.T) {
	t.Parallel()
	var cap captured
	elsewhere := httptest.NewServer(cap.handler(okToken))
	defer elsewhere.Close()
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithAPIKey(fakeEmail, fakeAPIKey))
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	if len(cap.headers) != 1 {
		t.Fatalf("redirect not followed: %d requests", len(cap.headers))
	}
	if h := cap.headers[0]; h.Get("X-Auth-Key") != "" || h.Get("Authorization") != "" {
		t.Error("credentials were sent to another host")
	}
}

func TestWithHTTPClientCopies(t *testing.T) {
	t.Parallel()
	var calls int
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return http.DefaultTransport.RoundTrip(r)
	})
	hc := &http.Client{Transport: rt}
	srv := newScripted(t, okToken)
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithHTTPClient(hc))
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("custom transport used %d times", calls)
	}
	if _, same := hc.Transport.(roundTripFunc); !same {
		t.Errorf("caller's http.Client was modified: Transport is %T", hc.Transport)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBadArgumentsFailBeforeSending(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, okToken)
	c, _ := newTestClient(t, srv.baseURL())
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["get empty"] = c.Registrations.Get(ctx, "")
	_, checks["get .."] = c.Registrations.Get(ctx, "..")
	checks["delete ."] = c.Registrations.Delete(ctx, ".")
	_, checks["create no key"] = c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: "n", CfAPIID: "c"})
	_, checks["update empty"] = c.Registrations.Update(ctx, tokenID, aisearch.RegistrationParams{})
	_, checks["API token of no owner"] = c.APITokens("").Get(ctx, tokenID)
	_, checks["API tokens of an unknown owner"] = c.APITokens("zone").List(ctx, aisearch.APITokenListOptions{})
	//lint:ignore SA1012 a nil context must be an error, not a panic
	_, checks["nil context"] = c.Registrations.Get(nil, tokenID) //nolint:staticcheck
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if srv.hits.Load() != 0 {
		t.Errorf("server hit %d times", srv.hits.Load())
	}
}

func TestGetEscapesIDs(t *testing.T) {
	t.Parallel()
	var paths []string
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		status(404, envelopeError(7003, "Token not found"))(w, r)
	})
	c, _ := newTestClient(t, srv.baseURL())
	_, err := c.Registrations.Get(context.Background(), "a/../b?c")
	if len(paths) != 1 || paths[0] != "/client/v4/accounts/"+fakeAccount+"/ai-search/tokens/a%2F..%2Fb%3Fc" {
		t.Errorf("paths = %q", paths)
	}
	if err == nil || !strings.Contains(err.Error(), "tokens/a%2F..%2Fb%3Fc: 404") {
		t.Errorf("err = %v", err)
	}
}
