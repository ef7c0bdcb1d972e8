package interop_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/cloudflare/cloudflare-go/v6/ai_search"
	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
)

// wire records what the SDK sends and gets; its contract.Transport
// validates each exchange against openapi.yaml.
type wire struct {
	t     *testing.T
	rt    http.RoundTripper
	mu    sync.Mutex
	calls []call
}

type call struct {
	method, uri, path, query string
	status                   int
	retryCount               string // the SDK's X-Stainless-Retry-Count
	contentType              string
	body                     []byte
	// hasBody: a body was sent, even an empty one. contract.Transport
	// reads a request's body through GetBody, which the SDK sets whenever
	// it sends one, and leaves RequestBody nil when there is none.
	hasBody bool
}

func newWire(t *testing.T) *wire {
	v, err := contract.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{t: t}
	w.rt = &contract.Transport{Validator: v, OnExchange: w.add}
	return w
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) { return w.rt.RoundTrip(req) }

func (w *wire) add(ix contract.Interaction, res contract.Result) {
	// Responses must always fit the spec (injected 5xx aside); requests must
	// whenever the emulator accepted them.
	injected := ix.ResponseHeader.Get(emulator.FaultHeader) == "injected"
	if len(res.Response) > 0 && !injected || len(res.Request) > 0 && ix.Status < 400 {
		w.t.Errorf("%s %s → %d breaks openapi.yaml: %v", ix.Method, ix.URL, ix.Status, res.All())
	}
	c := call{method: ix.Method, uri: ix.URL, status: ix.Status, retryCount: ix.RequestHeader.Get("X-Stainless-Retry-Count"),
		contentType: ix.RequestHeader.Get("Content-Type"), body: ix.RequestBody, hasBody: ix.RequestBody != nil}
	if u, err := url.Parse(ix.URL); err == nil {
		c.uri, c.path, c.query = u.RequestURI(), u.Path, u.RawQuery
	}
	w.mu.Lock()
	w.calls = append(w.calls, c)
	w.mu.Unlock()
}

func (w *wire) last() call {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls[len(w.calls)-1]
}

func (w *wire) since(n int) []call {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.calls[n:])
}

func (w *wire) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.calls)
}

func newSDK(t *testing.T, ts *emulator.TestServer, w *wire, opts ...option.RequestOption) *client {
	t.Helper()
	return newClient(append([]option.RequestOption{
		option.WithBaseURL(ts.BaseURL),
		option.WithAPIToken(ts.APIToken),
		option.WithHTTPClient(&http.Client{Transport: w}),
	}, opts...)...)
}

func apiError(t *testing.T, err error, status int) *apiErr {
	t.Helper()
	var apiErr *apiErr
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not a *apiErr", err, err)
	}
	if apiErr.StatusCode != status {
		t.Fatalf("status %d, want %d: %v", apiErr.StatusCode, status, err)
	}
	return apiErr
}

