# Cloudflare AI Search tokens toolkit. `make help` lists the targets.
# Each area keeps its targets in mk/*.mk; `test` below lists every step
# that `make test` runs.

GO       ?= go
GOFLAGS  ?=
export GOFLAGS
# A race-enabled binary sleeps 1 s on exit by default (for late reports);
# tests report races as they happen, and make test runs a dozen such
# binaries (and the CLI's tests as many processes of theirs).
GORACE   ?= atexit_sleep_ms=0
export GORACE
# make test and its steps run with GOGC=400: the compiler, the linker and
# the tests collect garbage a quarter as often, for about 12% less CPU warm
# or cold (docs/development.md), at the price of some memory (the machine
# has 24 GiB). Everything else (make bench) keeps Go's default.
TEST_GOGC ?= 400
TEST_STEPS := test test-main test-rest test-go test-norace contract interop upstream-diff test-specgov-tools test-benchreport
$(TEST_STEPS): export GOGC = $(TEST_GOGC)
# Packages of the main module (interop/ and tools/ are modules of their own).
PKGS     := ./...

.DEFAULT_GOAL := help

include $(sort $(wildcard mk/*.mk))

.PHONY: help generate check-generated test test-go test-norace lint

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

generate: ## regenerate generated/ from openapi.yaml (go generate ./...)
	$(GO) generate ./...

check-generated: ## fail if regenerating or `go mod tidy` changes anything
	@bash scripts/check-generated.sh

# make test, in order (each step is a target of its own):
#   test-go             go test -race of the main module, but NORACE_PKGS and
#                       NORACE_TESTS (below)
#   upstream-diff       openapi.yaml against Cloudflare's published schema
#                       (mk/governance.mk)
#   interop             the official cloudflare-go SDK against the emulator
#                       (mk/emulator.mk; interop/ is its own module)
#   test-specgov-tools  the breaking-change gate, drift and changelog checks'
#                       tests (mk/governance.mk; tools/specgov is its own module)
#   test-benchreport    the benchmark report's tests (mk/bench.mk; its own module)
#   contract            the contract suite (mk/contract.mk): validate, mutate and
#                       replay every fixture; coverage and mutation score
#   test-norace         go test of NORACE_PKGS (but the contract suite) and
#                       NORACE_TESTS
# Two lines of steps run side by side (make -j2), each step after the
# other within its line: test-go, then upstream-diff, in the first; the
# rest in the second, all built without -race, so sharing no compiled
# package with test-go: interop compiles the main module's packages that
# the contract suite and test-norace then find in the build cache, and
# tools/specgov's tests the drift check that upstream-diff runs. The two
# lines take about as long, warm or cold (docs/development.md has the
# figures): move a step when one grows. -Otarget keeps each line's output
# together. What a step could not check (upstream-diff without
# Cloudflare's schema) is said again last.
test: ## run every test (the README's test command)
	@notes=$$(mktemp); trap 'rm -f "$$notes"' EXIT; export MAKE_TEST_NOTES=$$notes; \
	$(MAKE) --no-print-directory -j2 -Otarget test-main test-rest; rc=$$?; \
	if [ -s "$$notes" ]; then echo; echo "make test: NOT EVERYTHING WAS CHECKED:"; cat "$$notes"; fi; exit $$rc

# Each a make of its own with one goal: no -j here, which would reset the
# jobserver (make warns) for no gain.
.PHONY: test-main test-rest
test-main:
	@$(MAKE) --no-print-directory test-go && \
	$(MAKE) --no-print-directory upstream-diff

test-rest:
	@$(MAKE) --no-print-directory interop && \
	$(MAKE) --no-print-directory test-specgov-tools && \
	$(MAKE) --no-print-directory test-benchreport && \
	$(MAKE) --no-print-directory contract && \
	$(MAKE) --no-print-directory test-norace

# The race detector makes a test 5 to 8 times slower, and finds races only
# where goroutines share memory. Without it run:
# - NORACE_PKGS, whose tests read and check documents (the repository's
#   layout and README, the spec, the generated wire types, the contract
#   suite's cassettes) and start no concurrent work of the project's own:
#   the contract suite's recordings drive the emulator one request at a
#   time; and bench, which holds only benchmarks (go test compiles and
#   vets them, and runs none);
# - NORACE_TESTS (in NORACE_TEST_PKGS), which feed thousands of inputs one
#   at a time from one goroutine: the fuzz targets' seed corpora, the
#   spec-derived sweep of invalid requests, the model-based sequences. The
#   emulator starts no goroutine of its own, so they cannot race with
#   themselves; the code they drive runs under -race in every other test
#   of those packages, the concurrent ones included (concurrency_test.go,
#   the load, fault and memory tests, share_test.go).
# Every other test, and every new one, runs under -race. test-norace fails
# when a name in NORACE_TESTS ran nowhere (renamed or moved).
NORACE_PKGS      := . ./spec ./generated ./bench ./contract_test
NORACE_TESTS     := TestInvalidRequests|TestEmulatorMatchesModel|FuzzEmulatorHandler|FuzzCassette|FuzzClientDecode
NORACE_TEST_PKGS := ./emulator ./contract ./aisearch

# contract_test runs once, in `make contract`, which prints its coverage and
# mutation report.
test-go: ## go test of the main module with the race detector (but NORACE_PKGS and NORACE_TESTS)
	$(GO) test -race -count=1 -timeout 240s -skip '^($(NORACE_TESTS))$$' $$($(GO) list $(PKGS) | grep -vxF "$$($(GO) list $(NORACE_PKGS))")

test-norace: ## go test of NORACE_PKGS (but the contract suite: make contract) and NORACE_TESTS, without the race detector
	@out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	echo "$(GO) test -count=1 -timeout 240s $(filter-out ./contract_test,$(NORACE_PKGS))"; \
	$(GO) test -count=1 -timeout 240s $(filter-out ./contract_test,$(NORACE_PKGS)) || exit 1; \
	echo "$(GO) test -count=1 -timeout 240s -run '^($(NORACE_TESTS))$$' $(NORACE_TEST_PKGS)"; \
	$(GO) test -count=1 -timeout 240s -v -run '^($(NORACE_TESTS))$$' $(NORACE_TEST_PKGS) >$$out 2>&1; rc=$$?; \
	grep -vE '^(=== |[[:space:]]+--- PASS|--- PASS|PASS$$)' $$out; \
	for t in $(subst |, ,$(NORACE_TESTS)); do \
		grep -qE "^--- (PASS|FAIL|SKIP): $$t " $$out || { echo "NORACE_TESTS: $$t ran in none of $(NORACE_TEST_PKGS) (renamed or moved? update the Makefile)"; rc=1; }; \
	done; exit $$rc

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

lint: ## gofmt, go vet and staticcheck (every module), actionlint (docs/*.yml)
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	cd interop && $(GO) vet ./...
	cd tools/specgov && $(GO) vet ./...
	cd tools/benchreport && $(GO) vet ./...
	$(GO) run $(STATICCHECK) $(PKGS)
	cd interop && $(GO) run $(STATICCHECK) ./...
	cd tools/specgov && $(GO) run $(STATICCHECK) ./...
	cd tools/benchreport && $(GO) run $(STATICCHECK) ./...
	$(GO) run $(ACTIONLINT) docs/*.yml
