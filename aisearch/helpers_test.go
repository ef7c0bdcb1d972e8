package aisearch_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// Test credentials. The leak test looks for these in everything the client
// and the CLI print or return.
const (
	fakeAccount  = emulator.DefaultAccountID
	fakeAPIToken = "tok-SECRET-4f1d9c2b7a"
	fakeEmail    = "ops@example.com"
	fakeAPIKey   = "gk-SECRET-90e1d2c3b4"
	fakeCfAPIKey = "cfk-SECRET-5a6b7c8d9e"
)

// newEmulator starts the project's emulator for one test: it accepts the
// test credentials above and hands out deterministic ids.
func newEmulator(t testing.TB, opts ...emulator.Option) *emulator.TestServer {
	t.Helper()
	return emulator.NewTestServer(t, append([]emulator.Option{
		emulator.WithAPITokens(fakeAPIToken), emulator.WithAPIKey(fakeEmail, fakeAPIKey), emulator.WithDeterministicIDs(1),
	}, opts...)...)
}

// liveToken seeds a Cloudflare API token of the user, named name, in srv
// and returns its id and value: AI Search registers only the current
// value of a live token (400, code 7012, for any other credential). The
// value holds fakeCfAPIKey, so the leak test looks for it too.
func liveToken(t testing.TB, srv *emulator.Server, name string) (string, aisearch.Secret) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:16])
	value := fakeCfAPIKey + "-" + id[:8]
	if err := srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: id, Name: name, Value: value}); err != nil {
		t.Fatal(err)
	}
	return id, aisearch.Secret(value)
}

// namedTokens returns n tokens to seed, named prefix-1..prefix-n, with
// cf_api_id prefix-cf-1..prefix-cf-n.
func namedTokens(prefix string, n int) []emulator.SeedToken {
	out := make([]emulator.SeedToken, n)
	for i := range out {
		out[i] = emulator.SeedToken{ID: uuid.NewString(), Name: fmt.Sprintf("%s-%d", prefix, i+1), CfAPIID: fmt.Sprintf("%s-cf-%d", prefix, i+1), CfAPIKey: fakeCfAPIKey}
	}
	return out
}

// wire records every request that reaches the server, retries included:
// give the client wire.option() and count with hits.
type wire struct {
	mu   sync.Mutex
	seen []*http.Request
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.seen = append(w.seen, r)
	w.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (w *wire) option() aisearch.Option { return aisearch.WithHTTPClient(&http.Client{Transport: w}) }

// hits counts requests by "METHOD /collection" (the tokens list) or
// "METHOD /item" (one token).
func (w *wire) hits(key string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, r := range w.seen {
		kind := "/item"
		if strings.HasSuffix(r.URL.Path, "/tokens") {
			kind = "/collection"
		}
		if r.Method+" "+kind == key {
			n++
		}
	}
	return n
}

// queries returns the query parameter name of every request, in order.
func (w *wire) queries(name string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, r := range w.seen {
		out = append(out, r.URL.Query().Get(name))
	}
	return out
}

// sleeps records the retry transport's waits instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// fastRetries is a policy whose waits are recorded, not slept.
var fastRetries = aisearch.RetryPolicy{MaxAttempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxWait: 10 * time.Second}

// newTestClient returns a client for baseURL whose retry waits are recorded
// in the returned sleeps. Extra options come last and win.
func newTestClient(t testing.TB, baseURL string, opts ...aisearch.Option) (*aisearch.Client, *sleeps) {
	t.Helper()
	return newTestClientWith(t, baseURL, func(*aisearch.RetryPolicy) {}, opts...)
}

// newTestClientWith is newTestClient with fastRetries changed by edit; the
// waits are recorded whatever edit does.
func newTestClientWith(t testing.TB, baseURL string, edit func(*aisearch.RetryPolicy), opts ...aisearch.Option) (*aisearch.Client, *sleeps) {
	t.Helper()
	s := &sleeps{}
	p := fastRetries
	edit(&p)
	p.Sleep = s.sleep
	all := append([]aisearch.Option{
		aisearch.WithBaseURL(baseURL),
		aisearch.WithAPIToken(fakeAPIToken),
		aisearch.WithRetryPolicy(p),
	}, opts...)
	c, err := aisearch.New(fakeAccount, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, s
}

// scripted serves responses from a list, one per request, counting them;
// the last one repeats.
type scripted struct {
	*httptest.Server
	hits  atomic.Int32
	steps []http.HandlerFunc
}

func newScripted(t testing.TB, steps ...http.HandlerFunc) *scripted {
	t.Helper()
	s := &scripted{steps: steps}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1))
		s.steps[min(n, len(s.steps))-1](w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scripted) baseURL() string { return s.URL + "/client/v4" }

// Canned answers.
const tokenJSON = `{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"svc","cf_api_id":"cf-1","created_at":"2019-12-27T18:11:19.117Z","modified_at":"2019-12-27T18:11:19.117Z","created_by":null,"modified_by":"me"}`

func okToken(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":` + tokenJSON + `}`))
}

func status(code int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func envelopeError(code int, msg string) string {
	return `{"success":false,"errors":[{"code":` + strconv.Itoa(code) + `,"message":"` + msg + `"}],"messages":[]}`
}

// hangup reads the request, then closes the connection without answering:
// the request reached the server, the client sees a reset/EOF.
func hangup(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// respond is an answer for an in-memory transport: no server, no network
// (what a synctest bubble needs).
func respond(r *http.Request, code int, body string, headers ...string) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}
}

// provision runs c.Provision with the default options and fails the test
// if it fails: the start of every test of a working registration.
func provision(t testing.TB, c *aisearch.Client) aisearch.Provisioned {
	t.Helper()
	p, err := c.Provision(context.Background(), aisearch.ServiceTokenOptions{})
	if err != nil {
		t.Fatalf("Provision: %v", err)
	}
	return p
}
