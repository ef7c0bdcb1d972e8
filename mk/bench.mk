# Benchmarks, fuzzing and load. The model-based and load tests live beside
# what they test (emulator/model*_test.go, emulator/load_*_test.go,
# aisearch/faults_test.go) as plain Go tests: make test runs the load and
# fault tests under -race, the model-based sequences and the fuzz targets'
# seeds without it (NORACE_TESTS in the Makefile).

.PHONY: bench fuzz load test-benchreport

FUZZTIME     ?= 20s
FUZZMINIMIZE ?= 200x
FUZZ_MIN_EXECS ?=
RAPID_CHECKS ?= 5000
BENCH_FLAGS  ?=

bench: ## run the benchmarks and the load generator; write and print BENCHMARKS.md
	cd tools/benchreport && $(GO) run . -o BENCHMARKS.md $(BENCH_FLAGS)

# scripts/fuzz.sh prints how many inputs each target executed and fails on
# one that executed fewer than FUZZ_MIN_EXECS (default 100 per second of
# FUZZTIME) after its seed corpus.
fuzz: ## each fuzz target for FUZZTIME (20s), proving it executed inputs; then RAPID_CHECKS (5000) model-based sequences
	@GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZMINIMIZE=$(FUZZMINIMIZE) FUZZ_MIN_EXECS=$(FUZZ_MIN_EXECS) bash scripts/fuzz.sh
	$(GO) test -count=1 -run TestEmulatorMatchesModel ./emulator -rapid.checks=$(RAPID_CHECKS)

load: ## the load and fault tests, verbose, under -race
	$(GO) test -race -count=1 -v -run 'MemoryFlat|ConcurrentTraffic|UnderFaults' ./emulator ./aisearch ./internal/loadgen

test-benchreport: ## tests of the benchmark report (tools/benchreport, its own module)
	cd tools/benchreport && $(GO) test -count=1 ./...
