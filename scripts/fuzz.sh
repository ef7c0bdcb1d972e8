#!/usr/bin/env bash
# Runs each fuzz target (they live beside what they fuzz: FUZZ_PKGS) for FUZZTIME and proves that it fuzzed:
# prints how many inputs each target executed after its baseline (the seed
# corpus) and fails when one executed fewer than FUZZ_MIN_EXECS. Run by
# `make fuzz`. FUZZ_MIN_EXECS defaults to 100 per second of FUZZTIME: every
# target does hundreds to thousands per second, a stalled one almost none.
#
# -fuzzminimizetime is bounded (FUZZMINIMIZE, a count of executions): Go
# minimizes every input that finds new coverage, byte by byte, for up to 60 s
# by default, and reports no executions meanwhile; on kilobyte cassettes that
# took the whole budget and FuzzCassette fuzzed nothing. A crasher is still
# written, minimized as far as the bound allows.
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
fuzztime=${FUZZTIME:-20s}
minimize=${FUZZMINIMIZE:-200x}
case $fuzztime in
*s) per=$(( ${fuzztime%s} * 100 )) ;;
*m) per=$(( ${fuzztime%m} * 6000 )) ;;
*) per=1000 ;; # a count (Nx) or another unit
esac
min_execs=${FUZZ_MIN_EXECS:-$per}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
failed=0
pkgs=${FUZZ_PKGS:-./contract ./aisearch ./emulator}
for pkg in $pkgs; do
for t in $($go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
	echo "== $t ($fuzztime, minimization bounded to $minimize)"
	rc=0
	$go test -run '^$' -fuzz "^$t\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" "$pkg" 2>&1 | tee "$log" || rc=$?
	if [[ $rc -ne 0 ]]; then
		# Go's coordinator can fail a target with "context deadline
		# exceeded" as -fuzztime expires, having found nothing
		# (golang/go#75804). Anything else, or a failing input, is a failure.
		if grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written to' "$log"; then
			echo "fuzz.sh: $t: go test hit Go's fuzz-deadline race (golang/go#75804), no failing input; judged by its executions"
		else
			summary+=("$t: FAILED (see above)")
			failed=1
			continue
		fi
	fi
	baseline=$(grep -oE '(gathering baseline coverage|testing seed corpus): [0-9]+/[0-9]+ completed' "$log" | tail -1 | sed -E 's/.*: ([0-9]+)\/.*/\1/')
	total=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	fuzzed=$(( ${total:-0} - ${baseline:-0} ))
	line="$t: $fuzzed inputs executed after a baseline of ${baseline:-?}"
	if (( fuzzed < min_execs )); then
		line="$line: FAILED, fewer than $min_execs (FUZZ_MIN_EXECS): the target is stalled or far too slow"
		failed=1
	fi
	summary+=("$line")
done
done
echo "== fuzz summary ($fuzztime each)"
printf '%s\n' "${summary[@]}"
exit $failed
