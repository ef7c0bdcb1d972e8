# Cloudflare AI Search tokens toolkit. `make help` lists the targets.
# Each area keeps its targets in mk/*.mk; `test` below lists every step
# that `make test` runs.

GO       ?= go
GOFLAGS  ?=
export GOFLAGS
# A race-enabled binary sleeps 1 s on exit by default (for late reports);
# tests report races as they happen, and make test runs ~17 such binaries.
GORACE   ?= atexit_sleep_ms=0
export GORACE
# Packages of the main module (interop/ and tools/ are modules of their own).
PKGS     := ./...

.DEFAULT_GOAL := help

include $(sort $(wildcard mk/*.mk))

.PHONY: help generate check-generated test test-go lint

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

generate: ## regenerate generated/ from openapi.yaml (go generate ./...)
	$(GO) generate ./...

check-generated: ## fail if regenerating or `go mod tidy` changes anything
	@bash scripts/check-generated.sh

# make test, in order (each step is a target of its own):
#   test-go             go test -race of the main module, but the contract suite
#   contract            the contract suite (mk/contract.mk): validate, mutate and
#                       replay every fixture; coverage and mutation score
#   interop             the official cloudflare-go SDK against the emulator
#                       (mk/emulator.mk; interop/ is its own module)
#   upstream-diff       openapi.yaml against Cloudflare's published schema
#                       (mk/governance.mk)
#   test-specgov-tools  the breaking-change gate, drift and changelog checks'
#                       tests (mk/governance.mk; tools/specgov is its own module)
#   test-benchreport    the benchmark report's tests (mk/bench.mk; its own module)
# Two lines of steps run side by side (make -j2), each step after the
# other within its line: test-go alone in the first; in the second the
# other modules (interop, the drift check, tools/specgov's and
# tools/benchreport's tests), which build without -race and so share
# nothing with test-go, then the contract suite, which by then finds the
# race-built packages test-go compiled in the build cache (run at the same
# time, two go commands would each compile them). This keeps the second
# line shorter than test-go, warm or cold. -Otarget keeps each line's
# output together. What a step could not check (upstream-diff without
# Cloudflare's schema) is said again last.
test: ## run every test (the README's test command)
	@notes=$$(mktemp); trap 'rm -f "$$notes"' EXIT; export MAKE_TEST_NOTES=$$notes; \
	$(MAKE) --no-print-directory -j2 -Otarget test-go test-rest; rc=$$?; \
	if [ -s "$$notes" ]; then echo; echo "make test: NOT EVERYTHING WAS CHECKED:"; cat "$$notes"; fi; exit $$rc

# Each a make of its own with one goal: no -j here, which would reset the
# jobserver (make warns) for no gain.
.PHONY: test-rest
test-rest:
	@$(MAKE) --no-print-directory interop && \
	$(MAKE) --no-print-directory upstream-diff && \
	$(MAKE) --no-print-directory test-specgov-tools && \
	$(MAKE) --no-print-directory test-benchreport && \
	$(MAKE) --no-print-directory contract

# contract_test runs once, in `make contract`, which prints its coverage and
# mutation report.
test-go: ## go test of the main module (but the contract suite), with the race detector
	$(GO) test -race -count=1 -timeout 240s $$($(GO) list $(PKGS) | grep -v '/contract_test$$')

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
