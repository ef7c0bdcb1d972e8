# Contract suite (issue 3): recorded fixtures validated by kin-openapi,
# mutated, and replayed through the generated client. Without -race: see
# NORACE_PKGS in the Makefile.

.PHONY: contract contract-fixtures secret-scan

contract: ## contract suite: validate, mutate, replay every fixture; coverage and mutation score
	@out=$$(mktemp); \
	$(GO) test -count=1 -v ./contract_test/... >$$out 2>&1; rc=$$?; \
	grep -vE '^(=== (RUN|PAUSE|CONT)|[[:space:]]+--- PASS)' $$out; rm -f $$out; exit $$rc

contract-fixtures: ## rewrite hand-written fixtures and re-record emulator-*.yaml from the emulator
	$(GO) test -count=1 -run 'TestHandwrittenFixtures|TestRecordFromEmulator' ./contract_test -gen -record

secret-scan: ## fail if any cassette under contract_test/testdata holds an unredacted credential
	$(GO) run ./cmd/aisearch-tokens verify --secrets-only contract_test/testdata contract_test/testdata/invalid

# The suite's TestNoSecretsInTestdata already scans testdata in `make test`;
# secret-scan is the same check through the CLI, for users.
