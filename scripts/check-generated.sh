#!/usr/bin/env bash
# Regenerates everything that is generated and fails if the tree changed:
# generated/ and spec/openapi.yaml must match openapi.yaml + overlay.yaml + oapi-codegen.yaml, and
# go.mod/go.sum (and those of interop/, tools/specgov/ and tools/benchreport/) must be tidy. Run by `make check-generated` and CI.
# Then it shows that it fails on stale code (TestCheckGeneratedCatchesStaleCode).
set -euo pipefail
cd "$(dirname "$0")/.."

before=$(git status --porcelain -- generated spec/openapi.yaml go.mod go.sum)
go generate ./...
go mod tidy
after=$(git status --porcelain -- generated spec/openapi.yaml go.mod go.sum)
if [ "$before" != "$after" ] || ! git diff --quiet -- generated spec/openapi.yaml go.mod go.sum; then
	echo "check-generated: generated code or go.mod/go.sum is stale; run 'make generate && go mod tidy' and commit:" >&2
	git --no-pager diff --stat -- generated spec/openapi.yaml go.mod go.sum >&2
	git status --porcelain -- generated spec/openapi.yaml go.mod go.sum >&2
	exit 1
fi
for mod in interop tools/specgov tools/benchreport; do
	if ! (cd "$mod" && go mod tidy -diff >/dev/null); then
		echo "check-generated: $mod/go.mod is not tidy; run 'cd $mod && go mod tidy' and commit" >&2
		exit 1
	fi
done
echo "check-generated: generated/ and every go.mod are up to date"

# The check must also catch stale code: on a copy of the tree whose
# openapi.yaml changed without regenerating, it must fail. Proven here, once
# per CI run, with the generator already built (the test skips elsewhere);
# the copy runs this script with CHECK_GENERATED_SELFTEST set, which stops
# the proof from recursing.
if [ -z "${CHECK_GENERATED_SELFTEST:-}" ]; then
	if ! out=$(CHECK_GENERATED_SELFTEST=1 go test -count=1 -run '^TestCheckGeneratedCatchesStaleCode$' . 2>&1); then
		echo "$out" >&2
		echo "check-generated: the check did not catch stale generated code" >&2
		exit 1
	fi
	echo "check-generated: and it fails on a copy with openapi.yaml changed but generated/ stale"
fi
