package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// Progress: every command that calls the API (connect and record take the
// transport below) and verify of several files say what they are doing on
// stderr when a person watches it, including the retries the client would
// otherwise make in silence; on a pipe or in CI they say nothing.

// progress returns where to tell progress, or nil when nobody watches.
// The requests and the waits between them write through one lock.
func (r *runner) progress() io.Writer {
	if !r.env.StderrIsTerminal {
		return nil
	}
	if r.progressW == nil {
		r.progressW = &lockedWriter{w: r.env.Stderr}
	}
	return r.progressW
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// tellWaits makes p say, when a person watches, each wait before a retry
// (backoff, Retry-After, or a new token not yet known to AI Search): the
// seconds a retry costs are not silent.
func (r *runner) tellWaits(p aisearch.RetryPolicy) aisearch.RetryPolicy {
	w := r.progress()
	if w == nil {
		return p
	}
	sleep := p.Wait // the policy's own wait, taken before Sleep is replaced
	p.Sleep = func(ctx context.Context, d time.Duration) error {
		fmt.Fprintf(w, "  waiting %s\n", d.Round(time.Millisecond))
		return sleep(ctx, d)
	}
	return p
}

// transport returns a transport that tells each request on the progress
// writer, or nil (the client's default) when nobody watches. It sits
// below the client's retries, so every attempt is told; it hands the
// request to http.DefaultTransport unchanged, so the client still learns
// whether a failed create reached the server.
func (r *runner) transport() http.RoundTripper {
	w := r.progress()
	if w == nil {
		return nil
	}
	return &progressTransport{next: http.DefaultTransport, w: w}
}

type progressTransport struct {
	next http.RoundTripper
	w    io.Writer
	mu   sync.Mutex
	last string // the previous request, to tell a retry from a new step
}

func (p *progressTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	path := req.URL.Path
	if _, after, ok := strings.Cut(path, "/client/v4"); ok {
		path = after
	}
	step := req.Method + " " + path
	p.mu.Lock()
	if step == p.last {
		fmt.Fprintf(p.w, "  retrying %s\n", step)
	} else {
		fmt.Fprintf(p.w, "· %s (%s)\n", describeRequest(req.Method, path).what, step)
	}
	p.last = step
	p.mu.Unlock()
	resp, err := p.next.RoundTrip(req)
	switch {
	case err != nil:
		fmt.Fprintf(p.w, "  no answer: %v\n", err)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		fmt.Fprintf(p.w, "  answered %s\n", resp.Status)
	}
	return resp, err
}
