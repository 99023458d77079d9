#!/usr/bin/env bash
# bench-settlement.sh BUILD — part (d) of `make bench`: escrow-release and
# settle-run over a generated world, against the pure-SQL floor.
#
# For each size (BENCH_D_SMALL, default 100000 payments; BENCH_D, default
# 1000000, 0 skips it):
#   1. the fixture (scripts/bench-settlement-gen.sql) once into settle_bench_d,
#      proved with ledger-check;
#   2. copy P: escrow-release then settle-run, each timed (wall, peak RSS);
#      copy F: the same rows by set-based SQL (scripts/bench-settlement-floor.sql),
#      timed per phase; the ratios program / floor (target ≤ 1.5×);
#   3. copy Q (released state copied from P before its settle-run): 4
#      settle-run processes at once, compared with P's single run by checksums
#      of settlements, payouts, payout items and postings per account; and
#      P and F are compared the same way (the floor writes the same money).
# Run on its own: scripts/bench-settlement.sh build (the DB must be up).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
SMALL=${BENCH_D_SMALL:-100000}
BIG=${BENCH_D:-1000000}

scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
run_dir="$top/var/run/bench-d"
mkdir -p "$run_dir"

# conf DB: a config for the programs on database DB.
conf() {
	local f="$run_dir/$1.conf"
	sed "s/^name = .*/name = $1/" var/settle.conf >"$f"
	printf '\n[escrow]\nhold_days = 7\n' >>"$f"
	echo "$f"
}

fresh() {
	sql -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	SETTLE_CONFIG=$(conf "$1") "$bin/settle-db" -q migrate
}

