package aisearch_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// The service-token workflow against the emulator, whose CredentialWorks is
// the ground truth: a registration works when its stored key is the current
// value of a live, usable Cloudflare token.

// newClock is a time both the emulator and the client read, moved by hand.
func newClock() *testsupport.Clock {
	return testsupport.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
}

// clockSleep is a retry policy's Sleep that moves clock by d instead of
// sleeping: a wait (a retry's, a new token's, a cooldown's, a job's) costs
// no real time, and an emulator on that clock sees the time pass.
func clockSleep(clock *testsupport.Clock) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		clock.Advance(d)
		return ctx.Err()
	}
}

// clockPolicy is DefaultRetryPolicy waiting with clockSleep.
func clockPolicy(clock *testsupport.Clock) aisearch.RetryPolicy {
	p := aisearch.DefaultRetryPolicy()
	p.Sleep = clockSleep(clock)
	return p
}

// faults adds X-Emulator-Fault to chosen attempts, counted from 1 over
// every attempt the client sends (retries included), and records them.
type faults struct {
	mu     sync.Mutex
	n      int
	failAt map[int]string // attempt number → fault header
	// failCall makes the call whose first attempt is number failCall fail
	// on every attempt (its retries are the following attempts of the same
	// method and path); 0: none.
	failCall int
	failing  string
	seen     []string // "METHOD path" per attempt
}

