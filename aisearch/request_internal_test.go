package aisearch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/generated"
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

// Get and List build their requests themselves (request.go); they must be
// the requests the generated builders make, for any id, account and query.
func TestGetRequestsMatchGenerated(t *testing.T) {
	ctx := context.Background()
	ids := []string{"62af0db3-c410-40b2-9ee3-0e93f6dd1de0", "a b", "a/b", "ä✓", "%", "100%25", "a?b", "a#b", "a;b", "a+b", "-_.~", "a..b", "é&x=y"}
	accounts := []string{"c3dc5f0b34a14ff8e1b3ec04895e1b22", "a/b", "a%b", "ü", "a?b"}
	lists := []RegistrationListOptions{{}, {Page: 2}, {PerPage: 100}, {Search: "a b&c=d+é/?#%"}, {Page: 3, PerPage: 7, Search: "x"}, {Search: " "}}
	for _, base := range []string{"https://api.cloudflare.com/client/v4", "http://127.0.0.1:8787/client/v4/", "http://h/some%20path/x"} {
		for _, acc := range accounts {
			rt := &answer{}
			c, err := New(acc, WithAPIToken("token-for-the-test"), WithBaseURL(base), WithHTTPClient(&http.Client{Transport: rt}))
			if err != nil {
				t.Fatal(err)
			}
			var want []*http.Request
			for _, id := range ids {
				if _, err := c.Registrations.Get(ctx, id); err != nil {
					t.Fatalf("Get %q: %v", id, err)
				}
				r, err := generated.NewGetTokenRequest(c.gen.Server, acc, id)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, r)
			}
			for _, lo := range lists {
				if _, err := c.Registrations.List(ctx, lo); err != nil {
					t.Fatalf("List %+v: %v", lo, err)
				}
				r, err := generated.NewListTokensRequest(c.gen.Server, acc, lo.params())
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, r)
			}
			if len(rt.reqs) != len(want) {
				t.Fatalf("%d requests sent, want %d", len(rt.reqs), len(want))
			}
			for i, got := range rt.reqs {
				w := want[i]
				if got.Method != w.Method || got.URL.String() != w.URL.String() || got.URL.EscapedPath() != w.URL.EscapedPath() ||
					got.Host != w.Host || got.Body != nil && got.Body != http.NoBody {
					t.Errorf("base %s, account %q: sent %s %s, the generated builder makes %s %s", base, acc, got.Method, got.URL, w.Method, w.URL)
				}
			}
		}
	}
}

// cloneWith copies deeply, sets its pairs as Set would, and leaves the
// original alone.
func TestCloneWith(t *testing.T) {
	orig := http.Header{"A": {"1", "2"}, "Authorization": {"hook's"}, "Nil": nil}
	got := cloneWith(orig, "Authorization", "Bearer x", "User-Agent", "ua")
	want := http.Header{"A": {"1", "2"}, "Authorization": {"Bearer x"}, "Nil": nil, "User-Agent": {"ua"}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || strings.Join(g, ",") != strings.Join(v, ",") || (v == nil) != (g == nil) {
			t.Errorf("%s: got %q, want %q", k, g, v)
		}
	}
	got["A"][0] = "changed"
	got.Add("A", "3")
	got.Add("User-Agent", "more")
	if orig["A"][0] != "1" || len(orig["A"]) != 2 || orig.Get("Authorization") != "hook's" || orig["User-Agent"] != nil {
		t.Errorf("the original changed: %v", orig)
	}
	if got["Authorization"][0] != "Bearer x" {
		t.Errorf("appending to one value overwrote another: %v", got)
	}
}

// The User-Agent is added after the hooks, unless a hook set one.
func TestUserAgentAfterHooks(t *testing.T) {
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
