# Cloudflare AI Search tokens toolkit. `make help` lists the targets.
# Each area adds its own targets in mk/*.mk and hooks its checks into `test`
# through TEST_DEPS.

GO       ?= go
GOFLAGS  ?=
export GOFLAGS
# A race-enabled binary sleeps 1 s on exit by default (for late reports);
# tests report races as they happen, and make test runs ~17 such binaries.
GORACE   ?= atexit_sleep_ms=0
export GORACE
# Packages of the main module (interop/ and tools/ are modules of their own).
PKGS     := ./...

TEST_DEPS :=

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

test: test-go $(TEST_DEPS) ## run every test (the README's test command)

# contract_test runs once, in `make contract` (part of TEST_DEPS), which
# prints its coverage and mutation report.
test-go: ## go test of the main module (but the contract suite), with the race detector
	$(GO) test -race -count=1 -timeout 240s $$($(GO) list $(PKGS) | grep -v '/contract_test$$')

lint: ## gofmt and go vet (the main module, interop/ and tools/breaking/)
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	cd interop && $(GO) vet ./...
	cd tools/breaking && $(GO) vet ./...
