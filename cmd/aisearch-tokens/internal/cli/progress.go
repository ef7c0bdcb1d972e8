package cli

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Progress: the multi-step commands (provision, rotate, check, record,
// verify of several files) say what they are doing on stderr when a person
// watches it, including the retries the client would otherwise make in
// silence; on a pipe or in CI they say nothing.

// progress returns where to tell progress, or nil when nobody watches.
func (r *runner) progress() io.Writer {
	if !r.env.StderrIsTerminal {
		return nil
	}
	return r.env.Stderr
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
