// Package bench measures what the project exists for: the emulator's
// throughput and latency, the client's per-call cost, contract validation
// speed and code generation time, each against a baseline measured in the
// same run. The benchmarks live in *_bench_test.go; tools/benchreport runs them
// and writes BENCHMARKS.md (make bench).
//
// The non-test code here is what benchmarks and the report share: the bare
// net/http baseline handler and the canned data it serves.
package bench
