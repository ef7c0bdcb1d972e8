# Benchmarks, fuzzing and load (issue 6). The model-based and load tests
# (modeltest/, loadtest/) are plain Go tests: make test runs them under -race.

.PHONY: bench fuzz load

FUZZTIME     ?= 20s
RAPID_CHECKS ?= 5000
BENCH_FLAGS  ?=

bench: ## run the benchmarks and the load generator; write and print BENCHMARKS.md
	$(GO) run ./bench/cmd/benchreport -o BENCHMARKS.md $(BENCH_FLAGS)

fuzz: ## each fuzz target for FUZZTIME (20s), then RAPID_CHECKS (5000) model-based sequences
	@set -e; for t in $$($(GO) test -list '^Fuzz' ./fuzz | grep '^Fuzz'); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) ./fuzz; \
	done
	$(GO) test -count=1 -run TestEmulatorMatchesModel ./modeltest -rapid.checks=$(RAPID_CHECKS)

load: ## the load and fault tests, verbose, under -race
	$(GO) test -race -count=1 -v ./loadtest ./internal/loadgen
