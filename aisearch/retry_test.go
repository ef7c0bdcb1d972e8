package aisearch_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

const tokenID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"

var createParams = aisearch.RegistrationParams{Name: "svc", CfAPIID: "cf-1", CfAPIKey: fakeCfAPIKey}

func TestRetry429ThenSuccessUsesRetryAfter(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(429, envelopeError(971, "slow down"), "Retry-After", "2"), okToken)
	c, s := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	if got := s.get(); len(got) != 1 || got[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s] from Retry-After", got)
	}
}

// The default sleep is a real timer that honours Retry-After: in a
// synctest bubble its time is the bubble's fake clock, so nothing waits.
func TestDefaultSleepHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var times []time.Time
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			times = append(times, time.Now())
			if len(times) == 1 {
				return respond(r, 429, envelopeError(971, "slow down"), "Retry-After", "1"), nil
			}
			return respond(r, 200, `{"success":true,"result":`+tokenJSON+`}`), nil
		})
		c, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
			t.Fatal(err)
		}
		if len(times) != 2 || times[1].Sub(times[0]) != time.Second {
			t.Errorf("attempts at %v, want two, 1s apart (Retry-After: 1)", times)
		}
	})
}

func TestRetry503StormIsBounded(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(503, envelopeError(10002, "Service unavailable")))
	c, s := newTestClient(t, srv.baseURL())
	_, err := c.Registrations.Get(context.Background(), tokenID)
	var apiErr *aisearch.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want a 503 APIError", err)
	}
	if got := srv.hits.Load(); got != int32(fastRetries.MaxAttempts) {
		t.Errorf("server hit %d times, want MaxAttempts %d", got, fastRetries.MaxAttempts)
	}
	if apiErr.Attempts != fastRetries.MaxAttempts || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Errorf("Attempts = %d, err = %v", apiErr.Attempts, err)
	}
	waits := s.get()
	if len(waits) != 3 {
		t.Fatalf("waits = %v, want 3", waits)
	}
	for i, w := range waits { // full jitter: 0 <= wait <= MinBackoff·2^i
		if ceil := fastRetries.MinBackoff << i; w < 0 || w > ceil {
			t.Errorf("wait %d = %s, want within [0, %s]", i+1, w, ceil)
		}
	}
}

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(500, ""))
	p := aisearch.RetryPolicy{MaxAttempts: 10, MinBackoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, MaxWait: time.Hour}
	var all []time.Duration
	for range 20 {
		c, s := newTestClientWith(t, srv.baseURL(), func(q *aisearch.RetryPolicy) { *q = p })
		_, _ = c.Registrations.Get(context.Background(), tokenID)
		all = append(all, s.get()...)
	}
	distinct := map[time.Duration]bool{}
	for _, w := range all {
		if w > p.MaxBackoff {
			t.Fatalf("wait %s above MaxBackoff", w)
		}
		distinct[w] = true
	}
	if len(all) != 20*9 || len(distinct) < 20 {
		t.Errorf("%d waits, %d distinct: want 180 jittered waits", len(all), len(distinct))
	}
}

func TestConnectionResetsAreRetriedForGet(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, hangup, hangup, okToken)
	c, s := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatalf("Get after two resets: %v", err)
	}
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("server hit %d times, want 3", got)
	}
	if len(s.get()) != 2 {
		t.Errorf("waits = %v, want 2", s.get())
	}
}

func TestBodyCutMidwayIsRetriedForGet(t *testing.T) {
	t.Parallel()
	cut := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "500")
		_, _ = w.Write([]byte(`{"success":true,"result":{"id":"62af`))
	}
	srv := newScripted(t, cut, okToken)
	c, _ := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("server hit %d times, want 2", got)
	}
}

func TestPutBodyIsReplayedOnRetry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	record := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, string(b))
			mu.Unlock()
			next(w, r)
		}
	}
	srv := newScripted(t, record(status(502, "")), record(okToken))
	c, _ := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Update(context.Background(), tokenID, createParams); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || bodies[0] != bodies[1] || !strings.Contains(bodies[1], `"cf_api_key":"`+fakeCfAPIKey+`"`) {
		t.Errorf("bodies = %q, want the same full body twice", bodies)
	}
}

func TestPostIsNotRetriedOnceSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"connection dropped after the request", hangup},
		{"503", status(503, envelopeError(10002, "Service unavailable"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, tt.handler, okToken)
			c, s := newTestClient(t, srv.baseURL())
			if _, err := c.Registrations.Create(context.Background(), createParams); err == nil {
				t.Fatal("Create succeeded; want the first failure returned")
			}
			if got := srv.hits.Load(); got != 1 {
				t.Errorf("server hit %d times, want 1: a create that may have reached the server is not retried", got)
			}
			if len(s.get()) != 0 {
				t.Errorf("waits = %v", s.get())
			}
		})
	}
}

