#!/usr/bin/env bash
# demo-reconcile.sh BUILD — the PG reconciliation part of `make demo`, run by
# demo.sh after demo-settlement.sh with SETTLE_CONFIG pointing at
# var/demo.conf: the Toss settlement records of this month's captures and
# refunds are served by a sandbox, one difference is planted, `settle-report
# reconcile` finds it, and --post books what Toss settled (bank +, PG fee +,
# pg_clearing:toss −) once.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"
conf="$SETTLE_CONFIG"

# --- a sandbox playing Toss's settlement lookup ------------------------------
portfile="$top/var/run/sandbox-reconcile.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" 2>"$top/var/log/sandbox-reconcile.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
ctl() { curl -sS -f -X POST -H 'Content-Type: application/json' "$base/_sandbox/settlements/$1" -d "$2" >/dev/null; }

# This config: demo.conf with [toss] pointed at this sandbox; the month's
# reconciliation reports go where `settle-report close` packs them from.
# The demo pays leaders through Toss payouts v2, out of the merchant's Toss
# balance, so Toss settles into that balance (settled_into = pg): booking
# recognises Toss's fee, and the rest stays on pg_clearing:toss, where the
# payouts drew it from. (settled_into = bank books bank + payout instead.)
recdir="$top/var/reconcile"
mkdir -p "$recdir"
cat >>"$conf" <<CONF

[reconcile]
dir = $recdir
batch = 100
settled_into = pg
CONF
rconf="$top/var/demo-reconcile.conf"
awk -v url="$base/toss" '/^\[/ { sec = $0 } sec == "[toss]" && /^base_url *=/ { print "base_url = " url; next } { print }' \
	"$conf" >"$rconf"

# The payments demo's sandbox has ended, and with it Toss's memory of the
# payments it captured: this one is handed their records (approval and
# cancels, with Toss's transaction keys as settle kept them), the way the
# real Toss would hold them; Toss pays out on the sale day here (lagDays 0).
ctl knobs '{"variant":"live","feeBps":235,"lagDays":0}'
today=$(TZ=Asia/Seoul date +%F)
first=$(TZ=Asia/Seoul date +%Y-%m-01)
month=$(TZ=Asia/Seoul date +%Y-%m)
n=0
while IFS=$'\t' read -r key tx order amount day; do
	ctl plant "{\"kind\":\"record\",\"paymentKey\":\"$key\",\"transactionKey\":\"$tx\",\"orderId\":\"$order\",\"amount\":$amount,\"soldDate\":\"$day\"}"
	n=$((n + 1))
done < <(owner_sql -N -B -e "
	SELECT payment_key, CONCAT('txa', LEFT(SHA2(payment_key, 256), 29)), order_id, amount,
	       DATE(approved_at + INTERVAL 9 HOUR) FROM payments
	 WHERE pg = 'toss' AND status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')
	UNION ALL
	SELECT p.payment_key, r.pg_transaction_key, p.order_id, -r.amount, DATE(e.created_at + INTERVAL 9 HOUR)
	  FROM refunds r JOIN payments p ON p.id = r.payment_id
	  JOIN journal_entries e ON e.entry_key = CONCAT('refund:', r.public_id)
	 WHERE p.pg = 'toss' AND r.status = 'COMPLETED' AND r.pg_transaction_key IS NOT NULL")
step "Toss's settlement records: $n (its sandbox on $base, the 2025 'live' field variant: a scalar fee)"

planted=$(owner_sql -N -B -e "SELECT payment_key FROM payments WHERE pg = 'toss' AND status = 'COMPLETED' ORDER BY id LIMIT 1")
ctl plant "{\"kind\":\"amount\",\"paymentKey\":\"$planted\",\"delta\":-1000}"
step "planted: Toss settles payment $planted 1000 won short"

step "reconcile $first..$today (Korea time): the difference is found (exit 65), the report written whole"
out="$recdir/$month/toss-$first-$today.csv"
mkdir -p "$recdir/$month"
expect 65 "$bin/settle-report" --config "$rconf" reconcile --from "$first" --to "$today" -o "$out"
printf '$ grep -v matched %s\n' "${out#"$top"/}"
grep -v '"matched"' "$out"

step "book what Toss settled (into its balance: the fee), the matched records, once; the different one waits for a person"
expect 65 "$bin/settle-report" --config "$rconf" reconcile --from "$first" --to "$today" --post -o "$out"
printf '(again: nothing twice)\n'
expect 65 "$bin/settle-report" --config "$rconf" reconcile --from "$first" --to "$today" --post -o "$out"
show "SELECT kind, COUNT(*) AS records, SUM(amount) AS amount, SUM(fee) AS fee, SUM(payout) AS payout FROM pg_settlement_records GROUP BY kind"
show "SELECT account, SUM(amount) AS balance FROM postings WHERE account IN ('bank', 'pg_fee_expense', 'pg_clearing:toss') GROUP BY account ORDER BY account"
