#!/usr/bin/env bash
# bench-seal.sh BUILD — part (g) of `make bench`: ledger-seal throughput.
#
# For each size (BENCH_S_SMALL, default 100000 payments; BENCH_S, default
# 1000000, 0 skips it): the settlement fixture (scripts/bench-settlement-gen.sql,
# about 1.02 entries per payment) into settle_bench_s, then
#   1. one ledger-seal over every entry: entries/s, blocks, peak RSS (the
#      fixture's entries are written by SQL, so they carry no stored hash:
#      this is the first-run path that hashes them from their content,
#      which also reads every posting, as the path for hashed entries does);
#   2. a second ledger-seal with nothing to seal (the cost of the timer's
#      idle run);
#   3. ledger-check --seals --digest (every invariant, every entry hash,
#      every block): entries/s.
# Run on its own: scripts/bench-seal.sh build (the DB must be up).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
SMALL=${BENCH_S_SMALL:-100000}
BIG=${BENCH_S:-1000000}

scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
run_dir="$top/var/run/bench-s"
mkdir -p "$run_dir"
conf="$run_dir/settle_bench_s.conf"
sed "s/^name = .*/name = settle_bench_s/" var/settle.conf >"$conf"
export SETTLE_CONFIG="$conf"

secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", (ns > 0 ? n / (ns / 1e9) : 0) }'; }

# timed NAME PROGRAM ARGS…: sets ns (wall) and rss (KiB) of one run.
timed() {
	local name=$1 s e
	shift
	s=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$run_dir/$name.rss" "$bin/$1" "${@:2}" >"$run_dir/$name.out" 2>&1 ||
		{ echo "bench: $* failed" >&2; cat "$run_dir/$name.out" >&2; exit 1; }
	e=$(date +%s%N)
	ns=$((e - s))
	rss=$(tail -1 "$run_dir/$name.rss")
}

one_size() {
	local n=$1 enc entries blocks digest
	sql -e "DROP DATABASE IF EXISTS settle_bench_s; CREATE DATABASE settle_bench_s CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	"$bin/settle-db" -q migrate
	"$bin/settle-db" -q load-leaders fixtures/leaders.csv
	enc=$(sql -N settle_bench_s -e "SELECT HEX(account_enc) FROM leaders WHERE account_enc IS NOT NULL ORDER BY id LIMIT 1")
	sql settle_bench_s -e "DELETE FROM leaders"
	{ echo "SET @n = $n, @enc = UNHEX('$enc');"; cat scripts/bench-settlement-gen.sql; } | sql settle_bench_s
	entries=$(sql -N settle_bench_s -e "SELECT COUNT(*) FROM journal_entries")

	timed seal ledger-seal -q
	blocks=$(sql -N settle_bench_s -e "SELECT COUNT(*) FROM seal_blocks")
	[ "$(sql -N settle_bench_s -e "SELECT COUNT(*) FROM seal_block_entries")" = "$entries" ] ||
		{ echo "bench: not every entry was sealed" >&2; exit 1; }
	printf '(g) ledger-seal, %d payments: %d entries in %d blocks in %s s = %s entries/s, peak RSS %s KiB\n' \
		"$n" "$entries" "$blocks" "$(secs "$ns")" "$(rate "$entries" "$ns")" "$rss"
	timed idle ledger-seal -q
	printf '    a second run with nothing to seal: %s s\n' "$(secs "$ns")"
	digest=$("$bin/ledger-seal" --digest)
	timed check ledger-check -q --seals --digest "$digest"
	printf '    ledger-check --seals --digest: %s s = %s entries/s, peak RSS %s KiB\n' "$(secs "$ns")" \
		"$(rate "$entries" "$ns")" "$rss"
}

one_size "$SMALL"
if [ "$BIG" -gt 0 ]; then
	one_size "$BIG"
fi
sql -e "DROP DATABASE IF EXISTS settle_bench_s"
