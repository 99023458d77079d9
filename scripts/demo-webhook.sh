#!/usr/bin/env bash
# demo-webhook.sh BUILD — pay-webhookd's part of `make demo`, run by demo.sh
# with SETTLE_CONFIG pointing at var/demo.conf: a virtual-account payment
# completed by the PG's deposit webhook (the sandbox sends it as Toss does),
# a redelivery that changes nothing, a forged one refused, and a graceful
# stop.
set -euo pipefail
. "$(dirname "$0")/demo-lib.sh" "$@"
sql() { owner_sql "$@"; }

portfile="$top/var/run/sandbox-webhook.port"
rm -f "$portfile"
"$top/$build/bin/settle-sandbox" --port 0 --port-file "$portfile" --pods fixtures/pods.csv \
	2>"$top/var/log/sandbox-webhook.log" &
sandbox=$!
daemon=
cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null
	kill $sandbox 2>/dev/null
	wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
ctl() { curl -sS -X POST -H 'Content-Type: application/json' "$base/_sandbox/$1" -d "$2"; }
# What pay-webhookd answered the sandbox (the body sent holds the secret: not shown).
answered() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("pay-webhookd answered", d["status"], d["answer"])'; }

# This part's own config: the demo's, pointed at this sandbox, plus [webhookd].
conf="$top/var/demo-webhook.conf"
sed "s|http://127\.0\.0\.1:[0-9]*|$base|g" "$SETTLE_CONFIG" >"$conf"
export SETTLE_CONFIG="$conf"

step "pay-webhookd on loopback (under systemd: settle-webhookd.socket passes the socket)"
for _ in 1 2 3 4 5; do
	port=$(shuf -i 20000-60000 -n 1)
	sed -i '/^\[webhookd\]/,$d' "$conf"
	printf '\n[webhookd]\nlisten = 127.0.0.1:%s\n' "$port" >>"$conf"
	"$bin/pay-webhookd" 2>"$top/var/log/webhookd.log" &
	daemon=$!
	for _ in $(seq 1 100); do
		curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$daemon" 2>/dev/null && break
	wait "$daemon" || true
	daemon=
done
[ -n "$daemon" ] || { echo "demo-webhook: pay-webhookd did not start" >&2; cat "$top/var/log/webhookd.log" >&2; exit 1; }
hooks="http://127.0.0.1:$port/webhooks/toss"
echo "listening on 127.0.0.1:$port (pid $daemon)"

step "a virtual-account order: captured, then waiting for the deposit"
order=$("$bin/pay-order" --pod pod-sql-201 --user user-wendy --method VIRTUAL_ACCOUNT); echo "order $order"
amount=$("$bin/pay-show" --json --order "$order" | sed -n 's/.*"amount":\([0-9]*\).*/\1/p' | head -1)
key=$(ctl checkout "{\"pg\":\"toss\",\"orderId\":\"$order\",\"amount\":$amount,\"method\":\"VIRTUAL_ACCOUNT\",\"currency\":\"KRW\"}" |
	sed -n 's/.*"paymentKey" *: *"\([^"]*\)".*/\1/p')
run "$bin/pay-capture" --order "$order" --payment-key "$key" --amount "$amount"

step "the customer deposits; Toss sends DEPOSIT_CALLBACK with the payment's secret"
ctl webhooks/send "{\"url\":\"$hooks\",\"kind\":\"deposit\",\"orderId\":\"$order\"}" | answered
for _ in $(seq 1 100); do
	st=$(sql -N -e "SELECT status FROM payments WHERE order_id = '$order'")
	[ "$st" = COMPLETED ] && break
	sleep 0.05
done
[ "$st" = COMPLETED ] || { echo "demo-webhook: the deposit webhook did not complete $order ($st)" >&2; exit 1; }
sql -t -e "SELECT p.order_id, p.status, e.status AS escrow, e.amount FROM payments p JOIN escrows e ON e.payment_id = p.id WHERE p.order_id = '$order'"

step "Toss delivers it again: stored once, nothing changes"
ctl webhooks/send "{\"url\":\"$hooks\",\"kind\":\"deposit\",\"orderId\":\"$order\",\"move\":false}" | answered
step "a forged callback (wrong secret): 401, nothing stored"
ctl webhooks/send "{\"url\":\"$hooks\",\"kind\":\"deposit\",\"orderId\":\"$order\",\"move\":false,\"secret\":\"forged\"}" | answered
sleep 0.2
sql -t -e "SELECT source, event_type, status, COALESCE(flag, '') AS flag, note FROM webhook_events ORDER BY id"

step "SIGTERM: pay-webhookd finishes what is in flight and exits 0"
kill -TERM "$daemon"
wait "$daemon"
echo "pay-webhookd exited $?"
daemon=
grep -E 'webhook\.(done|refused)|http\.(ready|stopped)' "$top/var/log/webhookd.log" | sed 's/^/  log: /'
