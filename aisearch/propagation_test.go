package aisearch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// Right after a token is minted, Cloudflare can answer 400 code 7012 to
// its registration for a few seconds: the token has not reached AI Search
// yet. propagating plays that part in front of the emulator's handler.

// propagating refuses, with 7012, every registration (create or update) of
// a cf_api_id until delay has passed on clock since its first attempt:
// the registrations Provision and Rotate make come right after the mint,
// on a clock that only the client's sleep moves. It can also fail the
// deletion of Cloudflare tokens, to leave one behind.
type propagating struct {
	next         http.Handler
	clock        *testsupport.Clock
	mu           sync.Mutex
	delay        time.Duration
	failDeletes  bool
	firstAttempt map[string]time.Time // cf_api_id → its first registration attempt
	refused      int
}

func (p *propagating) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	failDelete := p.failDeletes && r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/user/tokens/")
	p.mu.Unlock()
	if failDelete {
		status(503, envelopeError(10002, "Service unavailable"))(w, r)
		return
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && strings.Contains(r.URL.Path, "/ai-search/tokens") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct {
			CfAPIID string `json:"cf_api_id"`
		}
		_ = json.Unmarshal(body, &in)
		now := p.clock.Now()
		p.mu.Lock()
		first, seen := p.firstAttempt[in.CfAPIID]
		if !seen {
			first = now
			p.firstAttempt[in.CfAPIID] = now
		}
		refuse := now.Before(first.Add(p.delay))
		if refuse {
			p.refused++
		}
		p.mu.Unlock()
		if refuse {
			status(400, `{"success":false,"errors":[{"code":7012,"message":"ai_search_instance_invalid_token"}],"result":{}}`)(w, r)
			return
		}
	}
	p.next.ServeHTTP(w, r)
}

func (p *propagating) set(delay time.Duration, failDeletes bool) {
	p.mu.Lock()
	p.delay, p.failDeletes = delay, failDeletes
	p.mu.Unlock()
}

// propagation is an emulator behind propagating and a client of it whose
// retry waits move the shared clock instead of sleeping.
type propagation struct {
	srv   *emulator.Server
	gate  *propagating
	clock *testsupport.Clock
	c     *aisearch.Client
}

