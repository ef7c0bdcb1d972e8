package aisearch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

func TestAllWalksEveryPageWithoutAnExtraOne(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tokens, wantRequests int
	}{
		{0, 1},
		{1, 1},
		{100, 1}, // exactly one full page: total_count says stop
		{250, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.tokens), func(t *testing.T) {
			t.Parallel()
			ts := newEmulator(t)
			ts.Seed(ts.AccountID, namedTokens("t", tt.tokens)...)
			w := &wire{}
			c, _ := newTestClient(t, ts.BaseURL, w.option())
			var names []string
			for tok, err := range c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{}) {
				if err != nil {
					t.Fatal(err)
				}
				names = append(names, tok.Name)
			}
			if len(names) != tt.tokens {
				t.Fatalf("got %d tokens, want %d", len(names), tt.tokens)
			}
			for i, n := range names {
				if want := fmt.Sprintf("t-%d", i+1); n != want {
					t.Fatalf("token %d = %q, want %q (order kept, no duplicates)", i, n, want)
				}
			}
			if got := w.hits("GET /collection"); got != tt.wantRequests {
				t.Errorf("%d list requests, want %d", got, tt.wantRequests)
			}
			for _, pp := range w.queries("per_page") {
				if pp != "100" {
					t.Errorf("per_page = %q, want 100", pp)
				}
			}
		})
	}
}

func TestAllPassesSearchAndStopsOnShortPageWithoutResultInfo(t *testing.T) {
	t.Parallel()
	var queries []string
	page := func(n int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			queries = append(queries, r.URL.RawQuery)
			body := `{"success":true,"result":[`
			for i := range n {
				if i > 0 {
					body += ","
				}
				body += fmt.Sprintf(`{"id":"id-%d","name":"n","cf_api_id":"c","created_at":"2019-12-27T18:11:19Z","modified_at":"2019-12-27T18:11:19Z"}`, i)
			}
			status(200, body+`]}`)(w, r)
		}
	}
	srv := newScripted(t, page(2), page(1))
	c, _ := newTestClient(t, srv.baseURL())
	n := 0
	for _, err := range c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{Search: "prod db", PerPage: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 || len(queries) != 2 {
		t.Fatalf("%d tokens in %d requests, want 3 in 2", n, len(queries))
	}
	if queries[1] != "page=2&per_page=2&search=prod+db" {
		t.Errorf("second query = %q", queries[1])
	}
}

func TestAllBreakStopsFetching(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	ts.Seed(ts.AccountID, namedTokens("t", 250)...)
	w := &wire{}
	c, _ := newTestClient(t, ts.BaseURL, w.option())
	n := 0
	for _, err := range c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			break
		}
	}
	if got := w.hits("GET /collection"); got != 2 {
		t.Errorf("%d list requests after breaking in page 2, want 2", got)
	}
}

func TestAllYieldsAnErrorOnceAndStops(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	ts.Seed(ts.AccountID, namedTokens("t", 350)...)
	// The emulator cannot refuse page 3 of a valid walk: a wrapper does.
	var lists atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lists.Add(1)
		if r.URL.Query().Get("page") == "3" {
			status(400, envelopeError(10001, "page: broken"))(w, r)
			return
		}
		ts.Server().Handler().ServeHTTP(w, r)
	}))
	defer front.Close()
	c, _ := newTestClient(t, front.URL+emulator.BasePath)
	var ok, errs int
	var last error
	for tok, err := range c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{}) {
		if err != nil {
			errs++
			last = err
			if tok != (aisearch.Registration{}) {
				t.Errorf("error came with token %+v", tok)
			}
			continue // keep looping: the iterator must stop by itself
		}
		ok++
	}
	if ok != 200 || errs != 1 || !errors.Is(last, aisearch.ErrInvalid) {
		t.Errorf("%d tokens, %d errors (%v); want 200 then one error", ok, errs, last)
	}
	if got := lists.Load(); got != 3 {
		t.Errorf("%d list requests, want 3", got)
	}
}

func TestAllCanBeRangedTwice(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	ts.Seed(ts.AccountID, namedTokens("t", 3)...)
	c, _ := newTestClient(t, ts.BaseURL)
	seq := c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{PerPage: 2})
	for range 2 {
		n := 0
		for _, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 3 {
			t.Errorf("got %d tokens, want 3", n)
		}
	}
}

