package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
)

// BenchmarkStartup measures what a test pays to get a server: an emulator
// (New + Handler + httptest.NewServer, closed again) against a bare
// httptest.NewServer of a handler that does nothing. The emulator's share
// is its store, handlers and middleware chain; the listener, goroutine and
// Close are the same in both. The spec and its routes, which the first
// server of a process builds and every later one shares (spec.Shared), are
// built before the timed loop, so the figure leaves them out.
func BenchmarkStartup(b *testing.B) {
	b.Run("emulator", func(b *testing.B) {
		first, err := emulator.New(emulator.WithAPITokens(benchToken))
		if err != nil {
			b.Fatal(err)
		}
		first.Close()
		b.ReportAllocs()
		for b.Loop() {
			srv, err := emulator.New(emulator.WithAPITokens(benchToken))
			if err != nil {
				b.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			hs.Close()
			srv.Close()
		}
	})
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
		for b.Loop() {
			hs := httptest.NewServer(noop)
			hs.Close()
		}
	})
}
