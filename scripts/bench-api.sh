#!/usr/bin/env bash
# bench-api.sh BUILD — settle-apid under load (issue 13), on the private
# MariaDB (database settle_bench_api, made anew) and the loopback sandbox:
#
#   (f) GET /api/v1/payments/{id} with a valid bearer token, wrk on loopback:
#       requests/s and latency percentiles (target ≥ 5 000/s, p99 < 20 ms)
#   (g) confirms: BENCH_G orders confirmed through the API (one keep-alive
#       connection, then 8 at once) against one pay-capture process per
#       order (sequential, then 8 at once): confirms/s (target ≥ 3 ×)
#
# Sizes: BENCH_G (500), BENCH_F_SECONDS (10), BENCH_F_CONNECTIONS (32).
# Figures are printed; copy them into BENCHMARKS.md with the machine.
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
G=${BENCH_G:-500}
FS=${BENCH_F_SECONDS:-10}
FC=${BENCH_F_CONNECTIONS:-32}
. scripts/mint-jwt.sh

command -v wrk >/dev/null || { echo "bench-api: wrk is not installed (Debian package wrk)" >&2; exit 69; }
scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
export SETTLE_CONFIG="$top/var/bench-api.conf"

portfile="$top/var/run/bench-api-sandbox.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" 2>/dev/null &
sandbox=$!
apid=
cleanup() {
	[ -n "$apid" ] && { kill "$apid" 2>/dev/null; wait "$apid" 2>/dev/null || true; }
	kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
port=$((20000 + RANDOM % 20000))
api="http://127.0.0.1:$port"
(umask 077; echo "test_sk_bench" >var/secrets/bench-toss-secret; cp fixtures/api/jwt-test-hs256.secret var/secrets/bench-api-hs256)
iss=https://study.example/auth aud=settle-api

sql -e "DROP DATABASE IF EXISTS settle_bench_api; CREATE DATABASE settle_bench_api CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
sed 's/^name = .*/name = settle_bench_api/' var/settle.conf >"$SETTLE_CONFIG"
cat >>"$SETTLE_CONFIG" <<CONF

[toss]
base_url = $base/toss
secret_key_file = $top/var/secrets/bench-toss-secret

[api]
issuer = $iss
audience = $aud
hs256_key_file = $top/var/secrets/bench-api-hs256
hs256_kid = hs1
listen = 127.0.0.1:$port
threads = ${BENCH_API_THREADS:-4}
rate_per_s = 1000000
rate_burst = 1000000
CONF
"$bin/settle-db" -q migrate
curl -sS -X POST "$base/_sandbox/reset" >/dev/null

echo "machine: $(nproc) cores; build: $build ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)); api threads ${BENCH_API_THREADS:-4}"
"$bin/settle-apid" 2>var/log/bench-apid.log &
apid=$!
for _ in $(seq 1 100); do curl -sf "$api/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# ---------------------------------------------------------------- (f)
sql settle_bench_api -e "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg,
	status, created_at, updated_at) VALUES ('pay_bench_lookup', 'bench-lookup-1', 'pod-bench', 'u-look', 50000, 'KRW',
	'CARD', 'toss', 'PENDING', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
tok=$(mint_jwt hs256 fixtures/api/jwt-test-hs256.secret hs1 u-look user "$iss" "$aud")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$api/api/v1/payments/pay_bench_lookup")" = 200 ] ||
	{ echo "bench-api: the look-up does not answer 200" >&2; exit 1; }
wrk -t2 -c"$FC" -d"${FS}s" --latency -H "Authorization: Bearer $tok" "$api/api/v1/payments/pay_bench_lookup" >var/run/f.wrk
rps=$(awk '/^Requests\/sec/ { print $2 }' var/run/f.wrk)
lat() { awk -v p="$1" '$1 == p { print $2 }' var/run/f.wrk; }
non2xx=$(awk '/Non-2xx/ { print $NF }' var/run/f.wrk)
printf '(f) GET /api/v1/payments/{id}, wrk %d connections %ds: %.0f requests/s, p50 %s, p90 %s, p99 %s%s\n' "$FC" "$FS" \
	"$rps" "$(lat 50%)" "$(lat 90%)" "$(lat 99%)" "${non2xx:+, non-2xx $non2xx}"

