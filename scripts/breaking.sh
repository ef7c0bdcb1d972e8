#!/usr/bin/env bash
# Breaking-change gate (tools/specgov/breaking, oasdiff): a change to openapi.yaml
# must bump info.version, and one that breaks clients must bump its major.
# Run by `make breaking`.
#
#   breaking.sh          check every landed change: each commit on HEAD's
#                        first-parent line that changed openapi.yaml,
#                        against its first parent; then uncommitted changes
#                        against HEAD. What CI runs.
#   breaking.sh REF      the working tree's spec against REF's, as one change
#                        (e.g. origin/main before opening a pull request).
#
# Why every commit and not HEAD~1: CI runs on a fresh clone of main, which has
# the whole history but no record of what the last push brought. Comparing
# HEAD~1 checked the last commit of a push alone; walking the first-parent
# line checks each commit of any push, and a merged branch as the one change
# it made to main. Each commit that changes the spec must so bump the version
# (as the CHANGELOG check already expects). A shallow clone stops the walk at
# its oldest commit, saying so.
#
# BREAKING_BIN names a breaking binary to use instead of building one (the
# script's own test runs it with its test binary).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=${BREAKING_BIN:-$tmp/breaking}
[[ -n ${BREAKING_BIN:-} ]] || (cd tools/specgov && go build -o "$bin" ./breaking)

# compare NAME_A NAME_B FILE_A FILE_B
compare() { "$bin" --base-name "$1" --revision-name "$2" "$3" "$4"; }

spec_at() { git show "$1:openapi.yaml" >"$2" 2>/dev/null; }

if [[ $# -gt 0 ]]; then
	base=$1
	if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
		echo "breaking: unknown git ref '$base'" >&2
		exit 2
	fi
	if ! spec_at "$base" "$tmp/base.yaml"; then
		echo "breaking: $base has no openapi.yaml; nothing to compare, passing"
		exit 0
	fi
	compare "$base" "working tree" "$tmp/base.yaml" "$root/openapi.yaml"
	exit
fi

failed=0 checked=0
shallow=$(git rev-parse --is-shallow-repository)
for c in $(git rev-list --first-parent --reverse HEAD); do
	parent=$(git rev-parse --verify --quiet "$c^1" || true)
	if [[ -z $parent ]] || ! git cat-file -e "$parent" 2>/dev/null; then
		[[ $shallow == true && -n $(git rev-list --max-count=1 --parents "$c" | cut -d' ' -f2-) ]] &&
			echo "breaking: shallow clone: history before $(git rev-parse --short "$c") not checked"
		continue
	fi
	if ! spec_at "$c" "$tmp/rev.yaml" || ! spec_at "$parent" "$tmp/base.yaml" || cmp -s "$tmp/base.yaml" "$tmp/rev.yaml"; then
		continue # no spec on either side, or unchanged
	fi
	checked=$((checked + 1))
	echo "== $(git log -1 --format='%h %s' "$c" | cut -c1-100)"
	compare "$(git rev-parse --short "$parent")" "$(git rev-parse --short "$c")" "$tmp/base.yaml" "$tmp/rev.yaml" || failed=1
done
if spec_at HEAD "$tmp/head.yaml" && ! cmp -s "$tmp/head.yaml" "$root/openapi.yaml"; then
	checked=$((checked + 1))
	echo "== uncommitted changes"
	compare HEAD "working tree" "$tmp/head.yaml" "$root/openapi.yaml" || failed=1
fi
echo "breaking: $checked spec change(s) checked on the first-parent history of $(git rev-parse --short HEAD)$([[ $failed == 1 ]] && echo ': FAILED' || true)"
exit $failed
