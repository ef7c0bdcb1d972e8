package emulator_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/loadgen"
)

// TestMemoryFlat runs a warm-up, measures the live heap and the goroutines,
// runs almost four times as much traffic again and measures once more. The mix
// creates and deletes at the same rate, so the store stays about the same
// size; a per-request leak of even 1 KiB would add 3 MiB.
func TestMemoryFlat(t *testing.T) {
	ts := emulator.NewTestServer(t)
	run := func(requests int, seed uint64) {
		t.Helper()
		res, err := loadgen.Run(context.Background(), loadgen.Config{
			BaseURL: ts.BaseURL, AccountID: ts.AccountID, APIToken: ts.APIToken,
			Concurrency: 4, Requests: requests, Seed: seed,
			Mix: loadgen.Mix{loadgen.OpList: 2, loadgen.OpGet: 3, loadgen.OpCreate: 2, loadgen.OpUpdate: 1, loadgen.OpDelete: 2},
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed != 0 || res.Unexpected() != 0 {
			t.Fatalf("%d failed, statuses %v", res.Failed, res.Statuses)
		}
	}
	const warmup, long = 800, 3000
	run(warmup, 1)
	heap0, g0 := liveHeap(), runtime.NumGoroutine()
	tokens0 := len(ts.Tokens(ts.AccountID))
	for i := range 4 {
		run(long/4, uint64(i+2))
	}
	heap1 := liveHeap()
	tokens1 := len(ts.Tokens(ts.AccountID))

	// Each stored token costs well under 2 KiB (record, id, index entry);
	// the bound allows for the store's growth plus 2 MiB of slack for
	// allocator and runtime noise, far below what a per-request leak of
	// 1 KiB over 3000 requests (3 MiB) would add.
	const perToken, slack = 2 << 10, 2 << 20
	bound := int64(slack) + int64(max(0, tokens1-tokens0))*perToken
	if grown := int64(heap1) - int64(heap0); grown > bound {
		t.Errorf("live heap grew by %d KiB over %d requests (store %d → %d tokens), bound %d KiB", grown>>10, long, tokens0, tokens1, bound>>10)
	}
	// Goroutines: connections close asynchronously; poll with a deadline.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > g0+2 && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond) // polling interval, not a wait for an event
	}
	if g := runtime.NumGoroutine(); g > g0+2 {
		t.Errorf("goroutines %d after the run, %d before", g, g0)
	}
	t.Logf("live heap %d KiB → %d KiB over %d requests; store %d → %d tokens", heap0>>10, heap1>>10, long, tokens0, tokens1)
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC() // the second cycle frees what the first one's finalizers released
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
