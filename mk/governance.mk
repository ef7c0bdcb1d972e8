# Spec governance (issue 7): lint, upstream drift, breaking-change gate.
# tools/breaking is its own module (oasdiff forces go 1.26 and ~20 requires).

# Cloudflare's definitions of the operations, one file per API family.
UPSTREAM_REFERENCE := ../shared/reference/cloudflare-ai-search-tokens.official.json ../shared/reference/cloudflare-api-tokens.official.json ../shared/reference/cloudflare-ai-search-instances.official.json
UPSTREAM_SPEC      ?= $(UPSTREAM_REFERENCE)
BASE               ?=

.PHONY: lint-spec lint-oas upstream-diff breaking test-breaking-tool

lint-spec: ## lint openapi.yaml: descriptions, security, error envelopes, examples, unused components
	$(GO) test -count=1 -run Lint ./specgov

# The default reference lives beside the repo (../shared); outside CI its
# absence skips the check, like the Go tests. An explicit UPSTREAM_SPEC, or
# CI=true, makes a missing file an error.
upstream-diff: ## compare openapi.yaml with Cloudflare's published schema (UPSTREAM_SPEC="FILE or https URL ...")
	@missing=""; for f in $(UPSTREAM_SPEC); do [ -f "$$f" ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ] && [ "$(UPSTREAM_SPEC)" = "$(UPSTREAM_REFERENCE)" ] && [ "$$CI" != true ]; then \
		echo "upstream-diff:$$missing not found; skipping (set CI=true to make this an error)"; \
	else \
		args=""; for f in $(UPSTREAM_SPEC); do args="$$args --upstream $$f"; done; \
		echo "$(GO) run ./cmd/aisearch-tokens spec-diff$$args"; \
		$(GO) run ./cmd/aisearch-tokens spec-diff $$args; \
	fi

# Without BASE, every commit on HEAD's first-parent line that changed the
# spec is checked against its parent (what CI runs: see scripts/breaking.sh);
# BASE=<ref> checks the working tree against that ref as one change.
breaking: ## fail on a spec change without a version bump (major if breaking): every landed commit, or since BASE=<ref>
	@bash scripts/breaking.sh $(BASE)

test-breaking-tool: ## tests of the breaking-change gate (its own module)
	cd tools/breaking && $(GO) test -count=1 ./...

# The lint tests (lint-spec) run with the specgov package in test-go.

# Two independent OpenAPI linters, pinned in tools/oaslint (npm): any
# finding fails, warnings included. Needs Node.js; CI runs it after lint.
lint-oas: ## lint openapi.yaml with Redocly (recommended) and Spectral (spectral:oas): 0 errors, 0 warnings
	@bash scripts/lint-oas.sh