# copy SRC DST: DST migrated anew, then every table's rows copied (the
# ledger's triggers forbid UPDATE and DELETE, not INSERT).
copy() {
	local t q="SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0;"
	fresh "$2"
	for t in $(sql -N -e "SELECT table_name FROM information_schema.tables WHERE table_schema = '$1'
		AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'"); do
		q="$q INSERT INTO $2.$t SELECT * FROM $1.$t;"
	done
	# Generated columns cannot be inserted: name the stored columns.
	q=$(echo "$q" | sed "s/INSERT INTO $2.payments SELECT \* FROM $1.payments;/$(cols "$1" payments "$2")/;
		s/INSERT INTO $2.disputes SELECT \* FROM $1.disputes;/$(cols "$1" disputes "$2")/")
	sql -e "$q"
}
cols() {
	local c
	c=$(sql -N -e "SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position) FROM information_schema.columns
		WHERE table_schema = '$1' AND table_name = '$2' AND extra NOT LIKE '%GENERATED%'")
	echo "INSERT INTO $3.$2 ($c) SELECT $c FROM $1.$2;"
}

secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# timed NAME DB PROGRAM ARGS…: wall seconds and peak RSS of one program run.
timed() {
	local name=$1 db=$2
	shift 2
	SETTLE_CONFIG=$(conf "$db") /usr/bin/time -f '%e %M' -o "$run_dir/$name.time" "$bin/$1" -q "${@:2}" \
		>"$run_dir/$name.out" || { echo "bench: $1 failed on $db" >&2; cat "$run_dir/$name.out" >&2; exit 1; }
}

# digest DB: what settle-run and the floor must agree on
# (scripts/settlement-digest.sql).
digest() { sql -N "$1" <scripts/settlement-digest.sql; }
compare() { # compare LABEL DB1 DB2
	if diff <(digest "$2") <(digest "$3") >"$run_dir/diff" 2>&1; then
		echo "    $1: same ($(digest "$2" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }'))"
	else
		echo "    $1: DIFFERENT"
		sed 's/^/      /' "$run_dir/diff"
		failed=1
	fi
}

failed=0
one_size() {
	local n=$1 enc s e gen rel_s rel_m set_s set_m frel fset par
	# 1. the fixture
	fresh settle_bench_d
	SETTLE_CONFIG=$(conf settle_bench_d) "$bin/settle-db" -q load-leaders fixtures/leaders.csv
	enc=$(sql -N settle_bench_d -e "SELECT HEX(account_enc) FROM leaders WHERE account_enc IS NOT NULL ORDER BY id LIMIT 1")
	sql settle_bench_d -e "DELETE FROM leaders"
	s=$(date +%s%N)
	{ echo "SET @n = $n, @enc = UNHEX('$enc');"; cat scripts/bench-settlement-gen.sql; } | sql settle_bench_d
	e=$(date +%s%N)
	gen=$(secs $((e - s)))
	SETTLE_CONFIG=$(conf settle_bench_d) "$bin/ledger-check" -q ||
		{ echo "bench: ledger-check fails on the generated world" >&2; exit 1; }
	echo "(d) $n payments, $((n / 10)) pods, $((n / 20)) leaders: generated in $gen s, ledger-check clean"

	# 2. the programs on copy P …
	copy settle_bench_d settle_bench_dp
	timed release settle_bench_dp escrow-release
	copy settle_bench_dp settle_bench_dq # the released state, for the 4-way run
	timed settle settle_bench_dp settle-run
	read -r rel_s rel_m <"$run_dir/release.time"
	read -r set_s set_m <"$run_dir/settle.time"
	SETTLE_CONFIG=$(conf settle_bench_dp) "$bin/ledger-check" -q ||
		{ echo "bench: ledger-check fails after release and settle" >&2; failed=1; }
	# … and the floor on copy F
	copy settle_bench_d settle_bench_df
	sql settle_bench_df <scripts/bench-settlement-floor.sql
	s=$(date +%s%N)
	sql settle_bench_df -e "CALL bench_floor('release')"
	e=$(date +%s%N)
	frel=$(secs $((e - s)))
	s=$(date +%s%N)
	sql settle_bench_df -e "CALL bench_floor('settle')"
	e=$(date +%s%N)
	fset=$(secs $((e - s)))
	SETTLE_CONFIG=$(conf settle_bench_df) "$bin/ledger-check" -q ||
		{ echo "bench: ledger-check fails after the floor" >&2; failed=1; }
	printf '    escrow-release: %6.2f s, peak RSS %6d KiB; floor %6.2f s; ratio %s (target <= 1.5)\n' \
		"$rel_s" "$rel_m" "$frel" "$(ratio "$rel_s" "$frel")"
	printf '    settle-run:     %6.2f s, peak RSS %6d KiB; floor %6.2f s; ratio %s (target <= 1.5)\n' \
		"$set_s" "$set_m" "$fset" "$(ratio "$set_s" "$fset")"
	echo "    $(sed 's/^/escrow-release: /' "$run_dir/release.out" | tail -1)"
	echo "    $(sed 's/^/settle-run: /' "$run_dir/settle.out" | tail -1)"
	compare "programs vs floor" settle_bench_dp settle_bench_df

	# 3. four settle-run processes at once
	qconf=$(conf settle_bench_dq)
	s=$(date +%s%N)
	for i in 1 2 3 4; do
		SETTLE_CONFIG=$qconf "$bin/settle-run" -q >"$run_dir/par$i.out" 2>&1 &
	done
	par=0
	for i in 1 2 3 4; do wait -n || par=1; done
	e=$(date +%s%N)
	[ $par = 0 ] || { echo "bench: a parallel settle-run failed" >&2; cat "$run_dir"/par*.out >&2; failed=1; }
	echo "    4 settle-run at once: $(secs $((e - s))) s"
	compare "4 at once vs one" settle_bench_dp settle_bench_dq
	if SETTLE_CONFIG=$qconf "$bin/ledger-check" -q >"$run_dir/check-q.out" 2>&1; then
		echo "    ledger-check after the 4 at once: clean"
	else
		echo "    ledger-check after the 4 at once: FAILS ($(grep -c . "$run_dir/check-q.out") line(s), var/run/bench-d/check-q.out)"
		failed=1
	fi
	echo "$n $rel_m $set_m" >>"$run_dir/rss"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "build: $build ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
: >"$run_dir/rss"
one_size "$SMALL"
if [ "$BIG" -gt 0 ]; then
	one_size "$BIG"
	awk 'NR == 1 { r = $2; s = $3 } NR == 2 { printf "    peak RSS %d -> %d payments: escrow-release %d -> %d KiB, settle-run %d -> %d KiB\n",
		prev, $1, r, $2, s, $3 } { prev = $1 }' "$run_dir/rss"
else
	echo "    (BENCH_D=0: the 1 000 000 step skipped)"
fi
exit $failed
