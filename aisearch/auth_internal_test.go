package aisearch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// answer records the requests it sees and answers each with a success.
type answer struct{ reqs []*http.Request }

func (a *answer) RoundTrip(r *http.Request) (*http.Response, error) {
	a.reqs = append(a.reqs, r)
	body := `{"success":true,"errors":[],"messages":[],"result":{"id":"x","name":"n","cf_api_id":"c","created_at":"2026-01-02T03:04:05Z","modified_at":"2026-01-02T03:04:05Z"}}`
	if r.URL.Query().Has("page") || !strings.Contains(r.URL.Path, "/tokens/") {
		body = `{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":20,"count":0,"total_count":0}}`
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: -1, Request: r}, nil
}

// The User-Agent is added after the hooks, unless a hook set one.
func TestUserAgentAfterHooks(t *testing.T) {
	t.Parallel()
	for _, hookUA := range []string{"", "custom/1"} {
		rt := &answer{}
		c, err := New("acc", WithAPIToken("token-for-the-test"), WithHTTPClient(&http.Client{Transport: rt}),
			WithRequestHook(func(r *http.Request) {
				if hookUA != "" {
					r.Header.Set("User-Agent", hookUA)
				}
			}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Registrations.Get(context.Background(), "x"); err != nil {
			t.Fatal(err)
		}
		ua := rt.reqs[0].Header.Get("User-Agent")
		if hookUA != "" && ua != hookUA || hookUA == "" && !strings.HasPrefix(ua, "go-aisearch-tokens/") {
			t.Errorf("hook set %q: sent User-Agent %q", hookUA, ua)
		}
	}
}