func newPropagation(t *testing.T, delay time.Duration) *propagation {
	t.Helper()
	clock := newClock()
	srv, err := emulator.New(emulator.WithAPITokens(fakeAPIToken), emulator.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	gate := &propagating{next: srv.Handler(), clock: clock, delay: delay, firstAttempt: map[string]time.Time{}}
	hs := httptest.NewServer(gate)
	t.Cleanup(hs.Close)
	policy := aisearch.DefaultRetryPolicy()
	policy.Sleep = func(ctx context.Context, d time.Duration) error {
		clock.Advance(d)
		return ctx.Err()
	}
	c, err := aisearch.New(emulator.DefaultAccountID, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(hs.URL+emulator.BasePath),
		aisearch.WithRetryPolicy(policy), aisearch.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	return &propagation{srv: srv, gate: gate, clock: clock, c: c}
}

// cloudflareTokens returns the ids of the user's Cloudflare tokens.
func (p *propagation) cloudflareTokens() []string {
	var ids []string
	for _, t := range p.srv.APITokens(emulator.UserOwner) {
		ids = append(ids, t.ID)
	}
	return ids
}

// With a 3 s delay, Provision and Rotate wait for the new token and
// succeed, having been refused on the way, without sleeping for real.
func TestNewTokenIsRegisteredOnceItReachesAISearch(t *testing.T) {
	t.Parallel()
	const delay = 3 * time.Second
	t.Run("provision", func(t *testing.T) {
		t.Parallel()
		p := newPropagation(t, delay)
		start := p.clock.Now()
		got, err := p.c.Provision(context.Background(), aisearch.ServiceTokenOptions{})
		if err != nil || !got.Created {
			t.Fatalf("Provision = %+v, %v", got, err)
		}
		if p.gate.refused == 0 || p.clock.Now().Sub(start) < delay {
			t.Errorf("refused %d times, waited %s: the delay was not met", p.gate.refused, p.clock.Now().Sub(start))
		}
		if err := p.srv.CredentialWorks(emulator.DefaultAccountID, got.Registration.ID); err != nil {
			t.Errorf("the registration does not work: %v", err)
		}
	})
	t.Run("rotate", func(t *testing.T) {
		t.Parallel()
		p := newPropagation(t, 0)
		ctx := context.Background()
		first, err := p.c.Provision(ctx, aisearch.ServiceTokenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p.gate.set(delay, false)
		r, err := p.c.Rotate(ctx, first.Registration.ID, aisearch.ServiceTokenOptions{})
		if err != nil || r.Registration.CfAPIID != r.APIToken.ID || !r.OldDeleted {
			t.Fatalf("Rotate = %+v, %v", r, err)
		}
		if p.gate.refused == 0 {
			t.Error("Rotate was never refused: the delay did not apply")
		}
		if err := p.srv.CredentialWorks(emulator.DefaultAccountID, first.Registration.ID); err != nil {
			t.Errorf("the registration does not work: %v", err)
		}
	})
}

// When the token does not reach AI Search within the budget, Provision and
// Rotate fail with ErrNotPropagated, naming the token, and delete it; only
// when the delete fails too is it left behind, and the error says so.
func TestNewTokenThatNeverReachesAISearch(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		delay       time.Duration
		opts        aisearch.ServiceTokenOptions
		failDeletes bool
	}{
		{name: "longer than the default budget", delay: time.Minute},
		{name: "longer than a configured budget", delay: 3 * time.Second, opts: aisearch.ServiceTokenOptions{PropagationTimeout: 2 * time.Second}},
		{name: "and deleting it fails", delay: time.Minute, failDeletes: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			budget := tt.opts.PropagationTimeout
			if budget == 0 {
				budget = aisearch.DefaultPropagationTimeout
			}
			check := func(t *testing.T, p *propagation, op string, err error, wantTokens []string) {
				t.Helper()
				var perr *aisearch.PropagationError
				if !errors.Is(err, aisearch.ErrNotPropagated) || !errors.As(err, &perr) || !errors.Is(err, aisearch.ErrServiceTokenRejected) {
					t.Fatalf("%s = %v, want a PropagationError", op, err)
				}
				if perr.Op != op || perr.Waited != budget || perr.Attempts < 2 || perr.Deleted == tt.failDeletes || !strings.Contains(err.Error(), perr.TokenID) {
					t.Errorf("%+v: %v", perr, err)
				}
				t.Logf("%s: %v", op, err)
				if want := "deleted again"; !tt.failDeletes && !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to say %q", err, want)
				}
				if want := "delete it by hand"; tt.failDeletes && !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to say %q", err, want)
				}
				if tt.failDeletes {
					wantTokens = append(wantTokens, perr.TokenID)
				}
				got := p.cloudflareTokens()
				slices.Sort(got)
				slices.Sort(wantTokens)
				if !slices.Equal(got, wantTokens) {
					t.Errorf("Cloudflare tokens %v, want %v", got, wantTokens)
				}
			}
			t.Run("provision", func(t *testing.T) {
				t.Parallel()
				p := newPropagation(t, tt.delay)
				p.gate.set(tt.delay, tt.failDeletes)
				_, err := p.c.Provision(context.Background(), tt.opts)
				check(t, p, "Provision", err, nil)
				if n := len(p.srv.Tokens(emulator.DefaultAccountID)); n != 0 {
					t.Errorf("%d registrations, want none", n)
				}
			})
			t.Run("rotate", func(t *testing.T) {
				t.Parallel()
				p := newPropagation(t, 0)
				ctx := context.Background()
				first, err := p.c.Provision(ctx, aisearch.ServiceTokenOptions{})
				if err != nil {
					t.Fatal(err)
				}
				p.gate.set(tt.delay, tt.failDeletes)
				_, err = p.c.Rotate(ctx, first.Registration.ID, tt.opts)
				check(t, p, "Rotate", err, []string{first.APIToken.ID})
				if !strings.Contains(err.Error(), "still holds its old token "+first.APIToken.ID) {
					t.Errorf("err = %v, want it to say the registration kept the old token", err)
				}
				if err := p.srv.CredentialWorks(emulator.DefaultAccountID, first.Registration.ID); err != nil {
					t.Errorf("the registration broke: %v", err)
				}
			})
		})
	}
}

// An expiry the token could not be registered with is refused before any
// request: in the past, or too soon for the registration to be sure.
func TestServiceTokenExpiryIsCheckedFirst(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, okToken)
	clock := newClock()
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithClock(clock.Now))
	ctx := context.Background()
	for _, tt := range []struct {
		expires time.Time
		want    string
	}{
		{clock.Now().Add(-time.Hour), "is in the past"},
		{clock.Now(), "is in the past"},
		{clock.Now().Add(time.Minute), "allow at least 1m30s"}, // the default 30s budget and a minute
	} {
		_, err := c.Provision(ctx, aisearch.ServiceTokenOptions{ExpiresOn: tt.expires})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Provision(ExpiresOn %s) = %v, want %q", tt.expires, err, tt.want)
		}
		_, err = c.Rotate(ctx, tokenID, aisearch.ServiceTokenOptions{ExpiresOn: tt.expires})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Rotate(ExpiresOn %s) = %v, want %q", tt.expires, err, tt.want)
		}
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}
