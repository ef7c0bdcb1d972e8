package main

import (
	"strings"
	"testing"
)

// The targets are ratios of figures measured in the same run; each one's
// verdict follows its goal, and a benchmark that did not run is reported
// as such, not as met.
func TestTargets(t *testing.T) {
	r := &report{Results: map[string]samples{
		"BenchmarkStartup/emulator":                {"ns/op": {90_000}, "allocs/op": {300}},
		"BenchmarkStartup/bare":                    {"ns/op": {50_000}, "allocs/op": {44}},
		"BenchmarkEmulator/get/validation":         {"req/s": {8_500}},
		"BenchmarkEmulator/get/novalidation":       {"req/s": {9_000}},
		"BenchmarkEmulator/get/bare":               {"req/s": {10_000}},
		"BenchmarkEmulator/list/validation":        {"req/s": {7_000}},
		"BenchmarkEmulator/list/novalidation":      {"req/s": {7_500}},
		"BenchmarkEmulator/list/bare":              {"req/s": {10_000}},
		"BenchmarkVsSDK/get/aisearch":              {"allocs/op": {70}},
		"BenchmarkVsSDK/get/cloudflare-go":         {"allocs/op": {143}},
		"BenchmarkVsSDK/list/aisearch":             {"allocs/op": {400}},
		"BenchmarkVsSDK/list/cloudflare-go":        {"allocs/op": {679}},
		"BenchmarkClient/loopback/get/aisearch":    {"ns/op": {105}},
		"BenchmarkClient/loopback/get/handwritten": {"ns/op": {100}},
	}}
	want := map[string]string{
		"emulator start-up (New + Handler + httptest.NewServer): time": "met", // 1.8x ≤ 2x
		"emulator start-up: allocations":                               "met", // 6.8x ≤ 10x
		"emulator get: cost of request validation":                     "met", // 1.06x ≤ 1.30x
		"emulator list: cost of request validation":                    "met", // 1.07x
		"emulator create: cost of request validation":                  "NOT MEASURED",
		"client get: allocations vs cloudflare-go v6":                  "met",         // 0.49x
		"client list: allocations vs cloudflare-go v6":                 "**NOT MET**", // 0.59x
		"client get per call (loopback)":                               "met",         // 1.05x
		"client list per call (loopback)":                              "NOT MEASURED",
	}
	seen := map[string]bool{}
	for _, tg := range r.targets() {
		if w, ok := want[tg.what]; ok {
			seen[tg.what] = true
			if got := verdict(tg); got != w {
				t.Errorf("%s: ratio %.2f, goal %s: %s, want %s", tg.what, tg.ratio, tg.goal, got, w)
			}
		}
	}
	for what := range want {
		if !seen[what] {
			t.Errorf("no target %q", what)
		}
	}
	var b strings.Builder
	if err := r.render(&b); err != nil {
		t.Fatal(err)
	}
	for _, tg := range r.targets() {
		if strings.Contains(tg.what, "throughput vs bare") {
			t.Errorf("target %q: the throughput target was withdrawn", tg.what)
		}
	}
	for _, section := range []string{"## Emulator start-up", "## Client vs cloudflare-go v6", "| BenchmarkStartup/bare | allocs/op | 44 |",
		// The prose on the client get's targets quotes this run's ratios.
		"a get allocates 0.49x of\ncloudflare-go's", "takes 1.05x of the hand-written call's time"} {
		if !strings.Contains(b.String(), section) {
			t.Errorf("report has no %q section", section)
		}
	}
}
