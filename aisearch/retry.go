package aisearch

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// RetryPolicy bounds how the client retries 429, 5xx and connection errors.
// Every wait uses exponential backoff with full jitter (a random wait between
// 0 and min(MaxBackoff, MinBackoff·2^(n-1)) before the n-th retry), or the
// server's Retry-After when it sends one. 409 and other 4xx are never
// retried.
type RetryPolicy struct {
	// MaxAttempts is how many times a request may be sent, first try
	// included; 1 disables retries. At most 10.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the jittered backoff.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxWait bounds the total time one call spends waiting between
	// attempts. A Retry-After longer than what is left ends the retries and
	// returns the 429 as an *APIError with RetryAfter set, so the caller can
	// schedule the retry instead of blocking. Retries also stop when the next
	// wait would pass the context's deadline.
	MaxWait time.Duration
	// RetryCreate also retries POST (Create) after the request may have
	// reached the server. Off by default: a create that timed out or got a
	// 5xx may have succeeded, and retrying it would register the token twice.
	// A POST counts as sent unless it provably was not: it is retried only
	// when the attempt never got a connection (net/http's client trace
	// shows it, or the error is a failed dial), and on 429, which says the
	// request was refused unprocessed.
	RetryCreate bool
	// Sleep waits d between attempts: it returns after d, or with ctx's
	// error as soon as ctx ends. Nil means a real timer. Provision and
	// Rotate wait through it too while a new token reaches AI Search, and
	// WaitJob between looks at a job. Tests replace it to record the waits
	// or to move a fake clock; NoWaitRetryPolicy's returns at once. To
	// wrap it (to log each wait, say), call the policy's Wait from the new
	// Sleep: it is the real timer when Sleep is nil.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy is used unless WithRetryPolicy says otherwise: 4
// attempts, backoff between 0 and 500ms·2^n capped at 8s, 30s of waiting in
// total.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MinBackoff: 500 * time.Millisecond, MaxBackoff: 8 * time.Second, MaxWait: 30 * time.Second}
}

// NoWaitRetryPolicy is DefaultRetryPolicy without the waiting: the same
// attempts, each retry sent at once (its Sleep returns immediately, so
// backoff, Retry-After and Provision's and Rotate's waits for a new token
// cost no time, while their budgets still bound how often they try). It is
// for tests, where failures are injected (the emulator's FailNext) and
// waiting only slows the suite; aisearchtest's clients use it.
func NoWaitRetryPolicy() RetryPolicy {
	p := DefaultRetryPolicy()
	p.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return p
}

// Wait waits d the way a client with this policy does: with Sleep, or a
// real timer when Sleep is nil; it returns ctx's error as soon as ctx ends.
// It lets a caller wrap the policy's waits without knowing what they are:
//
//	wait := p.Wait // the policy as it is now, before Sleep is replaced
//	p.Sleep = func(ctx context.Context, d time.Duration) error {
//		log.Printf("waiting %s", d)
//		return wait(ctx, d)
//	}
func (p RetryPolicy) Wait(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	return sleepCtx(ctx, d)
}

// MaxAttemptsLimit is the most attempts a RetryPolicy may make.
const MaxAttemptsLimit = 10

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1 || p.MaxAttempts > MaxAttemptsLimit:
		return fmt.Errorf("aisearch: RetryPolicy.MaxAttempts %d: want 1 to %d", p.MaxAttempts, MaxAttemptsLimit)
	case p.MaxAttempts == 1:
		return nil // no retries: the durations do not matter
	case p.MinBackoff <= 0:
		return fmt.Errorf("aisearch: RetryPolicy.MinBackoff %s: want > 0", p.MinBackoff)
	case p.MaxBackoff < p.MinBackoff:
		return fmt.Errorf("aisearch: RetryPolicy.MaxBackoff %s: want >= MinBackoff %s", p.MaxBackoff, p.MinBackoff)
	case p.MaxWait <= 0:
		return fmt.Errorf("aisearch: RetryPolicy.MaxWait %s: want > 0", p.MaxWait)
	}
	return nil
}

