#!/usr/bin/env bash
# demo-payments.sh BUILD — the payment part of `make demo`, run by demo.sh
# with SETTLE_CONFIG pointing at var/demo.conf. Starts the loopback sandbox
# (Toss, NicePay, Study Service), then orders, captures, refunds and sweeps.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"
conf="$SETTLE_CONFIG"

# --- sandbox -------------------------------------------------------------
portfile="$top/var/run/sandbox.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" --pods fixtures/pods.csv 2>"$top/var/log/sandbox.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
port=$(cat "$portfile")
base="http://127.0.0.1:$port"
ctl() { curl -sS -X POST -H 'Content-Type: application/json' "$base/_sandbox/$1" -d "$2"; }
checkout() { ctl checkout "{\"pg\":\"$1\",\"orderId\":\"$2\",\"amount\":$3,\"method\":\"$4\",\"currency\":\"KRW\"}" |
	sed -n 's/.*"paymentKey" *: *"\([^"]*\)".*/\1/p'; }

secrets="$top/var/secrets"
(umask 077; printf 'test_sk_demo_%s\n' "$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$secrets/toss-secret")
(umask 077; printf 'sandbox-nicepay-secret\n' >"$secrets/nicepay-secret")
(umask 077; printf 'demo-study-token\n' >"$secrets/study-token")
cat >>"$conf" <<CONF

[payments]
default_pg = toss
confirm_sweep_age_s = 0
doubt_backoff_s = 1

[toss]
base_url = $base/toss
secret_key_file = $secrets/toss-secret
timeout_ms = 2000

[nicepay]
base_url = $base/nicepay
client_id = S2_demo
secret_key_file = $secrets/nicepay-secret
timeout_ms = 2000

[study]
base_url = $base
token_file = $secrets/study-token
CONF
step "sandbox on $base; config $conf"

# capture ORDER PG METHOD [expected-exit] — the browser's part (checkout), then pay-capture
capture() {
	local order=$1 pg=$2 method=$3 want=${4:-0} amount key
	amount=$("$bin/pay-show" --json --order "$order" | sed -n 's/.*"amount":\([0-9]*\).*/\1/p' | head -1)
	key=$(checkout "$pg" "$order" "$amount" "$method")
	expect "$want" "$bin/pay-capture" --order "$order" --payment-key "$key" --amount "$amount"
}

step "card payment through Toss"
o1=$("$bin/pay-order" --pod pod-algo-101 --user user-ana); echo "order $o1"
capture "$o1" toss CARD

step "account transfer through Toss"
o2=$("$bin/pay-order" --pod pod-sql-201 --user user-ben --method TRANSFER); echo "order $o2"
capture "$o2" toss TRANSFER

step "card payment through NicePay"
o3=$("$bin/pay-order" --pod pod-rust-301 --user user-cho --pg nicepay); echo "order $o3"
capture "$o3" nicepay CARD

step "virtual account: issued now, deposited later, completed by the sweep"
o4=$("$bin/pay-order" --pod pod-algo-101 --user user-dan --method VIRTUAL_ACCOUNT); echo "order $o4"
capture "$o4" toss VIRTUAL_ACCOUNT
run ctl deposit "{\"orderId\":\"$o4\"}"; echo
run "$bin/pay-capture" --sweep

step "a refused card (REJECT_CARD_PAYMENT) ends FAILED"
o5=$("$bin/pay-order" --pod pod-algo-101 --user user-eve); echo "order $o5"
ctl faults "{\"fault\":\"refuse\",\"orderId\":\"$o5\",\"op\":\"confirm\",\"code\":\"REJECT_CARD_PAYMENT\",\"message\":\"limit exceeded\",\"status\":403}" >/dev/null
capture "$o5" toss CARD 65

step "the PG commits the confirm but the answer is lost: in doubt, then the sweep finishes it"
o6=$("$bin/pay-order" --pod pod-sql-201 --user user-fay); echo "order $o6"
ctl faults "{\"fault\":\"drop_after_commit\",\"orderId\":\"$o6\",\"op\":\"confirm\"}" >/dev/null
capture "$o6" toss CARD 75
sleep 1.2 # doubt_backoff_s: the sweep looks again after a second
run "$bin/pay-capture" --sweep

step "bad input is refused and changes nothing"
expect 65 "$bin/pay-order" --pod pod-toeic-901 --user user-gus
expect 65 "$bin/pay-order" --pod pod-algo-101 --user user-ana
expect 65 "$bin/pay-order" --pod no-such-pod --user user-gus
expect 65 "$bin/pay-capture" --order "$o1" --payment-key whatever --amount 1

step "partial refund of the first card payment"
p1=$("$bin/pay-show" --json --order "$o1" | sed -n 's/.*"paymentId":"\([^"]*\)".*/\1/p' | head -1)
run "$bin/pay-refund" "$p1" --amount 20000 --reason "left after week one"
expect 65 "$bin/pay-refund" "$p1" --amount 40000 --reason "more than remains"

step "payments for pod-algo-101"
"$bin/pay-show" --pod pod-algo-101 --json | head -c 1200; echo; echo "..."
owner_sql -t -e \
	"SELECT public_id, order_id, pod_id, user_id, amount, refunded_amount AS refunded, method, pg, status, COALESCE(pg_code, '') AS pg_code FROM payments ORDER BY id;
	 SELECT account, currency, SUM(amount) AS balance FROM postings GROUP BY account, currency ORDER BY account;"
