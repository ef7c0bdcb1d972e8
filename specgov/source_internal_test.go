package specgov

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/internal/safefile"
	"github.com/go-aisearch/tokens/spec"
)

// upstreamServer serves the project's own spec as an upstream schema at
// /openapi.yaml, and the paths the tests below need.
func upstreamServer(t *testing.T, hang <-chan struct{}, asked chan<- struct{}) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/openapi.yaml", func(w http.ResponseWriter, r *http.Request) { w.Write(spec.YAML) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(bytes.Repeat([]byte("x"), 3000)) })
	mux.HandleFunc("/streamed", func(w http.ResponseWriter, r *http.Request) {
		for range 3 {
			w.Write(bytes.Repeat([]byte("x"), 1000))
			w.(http.Flusher).Flush() // chunked: no Content-Length to refuse early
		}
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/openapi.json", http.StatusFound)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		if asked != nil {
			asked <- struct{}{}
		}
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReadUpstreamFromURL(t *testing.T) {
	srv := upstreamServer(t, nil, nil)
	data, err := ReadUpstream(context.Background(), srv.URL+"/openapi.yaml")
	if err != nil || !bytes.Equal(data, spec.YAML) {
		t.Fatalf("ReadUpstream: %d bytes, %v", len(data), err)
	}
	if _, err := LoadUpstream(data); err != nil {
		t.Errorf("LoadUpstream of the download: %v", err)
	}
	if doc, err := LoadUpstreamFile(srv.URL + "/openapi.yaml"); err != nil || doc.Paths.Find(TokensPaths[0]) == nil {
		t.Errorf("LoadUpstreamFile(URL): %v", err)
	}
}

func TestReadUpstreamRefuses(t *testing.T) {
	srv := upstreamServer(t, nil, nil)
	ctx := context.Background()
	for _, tc := range []struct{ src, want string }{
		{"http://example.com/openapi.json", "http://example.com/openapi.json: plain http is only for a loopback host; use https"},
		{"ftp://example.com/openapi.json", "want an https URL or a file"},
		{srv.URL + "/missing?token=secret-in-query", "GET " + srv.URL + "/missing: 404 Not Found"},
		{srv.URL + "/elsewhere", "plain http is only for a loopback host"},
		{"no-such-file.json", "no-such-file.json"},
	} {
		_, err := readUpstream(ctx, tc.src, 2000, time.Minute)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret-in-query") {
			t.Errorf("%s: %v, want an error containing %q (and no query)", tc.src, err, tc.want)
		}
	}
	for _, path := range []string{"/big", "/streamed"} {
		_, err := readUpstream(ctx, srv.URL+path, 2000, time.Minute)
		if !errors.Is(err, safefile.ErrTooLarge) || !strings.Contains(err.Error(), "more than the limit of 2000 bytes") {
			t.Errorf("%s over the limit: %v", path, err)
		}
	}
}

func TestReadUpstreamIsBoundedInTime(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	srv := upstreamServer(t, hang, nil)
	start := time.Now()
	_, err := readUpstream(context.Background(), srv.URL+"/hang", 2000, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 100ms") {
		t.Errorf("hanging server: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("gave up after %s", d)
	}
}

func TestReadUpstreamStopsWithContext(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	asked := make(chan struct{}, 1)
	srv := upstreamServer(t, hang, asked)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := ReadUpstream(ctx, srv.URL+"/hang"); done <- err }()
	<-asked
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadUpstream still running 10s after its context was cancelled")
	}
}
