package bench

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// benchToken is the API token the benchmark servers accept.
const benchToken = "bench-api-token"

// parallelism × GOMAXPROCS client goroutines keep the server busy on two
// cores without queueing so deep that latency means nothing.
const parallelism = 4

// request describes one benchmarked call; body is re-sent on every call.
type request struct {
	method, path string
	body         []byte
	want         int
}

// keepAliveClient reuses one connection per concurrent caller.
func keepAliveClient(conns int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns
	return &http.Client{Transport: tr}
}

// serveParallel sends req to h over loopback from parallel goroutines and
// reports throughput (req/s) and latency percentiles (p50-µs, p99-µs).
func serveParallel(b *testing.B, h http.Handler, req request) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	hc := keepAliveClient(parallelism * 8)
	defer hc.CloseIdleConnections()
	url := srv.URL + req.path
	var (
		mu  sync.Mutex
		all []time.Duration
	)
	b.SetParallelism(parallelism)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		lat := make([]time.Duration, 0, 1024)
		for pb.Next() {
			start := time.Now()
			if err := send(hc, url, req); err != nil {
				b.Error(err)
				return
			}
			lat = append(lat, time.Since(start))
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	b.StopTimer()
	reportLatency(b, all)
}

func send(hc *http.Client, url string, req request) error {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	r, err := http.NewRequest(req.method, url, body)
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", "Bearer "+benchToken)
	if req.body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(r)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != req.want {
		return &statusError{req.method, req.path, resp.StatusCode, req.want}
	}
	return err
}

type statusError struct {
	method, path string
	got, want    int
}

func (e *statusError) Error() string {
	return e.method + " " + e.path + ": status " + http.StatusText(e.got) + ", want " + http.StatusText(e.want)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
