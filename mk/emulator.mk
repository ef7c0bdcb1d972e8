# Emulator of the tokens API, the demo, and the official-SDK interop tests.

.PHONY: demo serve interop

SERVE_FLAGS ?=

demo: ## run the token lifecycle against an in-process emulator, validating every exchange
	$(GO) run ./cmd/aisearch-tokens demo

serve: ## run the emulator on 127.0.0.1:8787 (SERVE_FLAGS="--state tokens.log --seed emulator/testdata/seed.example.json")
	$(GO) run ./cmd/aisearch-tokens serve $(SERVE_FLAGS)

interop: ## the official cloudflare-go SDK against the emulator (its own module, interop/)
	cd interop && $(GO) test -race -count=1 -timeout 120s ./...

TEST_DEPS += interop
