package emulator_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
)

func TestFaultHeader(t *testing.T) {
	t.Parallel()
	e := start(t)
	path := "/accounts/" + account + "/ai-search/tokens"
	with := func(v string) map[string]string { h := bearer(token); h[emulator.FaultHeader] = v; return h }

	status, h, b := e.do(t, "GET", path, "", with("429,retry-after=7"))
	if status != 429 || h.Get("Retry-After") != "7" || h.Get(emulator.FaultHeader) != "injected" || !strings.Contains(string(b), `"code":971`) {
		t.Errorf("429: %d %q %s", status, h.Get("Retry-After"), b)
	}
	for _, s := range []string{"500", "502", "503", "504"} {
		if status, _, b := e.do(t, "GET", path, "", with(s)); status != atoi(s) || !strings.Contains(string(b), `"code":10005`) {
			t.Errorf("%s: %d %s", s, status, b)
		}
	}
	for _, bad := range []string{"418", "delay=forever", "delay=1h", "delay=20s,delay=20s", "retry-after=-1", "boom=1", "429,,"} {
		if status, _, b := e.do(t, "GET", path, "", with(bad)); status != 400 || !strings.Contains(string(b), `"path":["header","X-Emulator-Fault"]`) {
			t.Errorf("%q: %d %s", bad, status, b)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestFailNextAndRate(t *testing.T) {
	t.Parallel()
	e := start(t)
	path := "/accounts/" + account + "/ai-search/tokens"
	if err := e.srv.FailNext(503, 429); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.FailNext(404); err == nil {
		t.Error("FailNext(404) accepted")
	}
	var got []int
	for range 3 {
		status, _, _ := e.do(t, "GET", path, "", bearer(token))
		got = append(got, status)
	}
	if got[0] != 503 || got[1] != 429 || got[2] != 200 {
		t.Errorf("statuses %v, want [503 429 200]", got)
	}

	always := start(t, emulator.WithFaults(emulator.Faults{Rate: 1, Statuses: []int{502}}))
	if status, _, _ := always.do(t, "GET", path, "", bearer(token)); status != 502 {
		t.Errorf("rate 1: %d", status)
	}
	for _, f := range []emulator.Faults{{Rate: 2}, {Rate: -1}, {Rate: math.NaN()}, {Rate: math.Inf(1)}, {Rate: math.Inf(-1)}, {Statuses: []int{404}}, {Latency: -time.Second}, {RetryAfter: -1}} {
		if _, err := emulator.New(emulator.WithFaults(f)); err == nil {
			t.Errorf("WithFaults(%+v) accepted", f)
		}
	}
}

// A seeded fault injector replays: the same seed and the same requests get
// the same faults, and another seed gets others.
func TestSeededFaultsReplay(t *testing.T) {
	t.Parallel()
	path := "/accounts/" + account + "/ai-search/tokens"
	run := func(seed uint64) string {
		e := start(t, emulator.WithFaults(emulator.Faults{Rate: 0.5, Statuses: []int{429, 500, 502, 503, 504}, Seed: seed}))
		var got []string
		for range 40 {
			status, _, _ := e.do(t, "GET", path, "", bearer(token))
			got = append(got, fmt.Sprint(status))
		}
		return strings.Join(got, ",")
	}
	a, b, c := run(7), run(7), run(8)
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same 40 decisions: %s", a)
	}
	if !strings.Contains(a, "200") || strings.Count(a, "200") == 40 {
		t.Errorf("rate 0.5 gave %s", a)
	}
}

// The header's delays and the configured latency add up to at most 30 s.
func TestInjectedDelayIsCappedInAll(t *testing.T) {
	t.Parallel()
	e := start(t, emulator.WithFaults(emulator.Faults{Latency: 20 * time.Second}))
	path := "/accounts/" + account + "/ai-search/tokens"
	h := bearer(token)
	h[emulator.FaultHeader] = "delay=15s"
	start := time.Now()
	if status, _, b := e.do(t, "GET", path, "", h); status != 400 || !strings.Contains(string(b), `"path":["header","X-Emulator-Fault"]`) || time.Since(start) > 5*time.Second {
		t.Errorf("20s latency + delay=15s: %d %s after %s, want a 400 at once", status, b, time.Since(start))
	}
}