func TestSDKLifecycle(t *testing.T) {
	ts := emulator.NewTestServer(t)
	w := newWire(t)
	// 409 "in use" is retried by the SDK by default; nothing here should be.
	c := newSDK(t, ts, w, option.WithMaxRetries(0))
	ctx := context.Background()
	acc := str(ts.AccountID)
	// AI Search registers only a live Cloudflare API token: the credentials
	// cloudflare-go's own tests send (a1b2c3d4e5f6 / abc123), seeded as the
	// user's tokens, and a second one to update to.
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "a1b2c3d4e5f6", Name: "service", Value: "abc123"},
		emulator.SeedAPIToken{ID: "b2c3d4e5f6a1", Name: "service 2", Value: "sdk-secret-new"})

	var ids []string
	for i := range 5 {
		tok, err := c.AISearch.Tokens.New(ctx, ai_search.TokenNewParams{
			AccountID: acc, Name: str(fmt.Sprintf("sdk-%d", i)),
			CfAPIID: str("a1b2c3d4e5f6"), CfAPIKey: str("abc123"),
			Legacy: boolean(i%2 == 0),
		})
		if err != nil {
			t.Fatalf("new: %v", err)
		}
		if tok.ID == "" || tok.Name != fmt.Sprintf("sdk-%d", i) || tok.Legacy != (i%2 == 0) || !tok.Enabled || tok.CreatedAt.IsZero() {
			t.Errorf("new: %+v", tok)
		}
		ids = append(ids, tok.ID)
	}

	// The auto-pager walks every page and stops on the first empty one.
	before := w.count()
	paged := keys(t, c.AISearch.Tokens.ListAutoPaging(ctx, ai_search.TokenListParams{AccountID: acc, PerPage: int64F(int64(2))}),
		func(tok ai_search.TokenListResponse) string { return tok.ID })
	if !slices.Equal(paged, ids) {
		t.Errorf("auto-pager saw %v, want %v in creation order", paged, ids)
	}
	var pages []string
	for _, cl := range w.since(before) {
		pages = append(pages, fmt.Sprintf("%s → %d", cl.uri, cl.status))
	}
	// Pages 1, 2, 3, and the empty page 4 that stops the pager (it ignores
	// result_info.total_count).
	if len(pages) != 4 {
		t.Errorf("auto-pager made %d requests, want 4: %v", len(pages), pages)
	}

	page, err := c.AISearch.Tokens.List(ctx, ai_search.TokenListParams{AccountID: acc, Search: str("SDK-3")})
	if err != nil || len(page.Result) != 1 || page.Result[0].ID != ids[3] {
		t.Errorf("search: %v %+v", err, page)
	}

	got, err := c.AISearch.Tokens.Read(ctx, ids[1], ai_search.TokenReadParams{AccountID: acc})
	if err != nil || got.Name != "sdk-1" {
		t.Errorf("read: %v %+v", err, got)
	}
	upd, err := c.AISearch.Tokens.Update(ctx, ids[1], ai_search.TokenUpdateParams{
		AccountID: acc, Name: str("sdk-1-renamed"), CfAPIID: str("b2c3d4e5f6a1"), CfAPIKey: str("sdk-secret-new"),
	})
	if err != nil || upd.Name != "sdk-1-renamed" || !upd.Legacy || !upd.ModifiedAt.After(got.ModifiedAt.Add(-1)) {
		t.Errorf("update: %v %+v", err, upd)
	}
	if !ts.KeyMatches(ts.AccountID, ids[1], "sdk-secret-new") {
		t.Error("update did not store the new key")
	}

	if _, err := c.AISearch.Tokens.Delete(ctx, ids[4], ai_search.TokenDeleteParams{AccountID: acc}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.AISearch.Tokens.Read(ctx, ids[4], ai_search.TokenReadParams{AccountID: acc})
	if e := apiError(t, err, http.StatusNotFound); len(e.Errors) != 1 || e.Errors[0].Code != emulator.CodeTokenNotFound {
		t.Errorf("404 errors: %+v", e.Errors)
	}
	_, err = c.AISearch.Tokens.Delete(ctx, ids[4], ai_search.TokenDeleteParams{AccountID: acc})
	apiError(t, err, http.StatusNotFound)

	ts.MarkInUse(ts.AccountID, ids[0], "docs")
	_, err = c.AISearch.Tokens.Delete(ctx, ids[0], ai_search.TokenDeleteParams{AccountID: acc})
	if e := apiError(t, err, http.StatusConflict); e.Errors[0].Code != emulator.CodeInUse {
		t.Errorf("409 errors: %+v", e.Errors)
	}

	_, err = c.AISearch.Tokens.List(ctx, ai_search.TokenListParams{AccountID: acc, PerPage: int64F(int64(101))})
	if e := apiError(t, err, http.StatusBadRequest); e.Errors[0].Code != emulator.CodeValidation {
		t.Errorf("400 errors: %+v", e.Errors)
	}

	left := ts.Tokens(ts.AccountID)
	if len(left) != 4 || left[1].Name != "sdk-1-renamed" {
		t.Errorf("left %+v", left)
	}
}

