#!/usr/bin/env bash
# bench-galera.sh BUILD — `make bench-galera` (not part of `make bench`):
# settle-run over the BENCH_GALERA_N-payment world (default 100 000, the
# world of scripts/bench-settlement-gen.sql) on the 3-node loopback Galera
# cluster with one runner and with three (one per node), against the single
# private server in the same run; the three times, the certification
# conflicts retried, and the three results compared by digest.
# The cluster is started if needed and taken down again at the end.
set -uo pipefail

. "$(dirname "$0")/galera-lib.sh" "$@"
N=${BENCH_GALERA_N:-100000}
logs="$run_dir/bench"
rm -rf "$logs"
mkdir -p "$logs"
failed=0
scripts/galera.sh status >/dev/null 2>&1 && was_up=1 || was_up=0
scripts/galera.sh up >/dev/null || exit 1
finish() { [ "$was_up" = 1 ] || scripts/galera.sh down; }
trap finish EXIT
scripts/db.sh up >/dev/null

# timed NAME T DB PROGRAM: one run, its wall time into $logs/NAME.time.
timed() {
	SETTLE_CONFIG=$(tconf "$2" "$3") /usr/bin/time -f '%e' -o "$logs/$1.time" "$bin/$4" -v \
		>"$logs/$1.out" 2>"$logs/$1.err" || { echo "bench-galera: $4 failed on $2/$3: $(tail -1 "$logs/$1.err")" >&2; failed=1; }
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); build $build ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "(galera) $N payments, $((N / 10)) pods, $((N / 20)) leaders"
world p settle_gb_one "$N" && world 1 settle_gb_1 "$N" && world 1 settle_gb_3 "$N" || { echo "bench-galera: world failed" >&2; exit 1; }
timed rel-one p settle_gb_one escrow-release
timed rel-1 1 settle_gb_1 escrow-release
# three NAME PROGRAM: one runner per node at once on settle_gb_3; the wall
# time into the variable NAME.
three() {
	local s i pids=()
	s=$(date +%s%N)
	for i in 1 2 3; do
		SETTLE_CONFIG=$(tconf "$i" settle_gb_3) "$bin/$2" -v >"$logs/$1-n$i.out" 2>"$logs/$1-n$i.err" &
		pids+=($!)
	done
	for i in 1 2 3; do
		wait "${pids[$((i - 1))]}" || { echo "    $2 on node$i failed: $(grep -v 'level=' "$logs/$1-n$i.err" | tail -1)"; failed=1; }
	done
	printf -v "$1" '%s' "$(secs $(($(date +%s%N) - s)))"
}
three rel3 escrow-release
timed run-one p settle_gb_one settle-run
timed run-1 1 settle_gb_1 settle-run
three run3 settle-run
printf '    escrow-release: one server %6.2f s; cluster, one runner (node1) %6.2f s; cluster, three runners %6.2f s (retried: %s)\n' \
	"$(cat "$logs/rel-one.time")" "$(cat "$logs/rel-1.time")" "$rel3" "$(retries "$logs"/rel3-n*.err)"
printf '    settle-run:     one server %6.2f s; cluster, one runner (node1) %6.2f s; cluster, three runners (one per node) %6.2f s\n' \
	"$(cat "$logs/run-one.time")" "$(cat "$logs/run-1.time")" "$run3"
echo "    conflicts retried (db.retries): one runner $(retries "$logs/run-1.err"), three runners $(retries "$logs"/run3-n*.err) (node1 $(retries "$logs/run3-n1.err"), node2 $(retries "$logs/run3-n2.err"), node3 $(retries "$logs/run3-n3.err"))"
same "cluster, one runner vs one server" p settle_gb_one 1 settle_gb_1 | sed 's/^  /    /' || failed=1
same "cluster, three runners vs one server" p settle_gb_one 1 settle_gb_3 | sed 's/^  /    /' || failed=1
clean=1
for i in 1 2 3; do
	SETTLE_CONFIG=$(tconf "$i" settle_gb_3) "$bin/ledger-check" -q >"$logs/check-n$i.out" 2>&1 ||
		{ echo "    ledger-check FAILS on node$i: $(grep -c . "$logs/check-n$i.out") line(s), first: $(head -1 "$logs/check-n$i.out")"; clean=0; failed=1; }
done
[ $clean = 1 ] && echo "    ledger-check clean on every node (three runners)"
# A failed run keeps its databases (and the cluster's data) to look at.
if [ $failed = 0 ]; then
	tsql 1 -e "DROP DATABASE IF EXISTS settle_gb_1; DROP DATABASE IF EXISTS settle_gb_3"
	tsql p -e "DROP DATABASE IF EXISTS settle_gb_one"
else
	echo "    (kept for a look: settle_gb_1 and settle_gb_3 on the cluster, settle_gb_one on the private server; logs in var/galera/run/bench)"
fi
exit $failed