// A 429 says the request was refused before anything was done: retrying a
// create then cannot register it twice.
func TestPostIsRetriedOn429(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(429, envelopeError(971, "slow down"), "Retry-After", "1"), okToken)
	c, s := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Create(context.Background(), createParams); err != nil {
		t.Fatal(err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("server hit %d times, want 2", got)
	}
	if w := s.get(); len(w) != 1 || w[0] < time.Second {
		t.Errorf("waits = %v, want one of at least Retry-After (1s)", w)
	}
}

func TestPostIsRetriedWhenAsked(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, hangup, status(503, ""), okToken)
	c, _ := newTestClientWith(t, srv.baseURL(), func(p *aisearch.RetryPolicy) { p.RetryCreate = true })
	if _, err := c.Registrations.Create(context.Background(), createParams); err != nil {
		t.Fatal(err)
	}
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("server hit %d times, want 3", got)
	}
}

// A refused dial provably sent nothing: even a create is retried, whether
// or not the transport reports through net/http's client trace.
func TestPostIsRetriedWhenNothingWasSent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []aisearch.Option
	}{
		{"net/http's transport", nil},
		{"a transport that fires no trace events", []aisearch.Option{aisearch.WithHTTPClient(&http.Client{Transport: untraced{}})}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close() // nothing listens: every dial is refused before anything is sent
			c, s := newTestClient(t, "http://"+addr+"/client/v4", tt.opts...)
			_, err = c.Registrations.Create(context.Background(), createParams)
			if err == nil {
				t.Fatal("Create succeeded with nothing listening")
			}
			if got := len(s.get()); got != fastRetries.MaxAttempts-1 {
				t.Errorf("%d waits, want %d: a refused dial is safe to retry even for POST", got, fastRetries.MaxAttempts-1)
			}
			if !strings.Contains(err.Error(), "POST /accounts/"+fakeAccount+"/ai-search/tokens: ") || !strings.Contains(err.Error(), "after 4 attempts") {
				t.Errorf("err = %q: want method, API path and attempts", err)
			}
		})
	}
}

// untraced sends requests out of reach of the caller's net/http client
// trace, as a custom RoundTripper may (it drops the context's cancellation
// too, which these tests do not need).
type untraced struct{}

func (untraced) RoundTrip(r *http.Request) (*http.Response, error) {
	return http.DefaultTransport.RoundTrip(r.WithContext(context.Background()))
}

// With a transport that fires no trace events, nothing proves that a
// failed create was not sent: it is not retried.
func TestPostIsNotRetriedWithoutTraceEvents(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, hangup, okToken)
	c, s := newTestClient(t, srv.baseURL(), aisearch.WithHTTPClient(&http.Client{Transport: untraced{}}))
	if _, err := c.Registrations.Create(context.Background(), createParams); err == nil {
		t.Fatal("Create succeeded; want the lost answer returned")
	}
	if got := srv.hits.Load(); got != 1 || len(s.get()) != 0 {
		t.Errorf("server hit %d times after %d waits, want once: a create that may have been sent is not retried", got, len(s.get()))
	}
}

func TestConflictIsNeverRetried(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(409, envelopeError(7006, "Token in use by instances")), okToken)
	c, _ := newTestClient(t, srv.baseURL())
	if err := c.Registrations.Delete(context.Background(), tokenID); !errors.Is(err, aisearch.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("server hit %d times, want 1", got)
	}
}

// A response slower than the context's deadline ends the call at the
// deadline, without a retry; the cause stays visible to errors.Is.
func TestSlowResponsePastDeadlineReturnsPromptly(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		attempts := 0
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			attempts++
			<-r.Context().Done() // a server that never answers
			return nil, r.Context().Err()
		})
		c, _ := newTestClient(t, "http://127.0.0.1:1/client/v4", aisearch.WithHTTPClient(&http.Client{Transport: rt}))
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Registrations.Get(ctx, tokenID)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if elapsed := time.Since(start); elapsed != 200*time.Millisecond || attempts != 1 {
			t.Errorf("returned after %s and %d attempts, want at the 200ms deadline after 1", elapsed, attempts)
		}
	})
}

// Cancelling the context ends a backoff wait of the default (real) sleep
// at once.
func TestContextCancelStopsBackoff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) { return respond(r, 503, ""), nil })
		p := aisearch.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Minute, MaxBackoff: time.Minute, MaxWait: time.Hour}
		c, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithRetryPolicy(p), aisearch.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		for range 20 { // the jittered first wait may be shorter than 100ms: the call then sleeps again
			if _, err = c.Registrations.Get(ctx, tokenID); errors.Is(err, context.Canceled) {
				break
			}
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if elapsed := time.Since(start); elapsed != 100*time.Millisecond {
			t.Errorf("returned after %s, want when the context was cancelled (100ms)", elapsed)
		}
	})
}

