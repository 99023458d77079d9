#!/usr/bin/env bash
# bench-report.sh BUILD — part (e) of `make bench`: `settle-report
# settlements` against `mariadb --batch` printing the same rows from the
# same SELECT, in the same run, on the same database.
#
# For each size (BENCH_R_SMALL, default 100000 settlements; BENCH_R,
# default 1000000, 0 skips it):
#   1. the fixture (scripts/bench-report-gen.sql) into settle_bench_r;
#   2. settle-report settlements --from 2026-10-01 --to 2026-10-31 and
#      mariadb --batch with the report's SELECT (bounds as literals), both
#      to /dev/null, each the best of BENCH_R_RUNS (3) runs: wall seconds,
#      peak RSS (/usr/bin/time -f %M); the ratio settle-report / mariadb
#      (target <= 1.2) and the two peaks (flat: settle-report's must not
#      grow with the rows);
#   3. (the small size) the two outputs hold the same rows: the CSV parsed
#      back (Python's csv module) and compared with mariadb's tab-separated
#      text, totals row aside.
# Run on its own: scripts/bench-report.sh build (the DB must be up).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
SMALL=${BENCH_R_SMALL:-100000}
BIG=${BENCH_R:-1000000}
RUNS=${BENCH_R_RUNS:-3}

scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
run_dir="$top/var/run/bench-r"
mkdir -p "$run_dir"
conf="$run_dir/settle_bench_r.conf"
sed "s/^name = .*/name = settle_bench_r/" var/settle.conf >"$conf"

# The report's SELECT (libsettle/adapters/mysql/report_queries.c,
# report_settlements_sql) with its two bounds: 2026-10-01..31 KST in UTC.
select_sql="SELECT s.public_id, DATE_FORMAT(s.created_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i:%s'), s.pod_id,
	COALESCE(p.title, ''), s.leader_id, s.currency, s.total, s.fee, s.supply, s.vat, s.leader_share, s.clawed_back,
	COALESCE(po.public_id, ''), COALESCE(po.status, ''), s.status
	FROM settlements s LEFT JOIN pods p ON p.pod_id = s.pod_id
	LEFT JOIN payout_items i ON i.item_kind = 'SETTLEMENT' AND i.item_id = s.id AND i.live = 1
	LEFT JOIN payouts po ON po.id = i.payout_id
	WHERE s.created_at >= '2026-09-30 15:00:00.000000' AND s.created_at < '2026-10-31 15:00:00.000000'
	ORDER BY s.created_at, s.id"
grep -q "FROM settlements s LEFT JOIN pods p ON p.pod_id = s.pod_id" libsettle/adapters/mysql/report_queries.c ||
	{ echo "bench: the report's SELECT changed; update select_sql in $0" >&2; exit 1; }

secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# best NAME CMD…: the best wall time of RUNS runs (and that run's peak RSS) in $run_dir/NAME.best
best() {
	local name=$1 i
	shift
	: >"$run_dir/$name.all"
	for i in $(seq 1 "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$run_dir/$name.time" "$@" >/dev/null
		cat "$run_dir/$name.time" >>"$run_dir/$name.all"
	done
	sort -n "$run_dir/$name.all" | head -1 >"$run_dir/$name.best"
}

one_size() {
	local n=$1 s e gen rep_s rep_m db_s db_m rows
	sql -e "DROP DATABASE IF EXISTS settle_bench_r; CREATE DATABASE settle_bench_r CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	SETTLE_CONFIG=$conf "$bin/settle-db" -q migrate
	s=$(date +%s%N)
	{ echo "SET @n = $n;"; cat scripts/bench-report-gen.sql; } | sql settle_bench_r
	e=$(date +%s%N)
	gen=$(secs $((e - s)))
	rows=$(SETTLE_CONFIG=$conf "$bin/settle-report" settlements --from 2026-10-01 --to 2026-10-31 | wc -l)
	[ "$rows" = $((n + 2)) ] || { echo "bench: settle-report printed $rows lines for $n settlements" >&2; exit 1; }
	echo "(e) $n settlements (generated in $gen s)"
	best report env SETTLE_CONFIG="$conf" "$bin/settle-report" settlements --from 2026-10-01 --to 2026-10-31
	best mariadb env MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle --batch settle_bench_r \
		-e "$select_sql"
	read -r rep_s rep_m <"$run_dir/report.best"
	read -r db_s db_m <"$run_dir/mariadb.best"
	printf '    settle-report settlements: %6.2f s, peak RSS %6d KiB\n' "$rep_s" "$rep_m"
	printf '    mariadb --batch:           %6.2f s, peak RSS %6d KiB\n' "$db_s" "$db_m"
	printf '    ratio %s (target <= 1.2)\n' "$(ratio "$rep_s" "$db_s")"
	echo "$n $rep_m $db_m" >>"$run_dir/rss"
	if [ "$n" = "$SMALL" ]; then
		SETTLE_CONFIG=$conf "$bin/settle-report" settlements --from 2026-10-01 --to 2026-10-31 >"$run_dir/report.csv"
		sql settle_bench_r --batch -N -e "$select_sql" >"$run_dir/mariadb.tsv"
		# mariadb --batch escapes tabs, newlines and backslashes in values; the fixture has none
		python3 -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
out = open(sys.argv[2], "w", encoding="utf-8")
for r in rows[1:-1]:
    out.write("\t".join(r) + "\n")' "$run_dir/report.csv" "$run_dir/report.tsv"
		if cmp -s "$run_dir/report.tsv" "$run_dir/mariadb.tsv"; then
			echo "    the same $n rows (CSV parsed back = mariadb's text)"
		else
			echo "    rows DIFFER: diff $run_dir/report.tsv $run_dir/mariadb.tsv" >&2
			exit 1
		fi
	fi
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "build: $build ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
: >"$run_dir/rss"
one_size "$SMALL"
if [ "$BIG" -gt 0 ]; then
	one_size "$BIG"
	awk 'NR == 1 { r = $2; m = $3 } NR == 2 { printf "    peak RSS %d -> %d rows: settle-report %d -> %d KiB, mariadb --batch %d -> %d KiB\n",
		prev, $1, r, $2, m, $3 } { prev = $1 }' "$run_dir/rss"
else
	echo "    (BENCH_R=0: the 1 000 000 step skipped)"
fi
sql -e "DROP DATABASE IF EXISTS settle_bench_r"