func (f *faults) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.n++
	fault := f.failAt[f.n]
	switch {
	case f.n == f.failCall:
		f.failing = key
	case f.failing != "" && key != f.failing:
		f.failing = "" // the call gave up: what follows is another call
	}
	if f.failing != "" {
		fault = "503"
	}
	f.seen = append(f.seen, key)
	f.mu.Unlock()
	if fault != "" {
		r = r.Clone(r.Context())
		r.Header.Set(emulator.FaultHeader, fault)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// stop ends every fault.
func (f *faults) stop() {
	f.mu.Lock()
	f.failAt, f.failCall, f.failing = map[int]string{}, 0, ""
	f.mu.Unlock()
}

func (f *faults) attempts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

// workflow is an emulator and a client of it sharing a clock.
type workflow struct {
	ts     *emulator.TestServer
	c      *aisearch.Client
	clock  *testsupport.Clock
	faults *faults
}

func newWorkflow(t *testing.T, opts ...aisearch.Option) *workflow {
	t.Helper()
	w := &workflow{clock: newClock(), faults: &faults{failAt: map[int]string{}}}
	w.ts = newEmulator(t, emulator.WithClock(w.clock.Now))
	w.c = w.client(t, append([]aisearch.Option{aisearch.WithHTTPClient(&http.Client{Transport: w.faults})}, opts...)...)
	return w
}

func (w *workflow) client(t *testing.T, opts ...aisearch.Option) *aisearch.Client {
	t.Helper()
	c, _ := newTestClient(t, w.ts.BaseURL, append([]aisearch.Option{aisearch.WithClock(w.clock.Now)}, opts...)...)
	return c
}

// orphans returns the Cloudflare tokens (user- and account-owned) that no
// registration holds.
func (w *workflow) orphans() []string {
	held := map[string]bool{}
	for _, r := range w.ts.Tokens(w.ts.AccountID) {
		held[r.CfAPIID] = true
	}
	var out []string
	for _, owner := range []string{emulator.UserOwner, w.ts.AccountID} {
		for _, t := range w.ts.APITokens(owner) {
			if !held[t.ID] {
				out = append(out, t.ID)
			}
		}
	}
	return out
}

// works fails the test unless every registration's credential works and
// no Cloudflare token is left that nobody holds.
func (w *workflow) works(t *testing.T, when string) {
	t.Helper()
	regs := w.ts.Tokens(w.ts.AccountID)
	if len(regs) == 0 {
		t.Fatalf("%s: no registration", when)
	}
	for _, r := range regs {
		if err := w.ts.CredentialWorks(w.ts.AccountID, r.ID); err != nil {
			t.Errorf("%s: registration %s is broken: %v", when, r.ID, err)
		}
	}
	if o := w.orphans(); len(o) > 0 {
		t.Errorf("%s: Cloudflare tokens nobody holds: %v", when, o)
	}
}

func TestAPITokensLifecycle(t *testing.T) {
	t.Parallel()
	for _, owner := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		t.Run(owner.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorkflow(t)
			ctx := context.Background()
			api := w.c.APITokens(owner)
			groups, err := api.PermissionGroups(ctx, aisearch.PermissionGroupFilter{Name: "AI Search Index Engine"})
			if err != nil || len(groups) != 1 || groups[0].ID != aisearch.PermissionAISearchIndexEngine {
				t.Fatalf("PermissionGroups = %v, %v", groups, err)
			}
			p := aisearch.APITokenParams{Name: "svc", Policies: []aisearch.Policy{{
				PermissionGroups: []aisearch.PermissionGroup{{ID: aisearch.PermissionAISearchIndexEngine}},
				Resources:        map[string]any{aisearch.AccountResource(w.ts.AccountID): "*"},
			}}}
			tok, err := api.Create(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(tok.Value.Reveal()) < 40 || tok.Owner != owner || tok.Policies[0].PermissionGroups[0].Name != "AI Search Index Engine" {
				t.Fatalf("Create = %+v", tok.APIToken)
			}
			if !w.ts.ValueMatches(tok.ID, tok.Value.Reveal()) {
				t.Fatal("the emulator does not know the value Create returned")
			}
			v, err := api.VerifyValue(ctx, tok.Value)
			if err != nil || v.ID != tok.ID || v.Status != aisearch.StatusActive {
				t.Fatalf("VerifyValue(new) = %+v, %v", v, err)
			}
			got, err := api.Get(ctx, tok.ID)
			if err != nil || got.Name != "svc" || !got.IssuedOn.Equal(w.clock.Now()) {
				t.Fatalf("Get = %+v, %v", got, err)
			}
			var listed []string
			for lt, err := range api.All(ctx, aisearch.APITokenListOptions{}) {
				if err != nil {
					t.Fatal(err)
				}
				listed = append(listed, lt.ID)
			}
			if !slices.Contains(listed, tok.ID) {
				t.Fatalf("All = %v, missing %s", listed, tok.ID)
			}
			p.Status = aisearch.StatusDisabled
			if up, err := api.Update(ctx, tok.ID, p); err != nil || up.Status != aisearch.StatusDisabled {
				t.Fatalf("Update(disabled) = %+v, %v", up, err)
			}
			if _, err := api.VerifyValue(ctx, tok.Value); !errors.Is(err, aisearch.ErrAuth) {
				t.Fatalf("VerifyValue(disabled) = %v, want ErrAuth", err)
			}
			p.Status = aisearch.StatusActive
			if _, err := api.Update(ctx, tok.ID, p); err != nil {
				t.Fatal(err)
			}
			rolled, err := api.Roll(ctx, tok.ID)
			if err != nil || rolled == tok.Value {
				t.Fatalf("Roll = %v", err)
			}
			if _, err := api.VerifyValue(ctx, tok.Value); !errors.Is(err, aisearch.ErrAuth) {
				t.Fatalf("VerifyValue(old value after roll) = %v, want ErrAuth", err)
			}
			if _, err := api.VerifyValue(ctx, rolled); err != nil {
				t.Fatalf("VerifyValue(rolled) = %v", err)
			}
			if err := api.Delete(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := api.Get(ctx, tok.ID); !errors.Is(err, aisearch.ErrNotFound) {
				t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestProvisionIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, owner := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		t.Run(owner.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorkflow(t)
			ctx := context.Background()
			opts := aisearch.ServiceTokenOptions{Issuer: w.c.APITokens(owner)}
			first, err := w.c.Provision(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !first.Created || first.Registration.CfAPIID != first.APIToken.ID || first.Registration.Name != aisearch.DefaultServiceTokenName {
				t.Fatalf("first Provision = %+v", first)
			}
			w.works(t, "after Provision")
			ownerID := emulator.UserOwner
			if owner == aisearch.OwnerAccount {
				ownerID = w.ts.AccountID
			}
			toks := w.ts.APITokens(ownerID)
			if len(toks) != 1 || !strings.HasPrefix(toks[0].Name, aisearch.DefaultServiceTokenName+" ") {
				t.Fatalf("Cloudflare tokens = %+v", toks)
			}
			var names []string
			for _, p := range toks[0].Policies {
				for _, g := range p.PermissionGroups {
					names = append(names, g.ID)
				}
			}
			if !slices.Equal(names, aisearch.ServiceTokenPermissions()) {
				t.Errorf("granted %v, want %v", names, aisearch.ServiceTokenPermissions())
			}

			posts := func() int {
				n := 0
				for _, a := range w.faults.attempts() {
					if strings.HasPrefix(a, "POST ") || strings.HasPrefix(a, "PUT ") || strings.HasPrefix(a, "DELETE ") {
						n++
					}
				}
				return n
			}
			before := posts()
			again, err := w.c.Provision(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if again.Created || again.Registration.ID != first.Registration.ID || again.APIToken.ID != first.APIToken.ID {
				t.Fatalf("second Provision = %+v, want the first registration, not created", again)
			}
			if n := posts() - before; n != 0 {
				t.Errorf("second Provision sent %d writes", n)
			}
			if n := len(w.ts.Tokens(w.ts.AccountID)); n != 1 {
				t.Errorf("%d registrations, want 1", n)
			}
			if n := len(w.ts.APITokens(ownerID)); n != 1 {
				t.Errorf("%d Cloudflare tokens, want 1", n)
			}
		})
	}
}

// The credential that creates Cloudflare tokens may not be the one that
// manages AI Search tokens: each does its own part.
func TestProvisionWithTwoCredentials(t *testing.T) {
	t.Parallel()
	const creatorToken = "creator-SECRET-77aa88bb99"
	w := &workflow{clock: newClock(), faults: &faults{failAt: map[int]string{}}}
	w.ts = newEmulator(t, emulator.WithClock(w.clock.Now), emulator.WithAPITokens(creatorToken))
	registry := &faults{}
	creator := &faults{}
	w.c = w.client(t, aisearch.WithHTTPClient(&http.Client{Transport: registry}))
	issuer := w.client(t, aisearch.WithAPIToken(creatorToken), aisearch.WithHTTPClient(&http.Client{Transport: creator}))
	p, err := w.c.Provision(context.Background(), aisearch.ServiceTokenOptions{Issuer: issuer.APITokens(aisearch.OwnerUser)})
	if err != nil || !p.Created {
		t.Fatalf("Provision = %+v, %v", p, err)
	}
	w.works(t, "after Provision")
	if !slices.Contains(creator.attempts(), "POST /client/v4/user/tokens") || slices.Contains(registry.attempts(), "POST /client/v4/user/tokens") {
		t.Errorf("the token was not created with the issuer's credential: issuer %v, registry %v", creator.attempts(), registry.attempts())
	}
	if !slices.Contains(registry.attempts(), "POST /client/v4/accounts/"+w.ts.AccountID+"/ai-search/tokens") {
		t.Errorf("the registration was not made with the registry's credential: %v", registry.attempts())
	}
}

func TestProvisionRefusesToDuplicateABrokenRegistration(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := context.Background()
	first := provision(t, w.c)
	if err := w.c.APITokens(aisearch.OwnerUser).Delete(ctx, first.APIToken.ID); err != nil {
		t.Fatal(err)
	}
	_, err := w.c.Provision(ctx, aisearch.ServiceTokenOptions{})
	var broken *aisearch.BrokenRegistrationError
	if !errors.Is(err, aisearch.ErrBrokenRegistration) || !errors.As(err, &broken) {
		t.Fatalf("Provision over a broken registration = %v, want ErrBrokenRegistration", err)
	}
	if len(broken.Found) != 1 || !broken.Found[0].Has(aisearch.ProblemGone) || !strings.Contains(err.Error(), "Rotate") {
		t.Errorf("error = %v", err)
	}
	if n, m := len(w.ts.Tokens(w.ts.AccountID)), len(w.ts.APITokens(emulator.UserOwner)); n != 1 || m != 0 {
		t.Errorf("after a refused Provision: %d registrations, %d Cloudflare tokens; want 1 and 0", n, m)
	}
}

// A registration that fails after the Cloudflare token was created deletes
// the token again; one whose answer was lost but which was applied is kept.
func TestProvisionCleansUpAFailedRegistration(t *testing.T) {
	t.Parallel()
	registration := "POST /client/v4/accounts/" + emulator.DefaultAccountID + "/ai-search/tokens"
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		w := newWorkflow(t)
		// Attempts: list registrations, create the token, register.
		w.faults.failAt[3] = "500"
		_, err := w.c.Provision(context.Background(), aisearch.ServiceTokenOptions{})
		if err == nil || !strings.Contains(err.Error(), "deleted again") {
			t.Fatalf("Provision = %v, want a failure that says the token was deleted again", err)
		}
		if a := w.faults.attempts(); len(a) < 3 || a[2] != registration {
			t.Fatalf("attempts = %v, want the registration third", a)
		}
		if o, n := w.orphans(), len(w.ts.Tokens(w.ts.AccountID)); len(o) != 0 || n != 0 {
			t.Errorf("left behind: Cloudflare tokens %v, %d registrations", o, n)
		}
	})
	t.Run("answer lost after it was applied", func(t *testing.T) {
		t.Parallel()
		w := newWorkflow(t)
		lose := &loseAnswer{match: registration}
		w.c = w.client(t, aisearch.WithHTTPClient(&http.Client{Transport: lose}))
		p, err := w.c.Provision(context.Background(), aisearch.ServiceTokenOptions{})
		if err != nil || !p.Created {
			t.Fatalf("Provision = %+v, %v; want the registration it made found again", p, err)
		}
		if lose.lost != 1 {
			t.Fatalf("lost %d answers, want 1", lose.lost)
		}
		w.works(t, "after a lost answer")
	})
}

// loseAnswer sends the first request matching "METHOD path" for real, then
// throws its answer away, as a connection reset after the server acted.
type loseAnswer struct {
	match string
	mu    sync.Mutex
	lost  int
}

func (l *loseAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil && l.lost == 0 && r.Method+" "+r.URL.Path == l.match {
		l.lost++
		resp.Body.Close()
		return nil, errors.New("connection reset by peer (test)")
	}
	return resp, err
}

func TestRotate(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := context.Background()
	p := provision(t, w.c)
	w.clock.Advance(time.Minute)
	r, err := w.c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Registration.ID != p.Registration.ID || r.Registration.CfAPIID == p.APIToken.ID || r.OldCfAPIID != p.APIToken.ID || !r.OldDeleted {
		t.Fatalf("Rotate = %+v", r)
	}
	if r.Registration.CfAPIID != r.APIToken.ID || r.Registration.Name != p.Registration.Name {
		t.Errorf("Rotate = %+v", r)
	}
	w.works(t, "after Rotate")
	if toks := w.ts.APITokens(emulator.UserOwner); len(toks) != 1 || toks[0].ID != r.APIToken.ID {
		t.Errorf("Cloudflare tokens after Rotate: %+v", toks)
	}
	h, err := w.c.Check(ctx, aisearch.CheckOptions{})
	if err != nil || len(h) != 1 || !h[0].Healthy() {
		t.Errorf("Check after Rotate = %+v, %v", h, err)
	}
}

// Each request of a rotation in turn fails: once (the retries must cope or
// the rotation must stop cleanly), then on every attempt. Whatever happens,
// the registration works afterwards and no Cloudflare token is left that
// no registration holds, but for the old token when what fails for good is
// deleting it (or listing the registrations to see that nothing else holds
// it), which the error then names.
func TestRotateWithAFaultAtEachStep(t *testing.T) {
	t.Parallel()
	// Learn the requests of a clean rotation.
	w := newWorkflow(t)
	ctx := context.Background()
	p := provision(t, w.c)
	start := len(w.faults.attempts())
	if _, err := w.c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{}); err != nil {
		t.Fatal(err)
	}
	steps := w.faults.attempts()[start:]
	if len(steps) < 5 {
		t.Fatalf("a rotation made only %d requests: %v", len(steps), steps)
	}
	for i, step := range steps {
		for _, mode := range []string{"once", "for good"} {
			t.Run(fmt.Sprintf("%d %s fails %s", i+1, idRE.ReplaceAllString(step, "{id}"), mode), func(t *testing.T) {
				t.Parallel()
				w := newWorkflow(t)
				p := provision(t, w.c)
				at := len(w.faults.attempts()) + i + 1
				if mode == "once" {
					w.faults.failAt[at] = "503"
				} else {
					w.faults.failCall = at
				}
				r, err := w.c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{})
				w.faults.stop()
				if err != nil && strings.Contains(err.Error(), "now holds token") {
					// Rotated, but the old token could not be deleted: the
					// only leftover is that token, and the error names it.
					if !strings.Contains(err.Error(), p.APIToken.ID) || r.Registration.CfAPIID != r.APIToken.ID {
						t.Fatalf("Rotate = %+v, %v", r, err)
					}
					if err := w.c.APITokens(aisearch.OwnerUser).Delete(ctx, p.APIToken.ID); err != nil {
						t.Fatal(err)
					}
				}
				t.Logf("Rotate: %v", err)
				w.works(t, "after the fault")
				reg := w.ts.Tokens(w.ts.AccountID)[0]
				if err == nil && reg.CfAPIID == p.APIToken.ID {
					t.Error("Rotate reported success but the registration holds the old token")
				}
			})
		}
	}
}

// An update whose answer was lost, though it was applied, is a rotation
// done: the new token is kept and the old one deleted.
func TestRotateWhenTheUpdateAnswerIsLost(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := context.Background()
	p := provision(t, w.c)
	lose := &loseAnswer{match: "PUT /client/v4/accounts/" + w.ts.AccountID + "/ai-search/tokens/" + p.Registration.ID}
	c := w.client(t, aisearch.WithHTTPClient(&http.Client{Transport: lose}), aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1}))
	r, err := c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{})
	if err != nil || lose.lost != 1 || !r.OldDeleted || r.Registration.CfAPIID != r.APIToken.ID {
		t.Fatalf("Rotate = %+v, %v (lost %d answers)", r, err, lose.lost)
	}
	w.works(t, "after a lost answer")
}