func TestRetryAfterBeyondBudgetReturnsAtOnce(t *testing.T) {
	t.Parallel()
	t.Run("beyond MaxWait", func(t *testing.T) {
		t.Parallel()
		srv := newScripted(t, status(429, envelopeError(971, "slow down"), "Retry-After", "3600"))
		c, s := newTestClient(t, srv.baseURL())
		_, err := c.Registrations.Get(context.Background(), tokenID)
		var apiErr *aisearch.APIError
		if !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Hour || !errors.Is(err, aisearch.ErrRateLimited) {
			t.Fatalf("err = %v, want a 429 APIError with RetryAfter 1h", err)
		}
		if srv.hits.Load() != 1 || len(s.get()) != 0 {
			t.Errorf("hits %d, waits %v: want no waiting", srv.hits.Load(), s.get())
		}
	})
	t.Run("beyond the context deadline", func(t *testing.T) {
		t.Parallel()
		srv := newScripted(t, status(429, envelopeError(971, "slow down"), "Retry-After", "5"))
		c, s := newTestClient(t, srv.baseURL())
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := c.Registrations.Get(ctx, tokenID)
		if !errors.Is(err, aisearch.ErrRateLimited) {
			t.Fatalf("err = %v, want the 429 itself rather than a deadline error", err)
		}
		if len(s.get()) != 0 {
			t.Errorf("waits = %v", s.get())
		}
	})
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	date := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	srv := newScripted(t, status(503, "", "Retry-After", date), okToken)
	c, s := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	if w := s.get(); len(w) != 1 || w[0] < time.Second || w[0] > 4*time.Second {
		t.Errorf("waits = %v, want about 3s from the HTTP date", w)
	}
}

// NoWaitRetryPolicy retries as DefaultRetryPolicy does, without waiting:
// in a synctest bubble a real wait would move the fake clock.
func TestNoWaitRetryPolicy(t *testing.T) {
	t.Parallel()
	p, def := aisearch.NoWaitRetryPolicy(), aisearch.DefaultRetryPolicy()
	if p.MaxAttempts != def.MaxAttempts || p.MinBackoff != def.MinBackoff || p.MaxBackoff != def.MaxBackoff || p.MaxWait != def.MaxWait || p.RetryCreate || p.Sleep == nil {
		t.Fatalf("NoWaitRetryPolicy = %+v, want DefaultRetryPolicy %+v with a Sleep", p, def)
	}
	synctest.Test(t, func(t *testing.T) {
		attempts := 0
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if attempts++; attempts < p.MaxAttempts {
				return respond(r, 429, envelopeError(971, "slow down"), "Retry-After", "2"), nil
			}
			return respond(r, 200, `{"success":true,"result":`+tokenJSON+`}`), nil
		})
		c, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithRetryPolicy(p), aisearch.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil || attempts != p.MaxAttempts {
			t.Fatalf("Get = %v after %d attempts, want success on attempt %d", err, attempts, p.MaxAttempts)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("waited %s, want no time at all", waited)
		}
	})
}

// RetryPolicy.Wait is Sleep when there is one, else a real timer that a
// cancelled context ends at once; taken before Sleep is replaced, it is
// what a wrapper of Sleep calls (the CLI's, to print each wait).
func TestRetryPolicyWait(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var p aisearch.RetryPolicy // Sleep nil: a real timer, on the bubble's clock
		start := time.Now()
		if err := p.Wait(context.Background(), time.Hour); err != nil || time.Since(start) != time.Hour {
			t.Errorf("Wait(1h) = %v after %s, want nil after 1h", err, time.Since(start))
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Minute, cancel)
		start = time.Now()
		if err := p.Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) || time.Since(start) != time.Minute {
			t.Errorf("Wait(1h) cancelled after 1m = %v after %s", err, time.Since(start))
		}

		s := &sleeps{}
		p.Sleep = s.sleep
		wait := p.Wait
		var told []time.Duration
		p.Sleep = func(ctx context.Context, d time.Duration) error {
			told = append(told, d)
			return wait(ctx, d)
		}
		start = time.Now()
		if err := p.Wait(context.Background(), 3*time.Second); err != nil || time.Since(start) != 0 {
			t.Errorf("Wait through Sleep = %v after %s, want nil at once", err, time.Since(start))
		}
		if !slices.Equal(told, []time.Duration{3 * time.Second}) || !slices.Equal(s.get(), told) {
			t.Errorf("the wrapper saw %v and the wrapped Sleep %v, want [3s] both", told, s.get())
		}
	})
}