func TestListValidatesAndReturnsInfo(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	ts.Seed(ts.AccountID, namedTokens("alpha", 3)...)
	ts.Seed(ts.AccountID, namedTokens("beta", 2)...)
	c, _ := newTestClient(t, ts.BaseURL)
	if _, err := c.Registrations.List(context.Background(), aisearch.RegistrationListOptions{PerPage: -1}); err == nil {
		t.Error("negative PerPage accepted")
	}
	page, err := c.Registrations.List(context.Background(), aisearch.RegistrationListOptions{Search: "ALPHA", PerPage: 2, Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := aisearch.ResultInfo{Page: 2, PerPage: 2, Count: 1, TotalCount: 3}
	if page.Info != want || len(page.Registrations) != 1 || page.Registrations[0].Name != "alpha-3" {
		t.Errorf("page = %+v", page)
	}
	empty, err := c.Registrations.List(context.Background(), aisearch.RegistrationListOptions{Search: "none"})
	if err != nil || empty.Registrations == nil || len(empty.Registrations) != 0 {
		t.Errorf("empty page = %+v, %v; want a non-nil empty slice", empty, err)
	}
}

// A server may serve fewer per page than asked (it caps per_page); All must
// follow its result_info, with or without a total, and still get everything.
func TestAllFollowsTheServersPageSize(t *testing.T) {
	t.Parallel()
	const total, served = 5, 2
	for _, withTotal := range []bool{true, false} {
		t.Run(fmt.Sprint("total_count ", withTotal), func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
				page := 1
				fmt.Sscan(r.URL.Query().Get("page"), &page)
				body := `{"success":true,"result":[`
				n := 0
				for i := (page - 1) * served; i < min(page*served, total); i++ {
					if n > 0 {
						body += ","
					}
					n++
					body += fmt.Sprintf(`{"id":"id-%d","name":"n","cf_api_id":"c","created_at":"2019-12-27T18:11:19Z","modified_at":"2019-12-27T18:11:19Z"}`, i)
				}
				info := fmt.Sprintf(`{"page":%d,"per_page":%d,"count":%d}`, page, served, n)
				if withTotal {
					info = fmt.Sprintf(`{"page":%d,"per_page":%d,"count":%d,"total_count":%d}`, page, served, n, total)
				}
				status(200, body+`],"result_info":`+info+`}`)(w, r)
			})
			c, _ := newTestClient(t, srv.baseURL())
			got := 0
			for _, err := range c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{}) {
				if err != nil {
					t.Fatal(err)
				}
				got++
			}
			if got != total || srv.hits.Load() != 3 {
				t.Errorf("%d tokens in %d requests, want %d in 3", got, srv.hits.Load(), total)
			}
		})
	}
}

// Every List refuses a negative page before sending anything, naming its
// options.
func TestEveryListRefusesANegativePageBeforeSending(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	w := &wire{}
	c, _ := newTestClient(t, ts.BaseURL, w.option())
	ctx := context.Background()
	for _, l := range []struct {
		what string
		list func(page, perPage int) error
	}{
		{"RegistrationListOptions", func(p, pp int) error {
			_, err := c.Registrations.List(ctx, aisearch.RegistrationListOptions{Page: p, PerPage: pp})
			return err
		}},
		{"APITokenListOptions", func(p, pp int) error {
			_, err := c.APITokens(aisearch.OwnerUser).List(ctx, aisearch.APITokenListOptions{Page: p, PerPage: pp})
			return err
		}},
		{"InstanceListOptions", func(p, pp int) error {
			_, err := c.Instances("").List(ctx, aisearch.InstanceListOptions{Page: p, PerPage: pp})
			return err
		}},
		{"NamespaceListOptions", func(p, pp int) error {
			_, err := c.Namespaces.List(ctx, aisearch.NamespaceListOptions{Page: p, PerPage: pp})
			return err
		}},
		{"JobListOptions", func(p, pp int) error {
			_, err := c.Instances("").ListJobs(ctx, "docs", aisearch.JobListOptions{Page: p, PerPage: pp})
			return err
		}},
		{"JobListOptions", func(p, pp int) error {
			_, err := c.Instances("").JobLogs(ctx, "docs", "job", aisearch.JobListOptions{Page: p, PerPage: pp})
			return err
		}},
	} {
		for _, pp := range [][2]int{{-1, 0}, {0, -1}} {
			want := fmt.Sprintf("aisearch: %s: negative Page (%d) or PerPage (%d)", l.what, pp[0], pp[1])
			if err := l.list(pp[0], pp[1]); err == nil || err.Error() != want {
				t.Errorf("%s %v: %v, want %q", l.what, pp, err, want)
			}
		}
	}
	if len(w.seen) != 0 {
		t.Errorf("%d requests sent for negative pages", len(w.seen))
	}
}

// A server that never says it is done (a full page each time, no total)
// cannot hold All in a loop: after 1000 pages it yields an error naming
// the list, once, and stops.
func TestAllGivesUpOnAListThatNeverEnds(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	endless := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		return respond(r, 200, `{"success":true,"errors":[],"messages":[],"result":[{"id":"`+tokenID+`","name":"again","cf_api_id":"x","created_at":"2026-01-01T00:00:00Z","modified_at":"2026-01-01T00:00:00Z"}],"result_info":{"page":1,"per_page":1}}`), nil
	})
	c, _ := newTestClient(t, "http://api.invalid/client/v4", aisearch.WithHTTPClient(&http.Client{Transport: endless}))
	items, errs := 0, 0
	for _, err := range c.Registrations.All(context.Background(), aisearch.RegistrationListOptions{PerPage: 1}) {
		if err != nil {
			errs++
			if want := "aisearch: registration list did not end after 1000 pages"; err.Error() != want {
				t.Errorf("err = %v, want %q", err, want)
			}
			continue
		}
		items++
	}
	if items != 1000 || errs != 1 || requests.Load() != 1000 {
		t.Errorf("%d items, %d errors, %d requests; want 1000, 1, 1000", items, errs, requests.Load())
	}
}