func TestRotateRepairsARegistrationWhoseTokenIsGone(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := context.Background()
	p := provision(t, w.c)
	if err := w.c.APITokens(aisearch.OwnerUser).Delete(ctx, p.APIToken.ID); err != nil {
		t.Fatal(err)
	}
	if h, err := w.c.Check(ctx, aisearch.CheckOptions{}); err != nil || !h[0].Has(aisearch.ProblemGone) {
		t.Fatalf("Check = %+v, %v; want gone", h, err)
	}
	r, err := w.c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{})
	if err != nil || r.OldDeleted || r.Registration.ID != p.Registration.ID {
		t.Fatalf("Rotate = %+v, %v", r, err)
	}
	w.works(t, "after repairing")
}

func TestRotateKeepsATokenAnotherRegistrationHolds(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := context.Background()
	p := provision(t, w.c)
	// A second registration of the same token (the API allows it).
	api := w.c.APITokens(aisearch.OwnerUser)
	value, err := api.Roll(ctx, p.APIToken.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.c.Registrations.Update(ctx, p.Registration.ID, aisearch.RegistrationParams{Name: p.Registration.Name, CfAPIID: p.APIToken.ID, CfAPIKey: value}); err != nil {
		t.Fatal(err)
	}
	other, err := w.c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: "other", CfAPIID: p.APIToken.ID, CfAPIKey: value})
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{})
	if err != nil || r.OldDeleted {
		t.Fatalf("Rotate = %+v, %v; want the old token kept", r, err)
	}
	if err := w.ts.CredentialWorks(w.ts.AccountID, other.ID); err != nil {
		t.Errorf("the other registration broke: %v", err)
	}
	w.works(t, "after Rotate")
}

