#!/usr/bin/env bash
# demo-policy.sh BUILD — refunds by policy and the success metrics, run by
# demo.sh after the other parts with SETTLE_CONFIG pointing at
# var/demo.conf: two pods dated around today (so the demo means the same
# whatever day it runs), one under the default policy ([refund] policy) and
# one under a named policy loaded with the pods; a refund by policy shown
# step by step, an override with its reason, the refusals; then this
# month's KPI report beside the design's targets.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"

# Korea-time dates relative to today.
kst() { TZ=Asia/Seoul date -d "$1" +%Y-%m-%d; }

# --- pods dated around today, and a sandbox that knows them ----------------
pods="$top/var/demo-policy-pods.csv"
soon=$(kst '+3 days'); soon_end=$(kst '+33 days')
began=$(kst '-5 days'); began_end=$(kst '+24 days')
{
	echo "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on"
	echo "pod-policy-soon,leader-kim,Starts in three days,40000,KRW,8,OPEN,$soon,$soon_end"
	echo "pod-policy-began,leader-lee,Began five days ago,60000,KRW,8,OPEN,$began,$began_end"
} >"$pods.sandbox"
{
	echo "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on,refund_policy"
	echo "pod-policy-soon,leader-kim,Starts in three days,40000,KRW,8,OPEN,$soon,$soon_end,"
	echo "pod-policy-began,leader-lee,Began five days ago,60000,KRW,8,OPEN,$began,$began_end,flexible"
} >"$pods"

portfile="$top/var/run/sandbox-policy.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" --pods "$pods.sandbox" 2>"$top/var/log/sandbox-policy.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
ctl() { curl -sS -X POST -H 'Content-Type: application/json' "$base/_sandbox/$1" -d "$2"; }

# This part's config: the demo's, its outside systems on this sandbox, and
# the default refund policy.
conf="$top/var/demo-policy.conf"
sed -E "s|http://127\.0\.0\.1:[0-9]+|$base|g" "$SETTLE_CONFIG" >"$conf"
cat >>"$conf" <<CONF

[refund]
policy = 2026-01-01: ..start-7 100%, start-7..start 90%, start..end+1 prorata-10%, end+1.. 0%
CONF
export SETTLE_CONFIG="$conf"

step "refund policies: the default in settle.conf, a named one loaded with the pods"
grep '^policy' "$conf"
run cat fixtures/refund_policies.csv
run "$bin/settle-db" load-pods --policies fixtures/refund_policies.csv "$pods"

pay() {
	local pod=$1 user=$2 order amount key
	order=$("$bin/pay-order" --pod "$pod" --user "$user")
	amount=$("$bin/pay-show" --json --order "$order" | sed -n 's/.*"amount":\([0-9]*\).*/\1/p' | head -1)
	key=$(ctl checkout "{\"pg\":\"toss\",\"orderId\":\"$order\",\"amount\":$amount,\"method\":\"CARD\",\"currency\":\"KRW\"}" |
		sed -n 's/.*"paymentKey" *: *"\([^"]*\)".*/\1/p')
	"$bin/pay-capture" --order "$order" --payment-key "$key" --amount "$amount" >/dev/null
	"$bin/pay-show" --json --order "$order" | sed -n 's/.*"paymentId":"\([^"]*\)".*/\1/p' | head -1
}

step "payments for both pods"
p1=$(pay pod-policy-soon user-pia); echo "payment $p1 (pod-policy-soon, starts $soon)"
p2=$(pay pod-policy-began user-quinn); echo "payment $p2 (pod-policy-began, began $began)"
p3=$(pay pod-policy-soon user-ria); echo "payment $p3 (pod-policy-soon)"

step "refund by policy: what it would be, then the refund"
run "$bin/pay-refund" "$p1" --policy --reason "cannot attend" --dry-run
run "$bin/pay-refund" "$p1" --policy --reason "cannot attend"
run "$bin/pay-refund" "$p2" --policy --reason "moved to another city"

step "refusals, each changing nothing"
expect 64 "$bin/pay-refund" "$p3" --policy --amount 100 --reason "both"
expect 64 "$bin/pay-refund" "$p3" --amount 40000 --override
expect 65 "$bin/pay-refund" "$p3" --amount 40000 --reason "all of it"
expect 65 "$bin/pay-refund" "$p1" --policy --reason "again"

step "an override above the policy, with its reason recorded"
run "$bin/pay-refund" "$p3" --amount 40000 --override --reason "leader cancelled the first week"

step "success metrics of the month (Korea time) beside the design's targets"
run "$bin/settle-report" kpi --month "$(TZ=Asia/Seoul date +%Y-%m)"