// backoff is the full-jitter wait before retry number n (1-based).
func (p RetryPolicy) backoff(n int) time.Duration {
	ceil := p.MaxBackoff
	if n-1 < 32 {
		if d := p.MinBackoff << (n - 1); d > 0 && d < ceil {
			ceil = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// maxBodySize bounds what is read of a response; the largest real answer
// (100 tokens) is a few tens of kilobytes.
const maxBodySize = 8 << 20

// retryTransport retries below the generated client, so every operation
// shares one policy. It reads each response body fully, so a connection
// that breaks mid-body is retried like one that breaks earlier.
type retryTransport struct {
	next   http.RoundTripper
	policy RetryPolicy
	now    func() time.Time
}

// callState is one call's bookkeeping, in a single allocation: the
// context the call's request carries (found under callStateKey), the
// attempts the transport counts, so errors can say how many were made, and
// the request the call built (for errors).
type callState struct {
	context.Context
	attempts atomic.Int32
	method   string
	url      *url.URL
}

type callStateKey struct{}

func newCallState(ctx context.Context) *callState { return &callState{Context: ctx} }

func (s *callState) Value(key any) any {
	if key == (callStateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// recordRequest is the request editor that notes the request in the
// call's state. It is a plain function, found through the context, so
// that passing it costs no allocation.
func recordRequest(ctx context.Context, r *http.Request) error {
	if s, ok := ctx.Value(callStateKey{}).(*callState); ok {
		s.method, s.url = r.Method, r.URL
	}
	return nil
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st, _ := ctx.Value(callStateKey{}).(*callState) // nil outside Client.do
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		areq := req
		if attempt > 1 {
			var err error
			if areq, err = rewind(req); err != nil {
				return nil, err
			}
		}
		// Whether the request reached the server matters only to a
		// request that is not safe to send twice (shouldRetry): only that
		// one pays for the trace.
		var trace *sendTrace // nil: not traced
		if !t.safe(req) {
			trace = new(sendTrace)
			areq = areq.WithContext(httptrace.WithClientTrace(areq.Context(), trace.clientTrace()))
		}
		resp, err := t.next.RoundTrip(areq)
		if err == nil {
			err = bufferBody(resp)
			if err != nil {
				resp = nil
			}
		}
		if st != nil {
			st.attempts.Add(1)
		}
		if attempt >= t.policy.MaxAttempts || !replayable || !t.shouldRetry(req, resp, err, trace) {
			return resp, err
		}
		var wait time.Duration
		if resp != nil {
			wait = parseRetryAfter(resp.Header.Get("Retry-After"), t.now())
		}
		if wait == 0 {
			wait = t.policy.backoff(attempt)
		}
		if waited+wait > t.policy.MaxWait {
			return resp, err
		}
		if deadline, ok := ctx.Deadline(); ok && t.now().Add(wait).After(deadline) {
			return resp, err // waiting would only end in a deadline error
		}
		if resp != nil {
			resp.Body.Close()
		}
		if serr := t.policy.Wait(ctx, wait); serr != nil {
			return nil, serr
		}
		waited += wait
	}
}

// shouldRetry decides from the method, the outcome and, for a request
// that is not safe to send twice, what its trace tells of its sending.
func (t *retryTransport) shouldRetry(req *http.Request, resp *http.Response, err error, trace *sendTrace) bool {
	if req.Context().Err() != nil {
		return false
	}
	safe := t.safe(req)
	if err != nil {
		var certErr *tls.CertificateVerificationError
		if errors.As(err, &certErr) || errors.Is(err, errBodyTooLarge) {
			return false // retrying cannot fix these
		}
		return safe || trace.nothingSent(err)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests:
		return true // rate limited: refused before anything was done, so safe even for a create
	case !safe:
		return false // the server got the create; it may have acted on it
	case s == http.StatusNotImplemented || s == http.StatusHTTPVersionNotSupported:
		return false
	default:
		return s >= 500
	}
}

// sendTrace follows one attempt through net/http's client trace, to tell
// whether it provably sent nothing. The default is the safe one: an attempt
// counts as sent unless the evidence says otherwise, so a transport that
// fires no trace events (a custom RoundTripper given to WithHTTPClient)
// never gets a create sent twice.
type sendTrace struct {
	getConn atomic.Bool // the transport reports through the trace at all
	gotConn atomic.Bool // it had a connection: bytes may have gone out
}

func (s *sendTrace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) { s.getConn.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { s.gotConn.Store(true) },
	}
}

// nothingSent reports whether the attempt that failed with err provably
// wrote nothing: it never got a connection (the trace saw the transport
// look for one and never find it), or err is a failed dial, which no
// transport returns after writing.
func (s *sendTrace) nothingSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return s != nil && s.getConn.Load() && !s.gotConn.Load()
}

// safe reports whether req may be sent again after it reached the server.
func (t *retryTransport) safe(req *http.Request) bool {
	return req.Method != http.MethodPost && req.Method != http.MethodPatch || t.policy.RetryCreate
}

// rewind returns a copy of req with a fresh body for another attempt.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("aisearch: rewind request body: %w", err)
		}
		r.Body = body
	}
	return r, nil
}

// bufferBody replaces resp.Body with its bytes, read up to maxBodySize.
// A declared Content-Length is read in one go, into a buffer of that size.
func bufferBody(resp *http.Response) error {
	defer resp.Body.Close()
	var b []byte
	var err error
	if n := resp.ContentLength; n >= 0 && n <= maxBodySize {
		b = make([]byte, n)
		_, err = io.ReadFull(resp.Body, b)
	} else {
		b, err = io.ReadAll(io.LimitReader(resp.Body, maxBodySize+1))
	}
	if err != nil {
		return fmt.Errorf("reading response body: %w", err)
	}
	if len(b) > maxBodySize {
		return errBodyTooLarge
	}
	bb := &bufferedBody{data: b}
	bb.Reset(b)
	resp.Body = bb
	return nil
}

// bufferedBody is a response body read in full, which Client.do takes as
// it is instead of copying it again.
type bufferedBody struct {
	bytes.Reader
	data []byte
}

func (*bufferedBody) Close() error { return nil }

// readBody returns the whole of a response body.
func readBody(body io.Reader) ([]byte, error) {
	if b, ok := body.(*bufferedBody); ok {
		return b.data, nil
	}
	return io.ReadAll(body)
}

// errBodyTooLarge is not retried: the next answer would be as large.
var errBodyTooLarge = fmt.Errorf("response body larger than %d bytes", maxBodySize)

// sleepCtx waits d, or less if ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