// Check reports each problem in its own case, and a healthy account.
func TestCheckFindsEachProblem(t *testing.T) {
	t.Parallel()
	const otherAccount = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name  string
		owner aisearch.Owner
		opts  aisearch.ServiceTokenOptions
		check aisearch.CheckOptions
		// breakIt runs after Provision; the registration is p.
		breakIt func(t *testing.T, w *workflow, p aisearch.Provisioned)
		want    aisearch.ProblemKind // "" for healthy
	}{
		{name: "healthy", breakIt: func(*testing.T, *workflow, aisearch.Provisioned) {}},
		{name: "gone", breakIt: func(t *testing.T, w *workflow, p aisearch.Provisioned) {
			if err := w.c.APITokens(aisearch.OwnerUser).Delete(context.Background(), p.APIToken.ID); err != nil {
				t.Fatal(err)
			}
		}, want: aisearch.ProblemGone},
		{name: "gone, account-owned", owner: aisearch.OwnerAccount, breakIt: func(t *testing.T, w *workflow, p aisearch.Provisioned) {
			if err := w.c.APITokens(aisearch.OwnerAccount).Delete(context.Background(), p.APIToken.ID); err != nil {
				t.Fatal(err)
			}
		}, want: aisearch.ProblemGone},
		{name: "disabled", breakIt: func(_ *testing.T, w *workflow, p aisearch.Provisioned) {
			w.ts.DisableAPIToken(p.APIToken.ID)
		}, want: aisearch.ProblemDisabled},
		{name: "expired", breakIt: func(_ *testing.T, w *workflow, p aisearch.Provisioned) {
			w.ts.ExpireAPIToken(p.APIToken.ID, w.clock.Now().Add(-time.Second))
		}, want: aisearch.ProblemExpired},
		{name: "expiring soon", opts: aisearch.ServiceTokenOptions{ExpiresOn: newClock().Now().Add(48 * time.Hour)},
			check: aisearch.CheckOptions{ExpiringWithin: 72 * time.Hour}, breakIt: func(*testing.T, *workflow, aisearch.Provisioned) {},
			want: aisearch.ProblemExpiringSoon},
		{name: "no expiry window: zero ExpiringWithin reports nothing", opts: aisearch.ServiceTokenOptions{ExpiresOn: newClock().Now().Add(48 * time.Hour)},
			breakIt: func(*testing.T, *workflow, aisearch.Provisioned) {}},
		{name: "not expiring soon with a shorter threshold", opts: aisearch.ServiceTokenOptions{ExpiresOn: newClock().Now().Add(48 * time.Hour)},
			check: aisearch.CheckOptions{ExpiringWithin: 24 * time.Hour}, breakIt: func(*testing.T, *workflow, aisearch.Provisioned) {}},
		{name: "another account", breakIt: func(t *testing.T, w *workflow, p aisearch.Provisioned) {
			w.updateToken(t, p, aisearch.Policy{Resources: map[string]any{aisearch.AccountResource(otherAccount): "*"},
				PermissionGroups: []aisearch.PermissionGroup{{ID: aisearch.PermissionAISearchIndexEngine}, {ID: aisearch.PermissionWorkersR2StorageWrite}}})
		}, want: aisearch.ProblemOtherAccount},
		{name: "missing a permission group", opts: aisearch.ServiceTokenOptions{PermissionGroups: []string{aisearch.PermissionAISearchIndexEngine}},
			breakIt: func(*testing.T, *workflow, aisearch.Provisioned) {}, want: aisearch.ProblemMissingPermission},
		{name: "value rolled after registration (heuristic)", breakIt: func(t *testing.T, w *workflow, p aisearch.Provisioned) {
			w.clock.Advance(time.Minute)
			if _, err := w.c.APITokens(aisearch.OwnerUser).Roll(context.Background(), p.APIToken.ID); err != nil {
				t.Fatal(err)
			}
		}, want: aisearch.ProblemChangedAfterRegistration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorkflow(t)
			ctx := context.Background()
			opts := tt.opts
			opts.Issuer = w.c.APITokens(cmp.Or(tt.owner, aisearch.OwnerUser))
			p, err := w.c.Provision(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			tt.breakIt(t, w, p)
			h, err := w.c.Check(ctx, tt.check)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 1 || h[0].Registration.ID != p.Registration.ID {
				t.Fatalf("Check = %+v", h)
			}
			var kinds []aisearch.ProblemKind
			for _, pr := range h[0].Problems {
				kinds = append(kinds, pr.Kind)
			}
			switch {
			case tt.want == "" && !h[0].Healthy():
				t.Errorf("problems %v on a healthy registration: %+v", kinds, h[0].Problems)
			case tt.want != "" && !slices.Equal(kinds, []aisearch.ProblemKind{tt.want}):
				t.Errorf("problems %v, want exactly [%s]: %+v", kinds, tt.want, h[0].Problems)
			}
			wantWorks := tt.want == "" || tt.want == aisearch.ProblemExpiringSoon || tt.want == aisearch.ProblemOtherAccount || tt.want == aisearch.ProblemMissingPermission
			if works := w.ts.CredentialWorks(w.ts.AccountID, p.Registration.ID) == nil; works != wantWorks && tt.want != aisearch.ProblemChangedAfterRegistration {
				t.Errorf("the emulator says the credential works: %v, want %v", works, wantWorks)
			}
		})
	}
}

