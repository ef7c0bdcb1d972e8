#!/usr/bin/env bash
# Lints openapi.yaml with two independent OpenAPI linters, pinned in
# tools/oaslint/package-lock.json: Redocly's recommended rules, and Spectral
# with spectral:oas and the project's own rules (tools/oaslint/.spectral.yaml:
# summaries, descriptions, security, shared error envelopes, valid
# examples, unused components). Fails on any finding, warnings included;
# then proves that each project rule fires (tools/oaslint/rules.test.mjs).
# Needs Node.js and npm; the linters install from the npm registry into
# tools/oaslint/node_modules. Without Node it skips, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tools/oaslint
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "lint-oas: SKIPPED: Node.js (node and npm) not found, so Redocly, Spectral and the project's" >&2
	echo "lint-oas: OpenAPI rules (tools/oaslint/.spectral.yaml) did NOT run; install Node.js 20 or later to run them" >&2
	exit 0
fi
if [ ! -x "$dir/node_modules/.bin/redocly" ] || [ ! -x "$dir/node_modules/.bin/spectral" ] ||
	[ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
	npm ci --prefix "$dir" --no-audit --no-fund --silent
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT
"$dir/node_modules/.bin/redocly" lint openapi.yaml --format=json >"$report" 2>"$log" || true
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$report" 2>/dev/null; then
	echo "lint-oas: redocly could not lint openapi.yaml:" >&2
	grep -v -e '^\s*$' -e '║' -e '╔' -e '╚' "$log" >&2 || true
	exit 1
fi
counts=$(node -e '
	const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	const t = r.totals || {};
	console.log(`${t.errors ?? "?"} ${t.warnings ?? "?"}`);
	for (const p of r.problems || []) console.error(`  ${p.severity} ${p.ruleId}: ${p.message} (${(p.location || []).map(l => l.pointer).join(", ")})`);
' "$report")
read -r errors warnings <<<"$counts"
echo "redocly (recommended): $errors errors, $warnings warnings"
"$dir/node_modules/.bin/spectral" lint --ruleset "$dir/.spectral.yaml" --fail-severity hint --quiet openapi.yaml
echo "spectral (spectral:oas and the project's rules, $dir/.spectral.yaml): 0 findings"
if [ "$errors" != 0 ] || [ "$warnings" != 0 ]; then
	exit 1
fi
if ! node --test "$dir/rules.test.mjs" >"$log" 2>&1; then
	cat "$log" >&2
	echo "lint-oas: a project rule did not fire on the copy of openapi.yaml that breaks it" >&2
	exit 1
fi
echo "spectral: each project rule fires on a copy of openapi.yaml that breaks it ($(grep -c '^  \[' "$dir/rules.test.mjs") cases)"