# ---------------------------------------------------------------- (g)
# orders PREFIX N: PENDING orders (SQL: ordering is not measured), one user
# each (u-PREFIX-i), and the browser's checkout at the sandbox for each.
orders() {
	local prefix=$1 n=$2 cfg="var/run/$1.curl"
	sql settle_bench_api -e "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg,
		status, created_at, updated_at) SELECT CONCAT('pay_${prefix}_', seq), CONCAT('${prefix}-', LPAD(seq, 6, '0')),
		'pod-bench', CONCAT('u-${prefix}-', seq), 50000, 'KRW', 'CARD', 'toss', 'PENDING', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
		FROM seq_1_to_$n"
	: >"$cfg"
	for i in $(seq 1 "$n"); do
		printf 'url = "%s/_sandbox/checkout"\ndata = "{\\"pg\\":\\"toss\\",\\"orderId\\":\\"%s-%06d\\",\\"amount\\":50000,\\"method\\":\\"CARD\\"}"\nheader = "Content-Type: application/json"\nwrite-out = "\\n"\nnext\n' \
			"$base" "$prefix" "$i" >>"$cfg"
	done
	sed -i '$ d' "$cfg"
	curl -sS -K "$cfg" | sed -n 's/.*"paymentKey":"\([^"]*\)".*/\1/p' |
		awk -v p="$prefix" '{ printf "%s-%06d %s %d\n", p, NR, $1, NR }' >"var/run/$prefix.keys"
	[ "$(wc -l <"var/run/$prefix.keys")" = "$n" ] || { echo "bench-api: checkout failed" >&2; exit 1; }
}
# api_cfg PREFIX: one curl config of confirms through the API, each with
# its user's token and its own Idempotency-Key.
api_cfg() {
	local prefix=$1 cfg="var/run/$1.api"
	: >"$cfg"
	while read -r order key i; do
		t=$(mint_jwt hs256 fixtures/api/jwt-test-hs256.secret hs1 "u-$prefix-$i" user "$iss" "$aud" 7200)
		printf 'url = "%s/api/v1/payments/confirm"\ndata = "{\\"paymentKey\\":\\"%s\\",\\"orderId\\":\\"%s\\",\\"amount\\":50000}"\nheader = "Content-Type: application/json"\nheader = "Authorization: Bearer %s"\nheader = "Idempotency-Key: confirm-%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n' \
			"$api" "$key" "$order" "$t" "$order" >>"$cfg"
	done <"var/run/$prefix.keys"
	sed -i '$ d' "$cfg"
}
completed() { sql settle_bench_api -N -e "SELECT COUNT(*) FROM payments WHERE status = 'COMPLETED' AND order_id LIKE '$1-%'"; }
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }

orders gp "$G"
s=$(date +%s%N)
while read -r order key _; do "$bin/pay-capture" -q --order "$order" --payment-key "$key" --amount 50000 >/dev/null; done <var/run/gp.keys
e=$(date +%s%N); p1=$(rate "$(completed gp)" $((e - s)))
orders gq "$G"
s=$(date +%s%N)
awk '{ print $1, $2 }' var/run/gq.keys | xargs -P 8 -L 1 sh -c '"$0" -q --order "$1" --payment-key "$2" --amount 50000 >/dev/null' "$bin/pay-capture"
e=$(date +%s%N); p8=$(rate "$(completed gq)" $((e - s)))
orders ga "$G"; api_cfg ga
s=$(date +%s%N)
curl -sS -K var/run/ga.api >var/run/ga.codes
e=$(date +%s%N); a1=$(rate "$(completed ga)" $((e - s)))
orders gb "$G"; api_cfg gb
s=$(date +%s%N)
curl -sS --no-progress-meter --parallel --parallel-max 8 -K var/run/gb.api >var/run/gb.codes
e=$(date +%s%N); a8=$(rate "$(completed gb)" $((e - s)))
bad=$(cat var/run/ga.codes var/run/gb.codes | grep -vc '^200$' || true)
printf '(g) confirms of %d orders: pay-capture per order %s/s (8 at once %s/s); settle-apid %s/s (8 at once %s/s): %.1f × and %.1f ×%s\n' \
	"$G" "$p1" "$p8" "$a1" "$a8" "$(awk -v a="$a1" -v p="$p1" 'BEGIN { print a / p }')" \
	"$(awk -v a="$a8" -v p="$p8" 'BEGIN { print a / p }')" "$([ "$bad" = 0 ] || echo "; $bad non-200 answers")"
"$bin/ledger-check" -q || { echo "bench-api: ledger-check failed" >&2; exit 1; }
