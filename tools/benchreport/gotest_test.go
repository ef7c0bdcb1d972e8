package main

import (
	"strings"
	"testing"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkEmulator/list/validation-2   	    8990	    127807 ns/op	       565.9 p50-µs	      6141 p99-µs	      7824 req/s	   31151 B/op	     203 allocs/op
BenchmarkEmulator/list/validation-2   	    9000	    100000 ns/op	       500 p50-µs	      6000 p99-µs	      9000 req/s	   31000 B/op	     203 allocs/op
BenchmarkEmulator/list/validation-2   	    9000	    110000 ns/op	       520 p50-µs	      6000 p99-µs	      8000 req/s	   31000 B/op	     203 allocs/op
BenchmarkGenerateBuild               	       5	 748660025 ns/op
--- SKIP: BenchmarkContractFixtureSet
PASS
`
	got, err := parseBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	s := got["BenchmarkEmulator/list/validation"]
	if s == nil || len(s["ns/op"]) != 3 || s.median("ns/op") != 110000 || s.median("req/s") != 8000 || s.median("p50-µs") != 520 {
		t.Errorf("parsed %v", got)
	}
	if got["BenchmarkGenerateBuild"].median("ns/op") != 748660025 {
		t.Errorf("parsed %v", got["BenchmarkGenerateBuild"])
	}
	if _, err := parseBench(strings.NewReader("BenchmarkX-2 10 5 ns/op 7\n")); err == nil {
		t.Error("odd field count accepted")
	}
	if m := (samples{"x": {4, 1, 3, 2}}).median("x"); m != 2.5 {
		t.Errorf("median %v, want 2.5", m)
	}
}
