# Emulator of the tokens API, the demo, and the official-SDK interop tests.

.PHONY: demo serve interop wrangler

SERVE_FLAGS ?=

demo: ## run the token lifecycle against an in-process emulator, validating every exchange
	$(GO) run ./cmd/aisearch-tokens demo

serve: ## run the emulator on 127.0.0.1:8787 (SERVE_FLAGS="--state tokens.log --seed emulator/testdata/seed.example.json")
	$(GO) run ./cmd/aisearch-tokens serve $(SERVE_FLAGS)

# No -race here: the SDK pulls in ~120 packages, and the emulator's races are
# covered by test-go. The first (cold) build of the SDK takes minutes.
interop: ## the official cloudflare-go SDK against the emulator (its own module, interop/)
	cd interop && $(GO) test -count=1 -timeout 300s ./...

# Not part of make test: it costs about 30 s (23 wrangler runs of about 1 s
# each, and building the CLI); .ci/run runs it after make test.
wrangler: ## wrangler's ai-search commands against `aisearch-tokens serve` (needs npm; pinned in tools/wrangler)
	@bash scripts/wrangler.sh
