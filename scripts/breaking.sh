#!/usr/bin/env bash
# Breaking-change gate: compares openapi.yaml at git ref BASE (default
# HEAD~1) with the working tree's, using tools/breaking (oasdiff). Fails on a
# change that breaks clients unless info.version got a major bump, and on any
# change without a version bump. Run by `make breaking BASE=<ref>`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=${1:-HEAD~1}

if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
	# HEAD~N past the first commit (or a shallow clone) has nothing to compare.
	if [[ "$base" =~ ^HEAD([~^][0-9]*)+$ ]]; then
		echo "breaking: $base does not exist in this clone (first commit or shallow clone); nothing to compare, passing"
		exit 0
	fi
	echo "breaking: unknown git ref '$base'" >&2
	exit 2
fi
if ! git cat-file -e "$base:openapi.yaml" 2>/dev/null; then
	echo "breaking: $base has no openapi.yaml; nothing to compare, passing"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git show "$base:openapi.yaml" >"$tmp/base.yaml"
cd tools/breaking
go run . --base-name "$base" "$tmp/base.yaml" "$root/openapi.yaml"
