#!/usr/bin/env bash
# bench.sh BUILD — `make bench`: pay-capture against the loopback sandbox on
# the private MariaDB (database settle_bench, made anew each run).
#
#   (a) one pay-capture process per order, sequential: p50 / p99 latency
#   (b) 8 pay-capture processes at once: confirms per second
#   (c) pay-capture --sweep finishing in-doubt confirmations: confirms per
#       second, and its peak memory at two backlog sizes (it must not grow)
#
#   (d) escrow-release and settle-run against their pure-SQL floor
#       (scripts/bench-settlement.sh)
#
#   (e) settle-report settlements against mariadb --batch (scripts/bench-report.sh)
#
#   (f) pay-webhookd under wrk with valid duplicate events (scripts/bench-webhook.sh)
#   (g) ledger-seal throughput in entries/s (scripts/bench-seal.sh)
#   (i) settle-apid: look-ups under wrk, confirms through the API against
#       one pay-capture process per order (scripts/bench-api.sh)
#
# Sizes: BENCH_A (1000), BENCH_B (20000), BENCH_C (20000), BENCH_D_SMALL
# (100000), BENCH_D (1000000; 0 skips it), BENCH_S_SMALL (100000), BENCH_S
# (1000000; 0 skips it). Figures are
# printed; copy them into BENCHMARKS.md with the machine they ran on.
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
A=${BENCH_A:-1000}
B=${BENCH_B:-20000}
C=${BENCH_C:-20000}

scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
export SETTLE_CONFIG="$top/var/bench.conf"

portfile="$top/var/run/bench-sandbox.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
secret="test_sk_bench"
(umask 077; echo "$secret" >var/secrets/bench-toss-secret)
auth="Authorization: Basic $(printf '%s:' "$secret" | base64)"

fresh_db() {
	sql -e "DROP DATABASE IF EXISTS settle_bench; CREATE DATABASE settle_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	sed 's/^name = .*/name = settle_bench/' var/settle.conf >"$SETTLE_CONFIG"
	cat >>"$SETTLE_CONFIG" <<-CONF

		[payments]
		confirm_sweep_age_s = 0
		sweep_concurrency = ${BENCH_SWEEP_CONCURRENCY:-16}
		sweep_batch = ${BENCH_SWEEP_BATCH:-500}

		[toss]
		base_url = $base/toss
		secret_key_file = $top/var/secrets/bench-toss-secret
	CONF
	"$bin/settle-db" -q migrate
	curl -sS -X POST "$base/_sandbox/reset" >/dev/null
}

# orders PREFIX N: N PENDING orders of 50000 KRW, made in SQL (the order
# path is not what is measured), and the browser's checkout at the sandbox
# for each, through one keep-alive curl. Writes PREFIX.keys: "order key".
orders() {
	local prefix=$1 n=$2 cfg="var/run/$1.curl"
	sql settle_bench -e "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg,
		status, created_at, updated_at) SELECT CONCAT('pay_${prefix}_', seq), CONCAT('${prefix}-', LPAD(seq, 6, '0')),
		'pod-bench', CONCAT('u', seq), 50000, 'KRW', 'CARD', 'toss', 'PENDING', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
		FROM seq_1_to_$n"
	: >"$cfg"
	for i in $(seq 1 "$n"); do
		printf 'url = "%s/_sandbox/checkout"\ndata = "{\\"pg\\":\\"toss\\",\\"orderId\\":\\"%s-%06d\\",\\"amount\\":50000,\\"method\\":\\"CARD\\"}"\nheader = "Content-Type: application/json"\nwrite-out = "\\n"\nnext\n' \
			"$base" "$prefix" "$i" >>"$cfg"
	done
	sed -i '$ d' "$cfg" # no "next" after the last request
	curl -sS -K "$cfg" | sed -n 's/.*"paymentKey":"\([^"]*\)".*/\1/p' |
		awk -v p="$prefix" '{ printf "%s-%06d %s\n", p, NR, $1 }' >"var/run/$prefix.keys"
	[ "$(wc -l <"var/run/$prefix.keys")" = "$n" ] || { echo "bench: checkout failed" >&2; exit 1; }
}

