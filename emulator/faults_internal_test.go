package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// An injected delay (the configured latency plus the header's delays) is
// waited out before the request goes on; no test sleeps for it.
func TestInjectedDelayIsWaited(t *testing.T) {
	t.Parallel()
	s, err := New(WithAPITokens("t"), WithFaults(Faults{Latency: 20 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	var waited []time.Duration
	s.faults.sleep = func(_ context.Context, d time.Duration) error { waited = append(waited, d); return nil }
	for _, header := range []string{"", "delay=150ms", "delay=1s,delay=2s,503"} {
		req := httptest.NewRequest("GET", BasePath+"/accounts/a/ai-search/tokens", nil)
		req.Header.Set("Authorization", "Bearer t")
		if header != "" {
			req.Header.Set(FaultHeader, header)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if want := map[string]int{"delay=1s,delay=2s,503": http.StatusServiceUnavailable}[header]; want != 0 && rec.Code != want || want == 0 && rec.Code != http.StatusOK {
			t.Errorf("%q: %d %s", header, rec.Code, rec.Body)
		}
	}
	if want := []time.Duration{20 * time.Millisecond, 170 * time.Millisecond, 3020 * time.Millisecond}; !slices.Equal(waited, want) {
		t.Errorf("waited %v, want %v", waited, want)
	}
	// A client that goes away ends the wait.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := wait(ctx, time.Hour); err == nil {
		t.Error("wait did not end with its context")
	}
}
