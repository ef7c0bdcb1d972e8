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
#   test-breaking-tool  the breaking-change gate's tests, its script included
#                       (mk/governance.mk; tools/breaking is its own module)
# test-go runs first, alone (it has the most to compile and runs packages
# in parallel itself). Then the contract suite, whose race-built packages
# test-go left in the build cache, runs beside the other three, which run
# one after another: run side by side, they would each compile the same
# packages (the standard library without -race, kin-openapi...) at once.
# -Otarget keeps each target's output together.
test: test-go ## run every test (the README's test command)
	@$(MAKE) --no-print-directory -j2 -Otarget contract test-modules

.PHONY: test-modules
test-modules:
	@$(MAKE) --no-print-directory -j1 interop upstream-diff test-breaking-tool

# contract_test runs once, in `make contract`, which prints its coverage and
# mutation report.
test-go: ## go test of the main module (but the contract suite), with the race detector
	$(GO) test -race -count=1 -timeout 240s $$($(GO) list $(PKGS) | grep -v '/contract_test$$')

lint: ## gofmt and go vet (the main module, interop/ and tools/breaking/)
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	cd interop && $(GO) vet ./...
	cd tools/breaking && $(GO) vet ./...
