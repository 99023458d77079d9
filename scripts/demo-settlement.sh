#!/usr/bin/env bash
# demo-settlement.sh BUILD — the settlement part of `make demo`, run by
# demo.sh after demo-payments.sh with SETTLE_CONFIG pointing at var/demo.conf:
# pods complete, escrows are released, settle-run splits 80/20 and makes one
# payout per leader, payout-send pays them through a bulk-transfer file (with
# the bank's result file imported) and then through Toss payouts v2 in the
# loopback sandbox.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"
conf="$SETTLE_CONFIG"

# --- the sandbox (Toss payouts v2) ----------------------------------------
# demo-payments.sh's sandbox ended with it; this one serves the payouts API.
# Its security key is this run's own, handed to the sandbox by environment.
secrets="$top/var/secrets"
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secrets/toss-payouts-security-key")
portfile="$top/var/run/sandbox-payouts.port"
rm -f "$portfile"
SETTLE_SANDBOX_PAYOUTS_KEY=$(cat "$secrets/toss-payouts-security-key") \
	"$bin/settle-sandbox" --port 0 --port-file "$portfile" --pods fixtures/pods.csv 2>"$top/var/log/sandbox-payouts.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
port=$(cat "$portfile")
base="http://127.0.0.1:$port"
ctl() { curl -sS -X POST -H 'Content-Type: application/json' "$base/_sandbox/$1" -d "$2"; }

# The bank's bulk-transfer outbox: the files hold account numbers in clear.
outbox="$top/var/outbox/bulk"
rm -rf "$outbox"
mkdir -p -m 700 "$top/var/outbox" "$outbox"

cat >>"$conf" <<CONF

[escrow]
hold_days = 7

[settlement]
fee_bps = 2000

[payout]
channel = bulk-file

[bulk-file]
outbox_dir = $outbox

[toss-payouts]
base_url = $base/toss
secret_key_file = $secrets/toss-secret
security_key_file = $secrets/toss-payouts-security-key
timeout_ms = 3000
CONF
# The second round's config differs in one line: new payouts go through Toss.
toss_conf="$top/var/demo-toss.conf"
# (and asks about sellers waiting for approval every second, not every 5 minutes)
sed 's/^channel = bulk-file$/channel = toss-payouts\nrecheck_s = 1/' "$conf" >"$toss_conf"
chmod 600 "$toss_conf"
step "settlement config: [escrow] [settlement] [payout] [bulk-file] [toss-payouts] (sandbox payouts on $base)"
sed -n '/^\[escrow\]/,$p' "$conf"

# --- pods complete -------------------------------------------------------
step "pods complete — SQL as the schema owner, since the pods table is the source without a Study completion feed"
show "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 8 DAY WHERE pod_id IN ('pod-algo-101', 'pod-sql-201')"
show "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 2 DAY WHERE pod_id = 'pod-rust-301'"
show "SELECT pod_id, leader_id, status, DATE(completed_at) AS completed_on FROM pods WHERE status = 'COMPLETED' ORDER BY pod_id"

step "escrow release: the pods past their hold of 7 days"
run "$bin/escrow-release" --dry-run
run "$bin/escrow-release"
run "$bin/escrow-release"
echo "a pod inside its hold is refused with the reason:"
expect 65 "$bin/escrow-release" --pod pod-rust-301
show "SELECT public_id, pod_id, status, amount, refunded_amount AS refunded, released_amount AS released FROM escrows ORDER BY pod_id, id"

# --- round 1: bulk-transfer file ------------------------------------------
step "settle-run: 80/20, the VAT inside the fee, one payout per leader (withholding for an individual)"
show "SELECT leader_id, kind FROM leaders ORDER BY leader_id"
run "$bin/settle-run" --dry-run
run "$bin/settle-run"
run "$bin/settle-run"

