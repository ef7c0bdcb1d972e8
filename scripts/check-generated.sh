#!/usr/bin/env bash
# Regenerates everything that is generated and fails if the tree changed:
# generated/ must match openapi.yaml + overlay.yaml + oapi-codegen.yaml, and
# go.mod/go.sum must be tidy. Run by `make check-generated` and CI.
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
echo "check-generated: generated/ and go.mod are up to date"
