#!/usr/bin/env bash
# demo-api.sh BUILD — settle-apid in `make demo` (issue 13 part 2), run by
# demo.sh with SETTLE_CONFIG pointing at var/demo.conf after the other
# parts: the daemon started as systemd would (its own NOTIFY_SOCKET is not
# needed here: it listens on a loopback port of its own), a user orders and
# confirms through the API, an operator releases the pod's escrow, and an
# administrator executes the pod's settlement through the API with an admin
# token (RS256); the leader reads it; a repeated POST is replayed, and a
# token with alg "none" is refused. The tokens are made with the test-only
# keys of fixtures/api/ (scripts/mint-jwt.sh).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
rbin="$top/var/demo-roles/bin" # each program as its role's login
conf="$SETTLE_CONFIG"
. scripts/mint-jwt.sh

step() { printf '\n== %s\n' "$*"; }
owner_sql() { MYSQL_PWD="$(cat var/secrets/db-password)" mariadb --no-defaults -S var/run/mysqld.sock -u settle settle_demo "$@"; }

# --- a sandbox for the PG and the Study Service ----------------------------
portfile="$top/var/run/sandbox-api.port"
rm -f "$portfile"
"$top/$build/bin/settle-sandbox" --port 0 --port-file "$portfile" --pods fixtures/pods.csv 2>"$top/var/log/sandbox-api.log" &
sandbox=$!
apid=
cleanup() {
	[ -n "$apid" ] && kill "$apid" 2>/dev/null && wait "$apid" 2>/dev/null || true
	kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
sbx="http://127.0.0.1:$(cat "$portfile")"

# --- the API's config: demo.conf, the PG and Study on this sandbox, [api] --
port=$((20000 + RANDOM % 20000))
api="http://127.0.0.1:$port"
aconf="$top/var/demo-api.conf"
(umask 077; cp fixtures/api/jwt-test-hs256.secret var/secrets/demo-api-hs256)
awk -v sbx="$sbx" '/^\[/ { sec = $0 }
	sec == "[toss]" && /^base_url *=/ { print "base_url = " sbx "/toss"; next }
	sec == "[nicepay]" && /^base_url *=/ { print "base_url = " sbx "/nicepay"; next }
	sec == "[study]" && /^base_url *=/ { print "base_url = " sbx; next } { print }' "$conf" >"$aconf"
cat >>"$aconf" <<CONF

[api]
issuer = https://study.example/auth
audience = settle-api
hs256_key_file = $top/var/secrets/demo-api-hs256
hs256_kid = hs1
rs256_public_key = $top/fixtures/api/jwt-test-rs256.pub
rs256_kid = rs1
listen = 127.0.0.1:$port
threads = 2
CONF
step "settle-apid on $api as the api role (settle_api); [api] of $aconf:"
sed -n '/^\[api\]/,$p' "$aconf"
SETTLE_CONFIG="$aconf" "$rbin/settle-apid" 2>"$top/var/log/settle-apid.log" &
apid=$!
for _ in $(seq 1 100); do curl -sf "$api/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sS "$api/healthz"; echo

iss=https://study.example/auth aud=settle-api
user=$(mint_jwt hs256 fixtures/api/jwt-test-hs256.secret hs1 user-api user "$iss" "$aud")
admin=$(mint_jwt rs256 fixtures/api/jwt-test-rs256.key rs1 ops-admin admin "$iss" "$aud")
leader=$(mint_jwt hs256 fixtures/api/jwt-test-hs256.secret hs1 leader-lee leader "$iss" "$aud")
post() { # TOKEN KEY PATH BODY
	printf '$ POST %s %s   (Idempotency-Key: %s)\n' "$3" "$4" "$2" >&2
	curl -sS -X POST -H "Authorization: Bearer $1" -H "Idempotency-Key: $2" -H 'Content-Type: application/json' \
		-w '\n' "$api$3" -d "$4"
}
get() { # TOKEN PATH
	printf '$ GET %s%s\n' "$2" "${1:+}" >&2
	if [ -n "$1" ]; then curl -sS -H "Authorization: Bearer $1" -w '\n' "$api$2"; else curl -sS -w '\n' "$api$2"; fi
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

step "a user orders a place in pod-sql-201 and confirms after the PG's checkout"
out=$(post "$user" demo-order-1 /api/v1/payments '{"podId":"pod-sql-201","method":"CARD"}'); echo "$out"
order=$(echo "$out" | field orderId)
pay=$(echo "$out" | field paymentId)
key=$(curl -sS -X POST -H 'Content-Type: application/json' "$sbx/_sandbox/checkout" \
	-d "{\"pg\":\"toss\",\"orderId\":\"$order\",\"amount\":30000,\"method\":\"CARD\",\"currency\":\"KRW\"}" | field paymentKey)
post "$user" demo-confirm-1 /api/v1/payments/confirm "{\"paymentKey\":\"$key\",\"orderId\":\"$order\",\"amount\":30000}"
get "$user" "/api/v1/payments/$pay"

step "the pod completes; an operator releases its escrow inside the hold (escrow-release --now)"
owner_sql -e "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 8 DAY WHERE pod_id = 'pod-sql-201'"
"$rbin/escrow-release" --pod pod-sql-201 --now

step "an administrator executes the settlement of pod-sql-201 through the API (RS256 admin token)"
out=$(post "$admin" demo-exec-1 /api/v1/settlements/execute '{"podIds":["pod-sql-201"]}'); echo "$out"
echo "$out" | grep -q '"settlementId":"set' || { echo "demo-api: no settlement made" >&2; exit 1; }
echo "the same request again: the first answer, nothing settled twice"
post "$admin" demo-exec-1 /api/v1/settlements/execute '{"podIds":["pod-sql-201"]}' >/dev/null
curl -sS -o /dev/null -D - -X POST -H "Authorization: Bearer $admin" -H "Idempotency-Key: demo-exec-1" \
	-H 'Content-Type: application/json' "$api/api/v1/settlements/execute" -d '{"podIds":["pod-sql-201"]}' | grep -i '^Idempotent-Replayed'

step "the leader reads their settlements"
get "$leader" /api/v1/settlements/leader/leader-lee | head -c 600; echo

step "refusals: a user executing a settlement, alg \"none\", no token"
post "$user" demo-exec-2 /api/v1/settlements/execute '{"podIds":["pod-sql-201"]}'
none="$(printf '{"alg":"none","kid":"hs1"}' | b64url).$(printf '{"iss":"%s","aud":"%s","sub":"x","role":"admin","exp":%d}' "$iss" "$aud" $(($(date +%s) + 60)) | b64url)."
post "$none" demo-exec-3 /api/v1/settlements/execute '{"podIds":["pod-sql-201"]}'
get "" /api/v1/settlements/leader/leader-lee
curl -sS "$api/metrics" | grep -E '^settle_api_(requests_total\{route="settlements_execute"|auth_failures|idempotent)'

step "graceful stop (SIGTERM): in-flight requests finish, exit 0"
kill -TERM "$apid"
wait "$apid"
echo "settle-apid exited $?"
apid=
