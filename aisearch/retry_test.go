package aisearch_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

const tokenID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"

var createParams = aisearch.RegistrationParams{Name: "svc", CfAPIID: "cf-1", CfAPIKey: fakeCfAPIKey}

func TestRetry429ThenSuccessUsesRetryAfter(t *testing.T) {
	srv := newScripted(t, status(429, envelopeError(971, "slow down"), "Retry-After", "2"), okToken)
	c, s := newTestClient(t, srv.baseURL())
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	if got := s.get(); len(got) != 1 || got[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s] from Retry-After", got)
	}
}

// TestRetryAfterIsHonouredInRealTime is the one test that really waits: it
// measures that Retry-After: 1 delays the retry by at least a second.
func TestRetryAfterIsHonouredInRealTime(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		status(429, envelopeError(971, "slow down"), "Retry-After", "1")(w, r)
	}, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		okToken(w, r)
	})
	c, err := aisearch.New(fakeAccount, aisearch.WithBaseURL(srv.baseURL()), aisearch.WithAPIToken(fakeAPIToken))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Registrations.Get(context.Background(), tokenID); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(times))
	}
	gap := times[1].Sub(times[0])
	t.Logf("Retry-After: 1 → gap between attempts %s, call took %s", gap, elapsed)
	if gap < time.Second {
		t.Errorf("retried after %s, want >= 1s", gap)
	}
	if elapsed > 5*time.Second {
		t.Errorf("call took %s", elapsed)
	}
}

func TestRetry503StormIsBounded(t *testing.T) {
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
	srv := newScripted(t, status(500, ""))
	p := aisearch.RetryPolicy{MaxAttempts: 10, MinBackoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, MaxWait: time.Hour}
	var all []time.Duration
	for range 20 {
		c, s := newTestClient(t, srv.baseURL(), aisearch.WithRetryPolicy(p))
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
	srv := newScripted(t, hangup, status(503, ""), okToken)
	p := fastRetries
	p.RetryCreate = true
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithRetryPolicy(p))
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
	srv := newScripted(t, status(409, envelopeError(7006, "Token in use by instances")), okToken)
	c, _ := newTestClient(t, srv.baseURL())
	if err := c.Registrations.Delete(context.Background(), tokenID); !errors.Is(err, aisearch.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("server hit %d times, want 1", got)
	}
}

func TestSlowResponsePastDeadlineReturnsPromptly(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, _ := newTestClient(t, srv.baseURL())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Registrations.Get(ctx, tokenID)
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	t.Logf("deadline 200ms → returned after %s: %v", elapsed, err)
	if elapsed > 2*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
}

func TestContextCancelStopsBackoff(t *testing.T) {
	srv := newScripted(t, status(503, ""))
	p := aisearch.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Minute, MaxBackoff: time.Minute, MaxWait: time.Hour}
	c, err := aisearch.New(fakeAccount, aisearch.WithBaseURL(srv.baseURL()), aisearch.WithAPIToken(fakeAPIToken), aisearch.WithRetryPolicy(p))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(100*time.Millisecond, cancel)
	defer timer.Stop()
	start := time.Now()
	_, err = c.Registrations.Get(ctx, tokenID)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
}

func TestRetryAfterBeyondBudgetReturnsAtOnce(t *testing.T) {
	t.Run("beyond MaxWait", func(t *testing.T) {
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
