package aisearch_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// Right after a token is minted, Cloudflare can answer 400 code 7012 to
// its registration for a few seconds: the token has not reached AI Search
// yet. The emulator plays that part (emulator.WithPropagationDelay), on a
// clock that only the client's retry waits move.

// observer sits in front of the emulator's handler: it counts the
// registrations AI Search refused with 7012, and can fail the deletion of
// Cloudflare tokens, to leave one behind.
type observer struct {
	next        http.Handler
	failDeletes bool
	refused     atomic.Int64
}

func (o *observer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o.failDeletes && r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/user/tokens/") {
		status(503, envelopeError(10002, "Service unavailable"))(w, r)
		return
	}
	rec := httptest.NewRecorder()
	o.next.ServeHTTP(rec, r)
	if rec.Code == http.StatusBadRequest && strings.Contains(r.URL.Path, "/ai-search/tokens") && strings.Contains(rec.Body.String(), `"code":7012`) {
		o.refused.Add(1)
	}
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// propagation is an emulator whose new tokens reach AI Search after delay,
// and a client of it whose retry waits move the emulator's clock instead of
// sleeping.
type propagation struct {
	srv   *emulator.Server
	obs   *observer
	clock *testsupport.Clock
	c     *aisearch.Client
}

func newPropagation(t *testing.T, delay time.Duration, failDeletes bool) *propagation {
	t.Helper()
	clock := newClock()
	srv, err := emulator.New(emulator.WithAPITokens(fakeAPIToken), emulator.WithClock(clock.Now), emulator.WithPropagationDelay(delay))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	obs := &observer{next: srv.Handler(), failDeletes: failDeletes}
	hs := httptest.NewServer(obs)
	t.Cleanup(hs.Close)
	c, err := aisearch.New(emulator.DefaultAccountID, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(hs.URL+emulator.BasePath),
		aisearch.WithRetryPolicy(clockPolicy(clock)), aisearch.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	return &propagation{srv: srv, obs: obs, clock: clock, c: c}
}

// registered gives the account a working registration of a service token
// that reached AI Search long ago (seeded: known at once), for Rotate to
// replace; it returns the registration's and the token's ids.
func (p *propagation) registered(t *testing.T) (regID, tokenID string) {
	t.Helper()
	regID, tokenID = "4b0c3cc4-5c1e-4d7c-9f0a-3a6d2c3b9e11", "0ff1ce0ff1ce0ff1ce0ff1ce0ff1ce00"
	if err := p.srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: tokenID, Name: "ai-search-service", Value: fakeCfAPIKey,
		Policies: []generated.Policy{{Effect: generated.Allow, PermissionGroups: []generated.PolicyPermissionGroup{{ID: emulator.AISearchIndexEngineGroupID}},
			Resources: generated.APITokenResources{"com.cloudflare.api.account." + emulator.DefaultAccountID: "*"}}}}); err != nil {
		t.Fatal(err)
	}
	if err := p.srv.Seed(emulator.DefaultAccountID, emulator.SeedToken{ID: regID, Name: "ai-search-service", CfAPIID: tokenID, CfAPIKey: fakeCfAPIKey}); err != nil {
		t.Fatal(err)
	}
	if err := p.srv.CredentialWorks(emulator.DefaultAccountID, regID); err != nil {
		t.Fatal(err)
	}
	return regID, tokenID
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
		p := newPropagation(t, delay, false)
		start := p.clock.Now()
		got, err := p.c.Provision(context.Background(), aisearch.ServiceTokenOptions{})
		if err != nil || !got.Created {
			t.Fatalf("Provision = %+v, %v", got, err)
		}
		if p.obs.refused.Load() == 0 || p.clock.Now().Sub(start) < delay {
			t.Errorf("refused %d times, waited %s: the delay was not met", p.obs.refused.Load(), p.clock.Now().Sub(start))
		}
		if err := p.srv.CredentialWorks(emulator.DefaultAccountID, got.Registration.ID); err != nil {
			t.Errorf("the registration does not work: %v", err)
		}
	})
	t.Run("rotate", func(t *testing.T) {
		t.Parallel()
		p := newPropagation(t, delay, false)
		ctx := context.Background()
		regID, _ := p.registered(t)
		r, err := p.c.Rotate(ctx, regID, aisearch.ServiceTokenOptions{})
		if err != nil || r.Registration.CfAPIID != r.APIToken.ID || !r.OldDeleted {
			t.Fatalf("Rotate = %+v, %v", r, err)
		}
		if p.obs.refused.Load() == 0 {
			t.Error("Rotate was never refused: the delay did not apply")
		}
		if err := p.srv.CredentialWorks(emulator.DefaultAccountID, regID); err != nil {
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
				p := newPropagation(t, tt.delay, tt.failDeletes)
				_, err := p.c.Provision(context.Background(), tt.opts)
				check(t, p, "Provision", err, nil)
				if n := len(p.srv.Tokens(emulator.DefaultAccountID)); n != 0 {
					t.Errorf("%d registrations, want none", n)
				}
			})
			t.Run("rotate", func(t *testing.T) {
				t.Parallel()
				p := newPropagation(t, tt.delay, tt.failDeletes)
				regID, oldToken := p.registered(t)
				_, err := p.c.Rotate(context.Background(), regID, tt.opts)
				check(t, p, "Rotate", err, []string{oldToken})
				if !strings.Contains(err.Error(), "still holds its old token "+oldToken) {
					t.Errorf("err = %v, want it to say the registration kept the old token", err)
				}
				if err := p.srv.CredentialWorks(emulator.DefaultAccountID, regID); err != nil {
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
