#!/usr/bin/env bash
# bench-webhook.sh BUILD — part (f) of `make bench`: pay-webhookd under wrk
# on loopback with a valid duplicate event (the PG's retry of a Toss
# DEPOSIT_CALLBACK already stored): each request is read, its secret checked
# against the payment's, found stored, and answered 200 — the path a PG's
# retry storm takes. Prints requests/s and the latency percentiles (target
# on this machine: >= 5000 req/s, p99 < 20 ms).
#
# BENCH_W_SECONDS (10), BENCH_W_CONNECTIONS (32), BENCH_W_THREADS (2: wrk's),
# BENCH_W_SERVER_THREADS (4: [webhookd] threads).
# Run on its own: scripts/bench-webhook.sh build (the DB must be up).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
secs=${BENCH_W_SECONDS:-10}
conns=${BENCH_W_CONNECTIONS:-32}
wthreads=${BENCH_W_THREADS:-2}
sthreads=${BENCH_W_SERVER_THREADS:-4}

command -v wrk >/dev/null || { echo "bench-webhook: wrk is not installed (Debian package wrk)" >&2; exit 1; }
scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
conf="$top/var/bench-webhook.conf"
export SETTLE_CONFIG="$conf"

portfile="$top/var/run/bench-webhook-sandbox.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" --pods fixtures/pods.csv 2>/dev/null &
sandbox=$!
daemon=
trap '[ -n "$daemon" ] && kill $daemon 2>/dev/null; kill $sandbox 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
(umask 077; echo "test_sk_bench" >var/secrets/bench-toss-secret; echo "bench-study" >var/secrets/bench-study-token)

sql -e "DROP DATABASE IF EXISTS settle_bench_w; CREATE DATABASE settle_bench_w CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
port=$(shuf -i 20000-60000 -n 1)
sed 's/^name = .*/name = settle_bench_w/' var/settle.conf >"$conf"
cat >>"$conf" <<CONF

[payments]
default_pg = toss

[toss]
base_url = $base/toss
secret_key_file = $top/var/secrets/bench-toss-secret

[study]
base_url = $base
token_file = $top/var/secrets/bench-study-token

[webhookd]
listen = 127.0.0.1:$port
threads = $sthreads
CONF
"$bin/settle-db" -q migrate
"$bin/settle-db" -q load-pods fixtures/pods.csv

# One virtual-account payment, completed by its deposit webhook.
order=$("$bin/pay-order" --pod pod-algo-101 --user user-bench --method VIRTUAL_ACCOUNT)
key=$(curl -sS -X POST -H 'Content-Type: application/json' "$base/_sandbox/checkout" \
	-d "{\"pg\":\"toss\",\"orderId\":\"$order\",\"amount\":50000,\"method\":\"VIRTUAL_ACCOUNT\",\"currency\":\"KRW\"}" |
	sed -n 's/.*"paymentKey" *: *"\([^"]*\)".*/\1/p')
"$bin/pay-capture" -q --order "$order" --payment-key "$key" --amount 50000 >/dev/null
"$bin/pay-webhookd" -q 2>"$top/var/log/bench-webhookd.log" &
daemon=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
hooks="http://127.0.0.1:$port/webhooks/toss"
sent=$(curl -sS -X POST -H 'Content-Type: application/json' "$base/_sandbox/webhooks/send" \
	-d "{\"url\":\"$hooks\",\"kind\":\"deposit\",\"orderId\":\"$order\"}" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["status"]==200, d; print(d["sent"])')
for _ in $(seq 1 100); do
	[ "$(sql settle_bench_w -N -e "SELECT status FROM payments WHERE order_id = '$order'")" = COMPLETED ] && break
	sleep 0.05
done

lua="$top/var/run/bench-webhook.lua"
python3 - "$sent" >"$lua" <<'PY'
import json, sys
body = sys.argv[1]
print('wrk.method = "POST"')
print('wrk.body = ' + json.dumps(body))
print('wrk.headers["Content-Type"] = "application/json"')
print('done = function(summary, latency, requests)')
print('  io.write(string.format("non2xx=%d errors=%d\\n", summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))')
print('end')
PY
out=$(wrk -t"$wthreads" -c"$conns" -d"${secs}s" --latency -s "$lua" "$hooks")
echo "$out" | sed 's/^/  /'
rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
bad=$(echo "$out" | sed -n 's/^non2xx=\([0-9]*\) errors=\([0-9]*\)/\1+\2/p')
stored=$(sql settle_bench_w -N -e "SELECT COUNT(*) FROM webhook_events")
printf '(f) pay-webhookd, valid duplicate deposit callbacks (%d server threads, %d connections, %d s): %.0f req/s, p50 %s, p99 %s, non-2xx+errors %s, events stored %s\n' \
	"$sthreads" "$conns" "$secs" "$rps" "$p50" "$p99" "$bad" "$stored"
[ "$stored" = 1 ] || { echo "bench-webhook: duplicates were stored" >&2; exit 1; }
kill -TERM "$daemon"
wait "$daemon"
daemon=
