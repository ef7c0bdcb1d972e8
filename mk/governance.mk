# Spec governance (issue 7): lint, upstream drift, breaking-change gate.
# tools/breaking is its own module (oasdiff forces go 1.26 and ~20 requires).

# Cloudflare's definitions of the operations, one file per API family.
UPSTREAM_REFERENCE := ../shared/reference/cloudflare-ai-search-tokens.official.json ../shared/reference/cloudflare-api-tokens.official.json
UPSTREAM_SPEC      ?= $(UPSTREAM_REFERENCE)
BASE               ?= HEAD~1

.PHONY: lint-spec upstream-diff breaking test-breaking-tool

lint-spec: ## lint openapi.yaml: descriptions, security, error envelopes, examples, unused components
	$(GO) test -count=1 -run Lint ./specgov

# The default reference lives beside the repo (../shared); outside CI its
# absence skips the check, like the Go tests. An explicit UPSTREAM_SPEC, or
# CI=true, makes a missing file an error.
upstream-diff: ## compare openapi.yaml with Cloudflare's published schema (UPSTREAM_SPEC="FILE...")
	@missing=""; for f in $(UPSTREAM_SPEC); do [ -f "$$f" ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ] && [ "$(UPSTREAM_SPEC)" = "$(UPSTREAM_REFERENCE)" ] && [ "$$CI" != true ]; then \
		echo "upstream-diff:$$missing not found; skipping (set CI=true to make this an error)"; \
	else \
		args=""; for f in $(UPSTREAM_SPEC); do args="$$args --upstream $$f"; done; \
		echo "$(GO) run ./cmd/aisearch-tokens spec-diff$$args"; \
		$(GO) run ./cmd/aisearch-tokens spec-diff $$args; \
	fi

breaking: ## fail on a breaking spec change since BASE (default HEAD~1) without a major version bump
	@bash scripts/breaking.sh $(BASE)

test-breaking-tool: ## tests of the breaking-change gate (its own module)
	cd tools/breaking && $(GO) test -count=1 ./...

# The lint tests (lint-spec) run with the specgov package in test-go.
TEST_DEPS += upstream-diff test-breaking-tool
