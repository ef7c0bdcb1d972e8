#!/usr/bin/env bash
# Regenerates everything that is generated and fails if the tree changed:
# generated/ must match openapi.yaml + overlay.yaml + oapi-codegen.yaml, and
# go.mod/go.sum (and those of interop/ and tools/breaking/) must be tidy. Run by `make check-generated` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

before=$(git status --porcelain -- generated go.mod go.sum)
go generate ./...
go mod tidy
after=$(git status --porcelain -- generated go.mod go.sum)
if [ "$before" != "$after" ] || ! git diff --quiet -- generated go.mod go.sum; then
	echo "check-generated: generated code or go.mod/go.sum is stale; run 'make generate && go mod tidy' and commit:" >&2
	git --no-pager diff --stat -- generated go.mod go.sum >&2
	git status --porcelain -- generated go.mod go.sum >&2
	exit 1
fi
for mod in interop tools/breaking; do
	if ! (cd "$mod" && go mod tidy -diff >/dev/null); then
		echo "check-generated: $mod/go.mod is not tidy; run 'cd $mod && go mod tidy' and commit" >&2
		exit 1
	fi
done
echo "check-generated: generated/ and every go.mod are up to date"