step "payout-send through the bulk-transfer file"
run "$bin/payout-send"
file=$(ls "$outbox"/*)
printf '$ ls -l %s\n' "${file#"$top"/}"
stat -c '%A %s bytes %n' "$file" | sed "s|$top/||"
echo "its content, account numbers masked for this screen (the file has them in clear):"
# bank_code,account_number,…: keep the account's last four digits
mask() { sed -E 's/^("?[0-9]{3}"?,"?)[0-9]+([0-9]{4}"?,)/\1******\2/' "$1"; }
printf '$ sed -E %s %s\n' "'s/^(\"?[0-9]{3}\"?,\"?)[0-9]+([0-9]{4}\"?,)/\\1******\\2/'" "${file#"$top"/}"
mask "$file" | sed 's/^/  /'
# The masking must leave no account number of the fixtures on screen.
if mask "$file" | grep -q -e 12345678901234 -e 110123456789 -e 1002345678901; then
	echo "demo: an account number escaped the mask" >&2; exit 1
fi
show "SELECT public_id, leader_id, gross, withholding, amount, channel, status FROM payouts ORDER BY id"

step "the bank's result file: kim's transfer PAID, lee's FAILED (account closed) and reversed"
kim=$(owner_sql -N -e "SELECT public_id FROM payouts WHERE leader_id = 'leader-kim' AND status = 'SENT'")
lee=$(owner_sql -N -e "SELECT public_id FROM payouts WHERE leader_id = 'leader-lee' AND status = 'SENT'")
kim_amount=$(owner_sql -N -e "SELECT amount FROM payouts WHERE public_id = '$kim'")
lee_amount=$(owner_sql -N -e "SELECT amount FROM payouts WHERE public_id = '$lee'")
result="$top/var/outbox/bank-result.csv"
printf 'payout_id,amount,status,reference,message\n%s,%s,PAID,KB-0001,\n%s,%s,FAILED,,account closed\n' \
	"$kim" "$kim_amount" "$lee" "$lee_amount" >"$result"
sed 's/^/  /' "$result"
run "$bin/payout-send" --import-result "$result"
echo "the same file again changes nothing:"
run "$bin/payout-send" --import-result "$result"
show "SELECT public_id, leader_id, gross, withholding, amount, channel, status FROM payouts ORDER BY id"

# --- round 2: Toss payouts v2 ----------------------------------------------
step "Toss payouts v2: payout-send --register-sellers registers the leaders as sellers (POST /v2/sellers, a JWE body); Toss answers APPROVAL_REQUIRED"
export SETTLE_CONFIG="$toss_conf"
run "$bin/payout-send" --register-sellers
show "SELECT leader_id, kind, toss_seller_ref, toss_seller_id, toss_seller_status, seller_reg FROM leaders ORDER BY leader_id"
step "Toss approves them (the sandbox's control call); the next --register-sellers refreshes their status"
for id in $(owner_sql -N -e "SELECT toss_seller_id FROM leaders WHERE toss_seller_id IS NOT NULL ORDER BY leader_id"); do
	run ctl payouts/sellers "{\"id\":\"$id\",\"status\":\"APPROVED\"}"; echo
done
sleep 1.1 # [payout] recheck_s = 1
run "$bin/payout-send" --register-sellers
show "SELECT leader_id, toss_seller_id, toss_seller_status, seller_reg FROM leaders ORDER BY leader_id"
run ctl payouts/knobs '{"autoComplete":true}'; echo

step "an operator releases pod-rust-301 inside its hold (--now); settle-run with [payout] channel = toss-payouts"
run "$bin/escrow-release" --pod pod-rust-301 --now
echo "lee's failed payout let its settlement go: this run carries it again, with park's new settlement"
run "$bin/settle-run"
show "SELECT p.public_id AS payout, p.leader_id, p.status, i.item_kind, s.public_id AS settlement, i.amount, i.live FROM payout_items i JOIN payouts p ON p.id = i.payout_id JOIN settlements s ON s.id = i.item_id AND i.item_kind = 'SETTLEMENT' ORDER BY s.id, p.id"

step "payout-send through Toss payouts v2 (the sandbox completes payouts at once)"
run "$bin/payout-send"
run "$bin/payout-send"

# --- a dispute, and a refund after settlement (a clawback) ---------------
# The payments' sandbox ended with demo-payments.sh: the PG and Study
# sections now point at this one, where two new payments are captured.
sed -i -E "s#^base_url = http://127\.0\.0\.1:[0-9]+(/toss|/nicepay)?\$#base_url = $base\1#" "$conf"
sed -i -E "s#^base_url = http://127\.0\.0\.1:[0-9]+(/toss|/nicepay)?\$#base_url = $base\1#" "$toss_conf"
pay() { # POD USER: order and capture through Toss; prints the order id
	local order amount key
	order=$("$bin/pay-order" --pod "$1" --user "$2")
	amount=$("$bin/pay-show" --json --order "$order" | sed -n 's/.*"amount":\([0-9]*\).*/\1/p' | head -1)
	key=$(ctl checkout "{\"pg\":\"toss\",\"orderId\":\"$order\",\"amount\":$amount,\"method\":\"CARD\",\"currency\":\"KRW\"}" |
		sed -n 's/.*"paymentKey":"\([^"]*\)".*/\1/p')
	"$bin/pay-capture" -q --order "$order" --payment-key "$key" --amount "$amount" >/dev/null
	echo "$order"
}
escrow_of() { owner_sql -N -e "SELECT e.public_id FROM escrows e JOIN payments p ON p.id = e.payment_id WHERE p.order_id = '$1'"; }
payment_of() { owner_sql -N -e "SELECT public_id FROM payments WHERE order_id = '$1'"; }

step "two more participants pay for pod-rust-301 (70000 KRW each)"
od=$(pay pod-rust-301 user-dan); echo "order $od"
oe=$(pay pod-rust-301 user-eve); echo "order $oe"

step "a dispute: user-dan says the pod did not happen; resolved by a split (50000 to the pod, 20000 back)"
ed=$(escrow_of "$od")
run "$bin/escrow-dispute" open "$ed" --reason "the sessions did not take place"
# This sandbox's Study Service never heard that pod-rust-301 completed (the
# order refreshed settle's copy from it): settle-db records it again.
run "$bin/settle-db" complete-pod pod-rust-301
run "$bin/escrow-release" --pod pod-rust-301 --now
run "$bin/escrow-dispute" resolve "$ed" --split 50000
run "$bin/escrow-dispute" show "$ed"
run "$bin/escrow-release" --pod pod-rust-301 --now
run "$bin/settle-run"

step "a refund after settlement: user-eve leaves; without --after-release it is refused, with it a clawback"
pe=$(payment_of "$oe")
expect 65 "$bin/pay-refund" "$pe" --amount 35000 --reason "left the pod"
run "$bin/pay-refund" "$pe" --amount 35000 --reason "left the pod" --after-release
show "SELECT public_id, refund, leader_part, supply_part, vat_part FROM clawbacks ORDER BY id"
run "$bin/settle-run"

step "settlements and payouts"
show "SELECT s.public_id, s.pod_id, s.leader_id, l.kind, s.total, s.fee, s.supply, s.vat, s.leader_share FROM settlements s JOIN leaders l USING (leader_id) ORDER BY s.id"
show "SELECT public_id, leader_id, leader_kind, gross, income_tax, local_tax, withholding, amount, channel, status FROM payouts ORDER BY id"
show "SELECT account, currency, SUM(amount) AS balance FROM postings GROUP BY account, currency ORDER BY account"
