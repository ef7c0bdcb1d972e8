#!/usr/bin/env bash
# The drift check (make upstream-diff): openapi.yaml against Cloudflare's
# published definitions of the same operations, with oasdiff and the
# reviewed allow-list (tools/specgov/drift).
#
#   upstream-diff.sh SOURCE...   each SOURCE a file or an https URL
#
# It never skips silently. When the sources are the defaults (no
# UPSTREAM_SPEC given: the local copy ../shared/reference, else Cloudflare's
# published schema by URL) and none can be read, outside CI it says that
# the check did NOT run, how to point it at a copy, and passes; it appends
# the same lines to $MAKE_TEST_NOTES, which make test prints last. In CI
# (CI=true), or with sources given (UPSTREAM_EXPLICIT=1), it fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -eq 0 ]]; then
	echo "usage: upstream-diff.sh SOURCE..." >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd tools/specgov && go build -o "$tmp/drift" ./drift)
args=()
for src in "$@"; do args+=(--upstream "$src"); done
echo "drift --spec openapi.yaml ${args[*]}"
rc=0
"$tmp/drift" --spec openapi.yaml ${UPSTREAM_DIFF_FLAGS:-} "${args[@]}" 2>"$tmp/err" || rc=$?
cat "$tmp/err" >&2
if [[ $rc -ne 3 ]]; then
	exit $rc
fi
# 3: a source could not be read.
if [[ ${CI:-} == true || ${UPSTREAM_EXPLICIT:-} == 1 ]]; then
	echo "upstream-diff: FAILED: Cloudflare's definitions could not be read (see above)." >&2
	exit 1
fi
{
	echo "upstream-diff: the drift check against Cloudflare's API schema did NOT run: no local copy"
	echo "  (../shared/reference/*.official.json), and the published schema could not be read:"
	echo "  $(sed 's/^drift: cannot read the upstream schema: //' "$tmp/err" | head -1)"
	echo "  Point it at a copy: make upstream-diff UPSTREAM_SPEC=\"path/to/openapi.json\" (a file or an"
	echo "  https URL; several, space-separated, for excerpts of it)."
} | tee -a "${MAKE_TEST_NOTES:-/dev/null}"
