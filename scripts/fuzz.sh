#!/usr/bin/env bash
# fuzz.sh BUILD SECONDS TARGET... — runs each libFuzzer binary BUILD/fuzz_TARGET
# for SECONDS, from a working copy of tests/fuzz/corpus/TARGET plus the
# regression inputs of tests/fuzz/regressions/TARGET (the tree's corpus is
# never written to). Prints one line per target (executions, corpus size,
# crashes) and writes them to BUILD/fuzz-summary.txt; a crash's input is
# left in BUILD/crashes/TARGET/. Exits 1 when any target crashed.
set -uo pipefail

build=$1 seconds=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

summary=$build/fuzz-summary.txt
: > "$summary"
failed=0
printf '%-18s %12s %10s %8s %s\n' target executions exec/s crashes corpus | tee -a "$summary"
for t in "$@"; do
	work=$build/corpus/$t crashes=$build/crashes/$t log=$build/logs/$t.log
	mkdir -p "$work" "$crashes" "$(dirname "$log")"
	cp -n tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
	[ -d tests/fuzz/regressions/"$t" ] && cp -n tests/fuzz/regressions/"$t"/* "$work"/ 2>/dev/null
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "$work" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	ncrash=$(find "$crashes" -type f | wc -l)
	[ "$rc" != 0 ] && [ "$ncrash" = 0 ] && ncrash="rc=$rc"
	[ "$rc" != 0 ] && failed=1
	printf '%-18s %12s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$ncrash" "$(ls "$work" | wc -l)" |
		tee -a "$summary"
done
[ "$failed" = 0 ] || echo "fuzz: a target crashed; see $build/logs/ and $build/crashes/" >&2
exit "$failed"
