# Spec governance: lint (Redocly, Spectral), upstream drift and the
# breaking-change gate (oasdiff). tools/specgov is a module of its own
# (oasdiff forces go 1.26 and ~20 requires); tools/oaslint pins the npm
# linters. docs/governance.md says what each check does.

# Cloudflare's definitions of the operations: the local copy beside the
# repository (../shared/reference, one file per API family), else the whole
# published schema from Cloudflare's api-schemas repository.
UPSTREAM_REFERENCE := $(wildcard ../shared/reference/*.official.json)
UPSTREAM_URL       := https://raw.githubusercontent.com/cloudflare/api-schemas/main/openapi.json
UPSTREAM_SPEC      ?= $(or $(UPSTREAM_REFERENCE),$(UPSTREAM_URL))
UPSTREAM_DIFF_FLAGS ?=
BASE               ?=

.PHONY: lint-oas upstream-diff breaking test-specgov-tools

# Without a readable source it says the check did not run (and why), and
# fails only in CI or when UPSTREAM_SPEC was given: see scripts/upstream-diff.sh.
upstream-diff: ## compare openapi.yaml with Cloudflare's published schema (UPSTREAM_SPEC="FILE or https URL ...", UPSTREAM_DIFF_FLAGS=-v)
	@UPSTREAM_EXPLICIT=$(if $(filter file,$(origin UPSTREAM_SPEC)),,1) UPSTREAM_DIFF_FLAGS="$(UPSTREAM_DIFF_FLAGS)" \
		bash scripts/upstream-diff.sh $(UPSTREAM_SPEC)

# Without BASE, every commit on HEAD's first-parent line that changed the
# spec is checked against its parent (what CI runs: see scripts/breaking.sh);
# BASE=<ref> checks the working tree against that ref as one change.
breaking: ## fail on a spec change without a version bump (major if breaking): every landed commit, or since BASE=<ref>
	@bash scripts/breaking.sh $(BASE)

test-specgov-tools: ## tests of the breaking-change gate, the drift check and the changelog check (tools/specgov)
	cd tools/specgov && $(GO) test -count=1 ./...

# Redocly (recommended) and Spectral (spectral:oas and the project's rules
# in tools/oaslint/.spectral.yaml), pinned in tools/oaslint (npm): any
# finding fails, warnings included. Needs Node.js (skips, saying so,
# without it); CI runs it after lint.
lint-oas: ## lint openapi.yaml with Redocly and Spectral (the project's rules included): 0 errors, 0 warnings
	@bash scripts/lint-oas.sh

.PHONY: vulncheck
vulncheck: ## govulncheck v1.9.0 over every module (skips, saying so, when vuln.go.dev cannot be reached)
	@bash scripts/vulncheck.sh