// The SDK with the legacy key pair (X-Auth-Email and X-Auth-Key), given
// the options cloudflare.NewClient derives from CLOUDFLARE_BASE_URL,
// CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY, the way users point it elsewhere.
func TestSDKWithKeyPair(t *testing.T) {
	ts := emulator.NewTestServer(t)
	keyPair := []option.RequestOption{option.WithBaseURL(ts.BaseURL), option.WithAPIEmail(ts.APIEmail), option.WithAPIKey(ts.APIKey)}
	c := newClient(append(keyPair, option.WithMaxRetries(0))...)
	page, err := c.AISearch.Tokens.List(context.Background(), ai_search.TokenListParams{AccountID: str(ts.AccountID)})
	if err != nil || len(page.Result) != 0 {
		t.Fatalf("list: %v %+v", err, page)
	}

	// A wrong bearer decides even next to a right key pair: 401, not retried.
	w := newWire(t)
	c = newClient(append(keyPair, option.WithAPIToken("wrong"), option.WithHTTPClient(&http.Client{Transport: w}))...)
	_, err = c.AISearch.Tokens.List(context.Background(), ai_search.TokenListParams{AccountID: str(ts.AccountID)})
	if e := apiError(t, err, http.StatusUnauthorized); e.Errors[0].Code != emulator.CodeAuth {
		t.Errorf("401 errors: %+v", e.Errors)
	}
	if n := w.count(); n != 1 {
		t.Errorf("401 sent %d times", n)
	}
}

// The SDK retries 429 honouring Retry-After, and (by default) 409 too,
// which is why callers should disable retries for deletes.
func TestSDKRetries(t *testing.T) {
	ts := emulator.NewTestServer(t)
	w := newWire(t)
	c := newSDK(t, ts, w)
	ctx := context.Background()
	ts.FailNext(429, 429)
	if _, err := c.AISearch.Tokens.List(ctx, ai_search.TokenListParams{AccountID: str(ts.AccountID)}); err != nil {
		t.Fatalf("list after two 429s: %v", err)
	}
	var got []string
	for _, cl := range w.since(0) {
		got = append(got, fmt.Sprintf("%d/retry=%s", cl.status, cl.retryCount))
	}
	if !slices.Equal(got, []string{"429/retry=0", "429/retry=1", "200/retry=2"}) {
		t.Errorf("attempts %v", got)
	}
}

// The SDK retries 409 like 429 and 5xx (10 times by default, backing off
// from about 2 s): a delete of a token in use only fails after the retries.
// Users should pass option.WithMaxRetries(0) to deletes.
func TestSDKRetriesConflict(t *testing.T) {
	ts := emulator.NewTestServer(t)
	w := newWire(t)
	// The SDK waits what Retry-After-Ms says before a retry: 0 here, added
	// to the 409 after the wire has checked it, spares the test the SDK's
	// 2 s backoff.
	now := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := w.RoundTrip(r)
		if err == nil && resp.StatusCode == http.StatusConflict {
			resp.Header.Set("Retry-After-Ms", "0")
		}
		return resp, err
	})
	c := newClient(option.WithBaseURL(ts.BaseURL), option.WithAPIToken(ts.APIToken),
		option.WithHTTPClient(&http.Client{Transport: now}), option.WithMaxRetries(1))
	id := "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
	ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "busy", CfAPIID: "i", CfAPIKey: "k", InUseBy: []string{"docs"}})
	_, err := c.AISearch.Tokens.Delete(context.Background(), id, ai_search.TokenDeleteParams{AccountID: str(ts.AccountID)})
	apiError(t, err, http.StatusConflict)
	if calls := w.since(0); len(calls) != 2 || calls[1].retryCount != "1" {
		t.Errorf("409 attempts: %+v, want the SDK to retry once", calls)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
