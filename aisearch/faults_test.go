package aisearch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// lostAnswers lets the emulator process every n-th create (the first one
// included, so the case always happens) and then replaces the answer with a
// 502, as a gateway that loses the response would: the create happened, the
// client cannot know it. The emulator's own fault injection fails requests
// before they reach the store; this is the case where a blind retry would
// register the token twice.
type lostAnswers struct {
	next  http.Handler
	every int64
	posts atomic.Int64
	lost  atomic.Int64
}

func (l *lostAnswers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lose := r.Method == http.MethodPost && l.posts.Add(1)%l.every == 1
	if !lose {
		l.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	l.next.ServeHTTP(rec, r)
	if rec.Code == http.StatusCreated {
		l.lost.Add(1)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadGateway)
	w.Write([]byte(`{"success":false,"errors":[{"code":10005,"message":"Bad Gateway"}],"messages":[]}`))
}

// TestClientLifecycleUnderFaults runs several complete token lifecycles
// through the aisearch client while the emulator fails 20% of requests
// (429, 500, 502, 503, 504) with added latency, and a gateway loses every
// fourth create answer. Every lifecycle must complete, and the store must
// never hold two registrations of one service token.
func TestClientLifecycleUnderFaults(t *testing.T) {
	t.Parallel()
	const apiToken = "loadtest-api-token"
	srv, err := emulator.New(emulator.WithAPITokens(apiToken), emulator.WithFaults(emulator.Faults{
		Rate: 0.2, Statuses: []int{429, 500, 502, 503, 504}, Latency: time.Millisecond,
	}))
	if err != nil {
		t.Fatal(err)
	}
	var answered, faulted atomic.Int64
	count := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			answered.Add(1)
			if rec.status == http.StatusTooManyRequests || rec.status >= 500 {
				faulted.Add(1)
			}
		})
	}
	lost := &lostAnswers{next: srv.Handler(), every: 4}
	hs := httptest.NewServer(count(lost))
	t.Cleanup(hs.Close)

	c, err := aisearch.New(emulator.DefaultAccountID,
		aisearch.WithAPIToken(apiToken), aisearch.WithBaseURL(hs.URL+emulator.BasePath),
		aisearch.WithRetryPolicy(manyNoWaitRetries()))
	if err != nil {
		t.Fatal(err)
	}
	const lifecycles = 24
	var wg sync.WaitGroup
	for i := range lifecycles {
		first, firstKey := liveToken(t, srv, fmt.Sprint("svc-", i))
		next, nextKey := liveToken(t, srv, fmt.Sprint("svc-", i, "-rotated"))
		wg.Go(func() {
			if err := lifecycle(c, i, [2]string{first, next}, [2]aisearch.Secret{firstKey, nextKey}); err != nil {
				t.Errorf("lifecycle %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	// Every lifecycle ends with a delete, so nothing may remain; a
	// duplicate create would survive as an orphan.
	if left := srv.Tokens(emulator.DefaultAccountID); len(left) != 0 {
		t.Errorf("%d tokens left after every lifecycle deleted its own (duplicate creates?): %+v", len(left), left)
	}
	if faulted.Load() == 0 || lost.lost.Load() == 0 {
		t.Fatalf("no faults happened (%d faulted, %d lost creates of %d answered): the test proves nothing", faulted.Load(), lost.lost.Load(), answered.Load())
	}
	t.Logf("%d requests answered, %d faults, %d create answers lost after the create happened", answered.Load(), faulted.Load(), lost.lost.Load())
}

// lifecycle registers a service token (cfIDs[0], keys[0]), reads it back,
// lists, rotates it to the next one and deletes it. Creates go through
// Ensure, retried by the caller on a retryable failure: after a lost
// answer, the retry finds the token the lost create registered instead of
// creating another.
func lifecycle(c *aisearch.Client, i int, cfIDs [2]string, keys [2]aisearch.Secret) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	name, cfID, key := fmt.Sprintf("svc-%d", i), cfIDs[0], keys[0]
	var tok aisearch.Registration
	for attempt := 0; ; attempt++ {
		var err error
		tok, _, err = c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: name, CfAPIID: cfID, CfAPIKey: key})
		if err == nil {
			break
		}
		if !retryable(err) || attempt == 20 {
			return fmt.Errorf("register: %w", err)
		}
	}
	got, err := c.Registrations.Get(ctx, tok.ID)
	if err != nil || got.CfAPIID != cfID {
		return fmt.Errorf("get: %+v, %v", got, err)
	}
	found := false
	for tk, err := range c.Registrations.All(ctx, aisearch.RegistrationListOptions{Search: name}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		found = found || tk.ID == tok.ID
	}
	if !found {
		return fmt.Errorf("list: %s not listed", tok.ID)
	}
	upd, err := c.Registrations.Update(ctx, tok.ID, aisearch.RegistrationParams{Name: name + "-rotated", CfAPIID: cfIDs[1], CfAPIKey: keys[1]})
	if err != nil || upd.Name != name+"-rotated" {
		return fmt.Errorf("update: %+v, %v", upd, err)
	}
	if err := c.Registrations.Delete(ctx, tok.ID); err != nil && !errors.Is(err, aisearch.ErrNotFound) {
		return fmt.Errorf("delete: %w", err)
	}
	if _, err := c.Registrations.Get(ctx, tok.ID); !errors.Is(err, aisearch.ErrNotFound) {
		return fmt.Errorf("get after delete: want ErrNotFound, got %v", err)
	}
	return nil
}

// retryable: a 429 or 5xx the client gave up on (creates are not retried
// once sent), as opposed to a 4xx that retrying cannot fix.
func retryable(err error) bool {
	var apiErr *aisearch.APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// manyNoWaitRetries lets a call try ten times, at once.
func manyNoWaitRetries() aisearch.RetryPolicy {
	p := aisearch.NoWaitRetryPolicy()
	p.MaxAttempts = 10
	return p
}