pct() { sort -n | awk -v p="$1" '{ a[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; print a[i] }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "build: $build ($(cd "$top" && git rev-parse --short HEAD 2>/dev/null || echo unknown))"

# ---------------------------------------------------------------- (a)
fresh_db
orders a "$A"
: >var/run/a.lat
while read -r order key; do
	s=$(date +%s%N)
	"$bin/pay-capture" -q --order "$order" --payment-key "$key" --amount 50000 >/dev/null
	e=$(date +%s%N)
	echo $(((e - s) / 1000)) >>var/run/a.lat
done <var/run/a.keys
done_a=$(sql settle_bench -N -e "SELECT COUNT(*) FROM payments WHERE status = 'COMPLETED'")
printf '(a) one process per order, %d orders (%s completed): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n' "$A" "$done_a" \
	"$(pct 50 <var/run/a.lat | awk '{ print $1 / 1000 }')" "$(pct 99 <var/run/a.lat | awk '{ print $1 / 1000 }')" \
	"$(pct 100 <var/run/a.lat | awk '{ print $1 / 1000 }')"

# ---------------------------------------------------------------- (b)
fresh_db
orders b "$B"
s=$(date +%s%N)
xargs -P 8 -L 1 sh -c '"$0" -q --order "$1" --payment-key "$2" --amount 50000 >/dev/null || exit 255' "$bin/pay-capture" \
	<var/run/b.keys
e=$(date +%s%N)
done_b=$(sql settle_bench -N -e "SELECT COUNT(*) FROM payments WHERE status = 'COMPLETED'")
printf '(b) 8 processes at once, %d orders (%s completed): %.0f confirms/s over %.1f s\n' "$B" "$done_b" \
	"$(awk -v n="$done_b" -v ns=$((e - s)) 'BEGIN { print n / (ns / 1e9) }')" "$(awk -v ns=$((e - s)) 'BEGIN { print ns / 1e9 }')"

# ---------------------------------------------------------------- (c)
# In doubt: the PG confirmed (we confirm at the sandbox directly) but
# settle never heard back, so every order sits in CONFIRMING.
sweep_run() {
	local n=$1 cfg="var/run/c.curl"
	fresh_db
	orders c "$n"
	: >"$cfg"
	while read -r order key; do
		printf 'url = "%s/toss/v1/payments/confirm"\ndata = "{\\"paymentKey\\":\\"%s\\",\\"orderId\\":\\"%s\\",\\"amount\\":50000}"\nheader = "Content-Type: application/json"\nheader = "%s"\nheader = "Idempotency-Key: confirm-%s"\noutput = "/dev/null"\nnext\n' \
			"$base" "$key" "$order" "$auth" "$order" >>"$cfg"
	done <var/run/c.keys
	sed -i '$ d' "$cfg"
	curl -sS -K "$cfg"
	sql settle_bench -e "UPDATE payments p SET status = 'CONFIRMING', confirm_key = CONCAT('confirm-', order_id),
		updated_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE status = 'PENDING'"
	while read -r order key; do echo "UPDATE payments SET payment_key = '$key' WHERE order_id = '$order';"; done \
		<var/run/c.keys | sql settle_bench
	s=$(date +%s%N)
	/usr/bin/time -f '%M' -o var/run/c.rss "$bin/pay-capture" -q --sweep >/dev/null
	e=$(date +%s%N)
	done_c=$(sql settle_bench -N -e "SELECT COUNT(*) FROM payments WHERE status = 'COMPLETED'")
	printf '(c) sweep of %d in-doubt confirms (%s completed): %.0f confirms/s over %.1f s, peak RSS %s KiB\n' "$n" \
		"$done_c" "$(awk -v n="$done_c" -v ns=$((e - s)) 'BEGIN { print n / (ns / 1e9) }')" \
		"$(awk -v ns=$((e - s)) 'BEGIN { print ns / 1e9 }')" "$(cat var/run/c.rss)"
	"$bin/ledger-check" -q || { echo "bench: ledger-check failed after the sweep" >&2; exit 1; }
}
sweep_run $((C / 10))
sweep_run "$C"

# ---------------------------------------------------------------- (d)
# escrow-release and settle-run over a generated world against the pure-SQL
# floor (sizes BENCH_D_SMALL, BENCH_D; BENCH_D=0 skips the 1 M step).
scripts/bench-settlement.sh "$build"

# ---------------------------------------------------------------- (e)
# settle-report settlements against mariadb --batch printing the same rows
# (sizes BENCH_R_SMALL, BENCH_R; BENCH_R=0 skips the 1 M step).
scripts/bench-report.sh "$build"

# ---------------------------------------------------------------- (f)
# pay-webhookd under wrk with valid duplicate events (scripts/bench-webhook.sh).
scripts/bench-webhook.sh "$build"

# ---------------------------------------------------------------- (g)
# ledger-seal over the settlement fixture's entries (sizes BENCH_S_SMALL,
# BENCH_S; BENCH_S=0 skips the 1 M step).
scripts/bench-seal.sh "$build"

# ---------------------------------------------------------------- (h)
# settle-notify into the sandbox's SMTP receiver (BENCH_N, 100 000) and
# settle-watch over the 1 M-payment fixture (BENCH_W; 0 skips it).
scripts/bench-notify.sh "$build"

# ---------------------------------------------------------------- (i)
# settle-apid: look-ups under wrk, confirms in-process against one
# pay-capture per order (scripts/bench-api.sh).
scripts/bench-api.sh "$build"