// idRE matches the ids in a path: registration uuids, token ids, accounts.
var idRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}`)

// updateToken replaces the Cloudflare token's only policy.
func (w *workflow) updateToken(t *testing.T, p aisearch.Provisioned, pol aisearch.Policy) {
	t.Helper()
	w.clock.Advance(-time.Minute) // an edit made before the registration is not "changed after"
	defer w.clock.Advance(time.Minute)
	_, err := w.c.APITokens(p.APIToken.Owner).Update(context.Background(), p.APIToken.ID, aisearch.APITokenParams{Name: p.APIToken.Name, Policies: []aisearch.Policy{pol}})
	if err != nil {
		t.Fatal(err)
	}
}

// Nothing to check cannot pass for all healthy.
func TestCheckOnAnAccountWithoutRegistrations(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	h, err := w.c.Check(context.Background(), aisearch.CheckOptions{})
	if !errors.Is(err, aisearch.ErrNoRegistration) || h == nil || len(h) != 0 {
		t.Fatalf("Check = %#v, %v; want an empty, non-nil report and ErrNoRegistration", h, err)
	}
}

// loseThenFail loses the answer of the first request matching lose (sent
// for real, as loseAnswer does), then fails every request matching fail
// before it is sent, as a network gone for good.
type loseThenFail struct {
	loseAnswer
	fail string
}

func (l *loseThenFail) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	failing := l.lost > 0 && r.Method+" "+r.URL.Path == l.fail
	l.mu.Unlock()
	if failing {
		return nil, errors.New("connection refused (test)")
	}
	return l.loseAnswer.RoundTrip(r)
}

// When the answer of the write is lost and the look that would tell whether
// it was applied fails too, neither Provision nor Rotate deletes a token
// the registration may hold: the registration keeps working.
func TestLostAnswerAndFailedLookKeepTheTokens(t *testing.T) {
	t.Parallel()
	regs := "/client/v4/accounts/" + emulator.DefaultAccountID + "/ai-search/tokens"
	one := aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1})
	t.Run("provision", func(t *testing.T) {
		t.Parallel()
		w := newWorkflow(t)
		tr := &loseThenFail{loseAnswer: loseAnswer{match: "POST " + regs}, fail: "GET " + regs}
		c := w.client(t, aisearch.WithHTTPClient(&http.Client{Transport: tr}), one)
		_, err := c.Provision(context.Background(), aisearch.ServiceTokenOptions{})
		if err == nil || !strings.Contains(err.Error(), "the token was kept") {
			t.Fatalf("Provision = %v, want an error saying the token was kept", err)
		}
		w.works(t, "after a lost answer and a failed look")
	})
	t.Run("rotate", func(t *testing.T) {
		t.Parallel()
		w := newWorkflow(t)
		ctx := context.Background()
		p := provision(t, w.c)
		reg := regs + "/" + p.Registration.ID
		tr := &loseThenFail{loseAnswer: loseAnswer{match: "PUT " + reg}, fail: "GET " + reg}
		c := w.client(t, aisearch.WithHTTPClient(&http.Client{Transport: tr}), one)
		_, err := c.Rotate(ctx, p.Registration.ID, aisearch.ServiceTokenOptions{})
		if err == nil || !strings.Contains(err.Error(), "both kept") {
			t.Fatalf("Rotate = %v, want an error saying both tokens were kept", err)
		}
		if err := w.ts.CredentialWorks(w.ts.AccountID, p.Registration.ID); err != nil {
			t.Errorf("after a lost answer and a failed look the registration is broken: %v", err)
		}
		if o := w.orphans(); len(o) != 1 || o[0] != p.APIToken.ID {
			t.Errorf("tokens nobody holds: %v, want only the old one %s (kept, as the error says)", o, p.APIToken.ID)
		}
	})
}
