#!/usr/bin/env bash
# demo-notify.sh BUILD — the notifications part of `make demo` (issue 14),
# run by demo.sh near the end with SETTLE_CONFIG pointing at var/demo.conf:
# by now the outbox holds what the demo's payments, refunds, settlement and
# payouts wrote in their own transactions. A sandbox with an SMTP receiver
# on loopback plays the mail server and the Study Service's user look-up; a
# burst of refused cards from one user makes settle-watch alert the
# operators; settle-notify sends everything; the mailbox is printed.
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/var/demo-roles/bin"
[ -x "$bin/settle-notify" ] || bin="$top/$build/bin"
conf="$SETTLE_CONFIG"

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
pw=$(cat var/secrets/db-password)
owner_sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle settle_demo "$@"; }
show() { printf '$ mariadb> %s\n' "$1"; owner_sql -t -e "$1"; }

mail="$top/var/mail"
rm -rf "$mail"
portfile="$top/var/run/sandbox-notify.port"
smtpfile="$top/var/run/sandbox-notify.smtp"
rm -f "$portfile" "$smtpfile"
"$top/$build/bin/settle-sandbox" --port 0 --port-file "$portfile" --smtp-maildir "$mail" --smtp-port-file "$smtpfile" \
	2>"$top/var/log/sandbox-notify.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && [ -s "$smtpfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"
smtp="smtp://127.0.0.1:$(cat "$smtpfile")"

# demo.conf without its [study] (the sandbox of the payments part is gone),
# with this sandbox's and the [notify] section.
nconf="$top/var/demo-notify.conf"
awk '/^\[/{skip = ($0 == "[study]" || $0 == "[notify]" || $0 == "[watch]")} !skip' "$conf" >"$nconf"
cat >>"$nconf" <<CONF

[study]
base_url = $base
token_file = $top/var/secrets/study-token

[notify]
channel = smtp
smtp_url = $smtp
from = noreply@podstudy.example
from_name = Pod Study
operators = ops@podstudy.example
operator_lang = en
templates_dir = $top/templates

[watch]
burst_count = 5
burst_window_s = 600
CONF
export SETTLE_CONFIG="$nconf"
step "the outbox: written with each change, in its transaction"
show "SELECT template, recipient_kind, recipient_id, notify_key, status FROM notifications ORDER BY id"

step "a burst of refused cards from one user (8 failed payments of user-mallory in a minute)"
for i in 1 2 3 4 5 6 7 8; do
	owner_sql -e "INSERT IGNORE INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, status,
		pg_code, created_at, updated_at) VALUES ('pay_demo_burst_$i', 'ord-burst-000$i', 'pod-algo-101',
		'user-mallory', 50000, 'KRW', 'CARD', 'toss', 'FAILED', 'REJECT_CARD_COMPANY', UTC_TIMESTAMP(6),
		UTC_TIMESTAMP(6))"
done
run "$bin/settle-watch" --json
run "$bin/settle-watch"
show "SELECT rule, subject, value, threshold, window_start FROM alerts"

step "settle-notify: every pending notification to the sandbox's SMTP receiver"
set +e
run "$bin/settle-notify"
rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 75 ] || { echo "demo-notify: settle-notify exit $rc" >&2; exit 1; }
show "SELECT status, COUNT(*) AS n FROM notifications GROUP BY status"

# One message: its headers with the encoded words decoded, and its
# text/plain part (base64) decoded.
decode_words() {
	local line=$1 out="" w
	while [[ $line =~ =\?UTF-8\?B\?([^?]*)\?= ]]; do
		w=${BASH_REMATCH[1]}
		out+="${line%%=\?UTF-8\?B\?*}$(printf '%s' "$w" | base64 -d)"
		line=${line#*"=?UTF-8?B?$w?="}
		line=${line#$'\r'}
	done
	printf '%s%s' "$out" "$line" | tr -d '\r'
}
print_mail() {
	local f=$1 subject to
	subject=$(awk '/^Subject:/{s=$0; while ((getline l) > 0 && l ~ /^ /) s = s substr(l, 2); print s; exit}' "$f" |
		tr -d '\r')
	to=$(grep -m1 '^To:' "$f" | tr -d '\r')
	printf -- '--- %s\n    %s\n    %s\n' "$(basename "$f")" "$(decode_words "$to")" "$(decode_words "$subject")"
	awk 'BEGIN{RS="\r\n"} /^Content-Type: text\/plain/{p=1; next} p && /^$/ && !b {b=1; next} p && b && /^--/{exit} p && b {print}' "$f" |
		base64 -d | sed 's/^/    | /'
}
step "the mailbox (var/mail/new): receipts, the leader's settlement notice, the alert"
echo "$(find "$mail/new" -type f | wc -l) message(s) delivered"
shown=0
# The three the demo must show, then one of each other event the demo's
# parts wrote (escrow released, disputes, payouts held, invoices, ...).
for kind in payment.completed settlement.made alert escrow.released dispute.opened dispute.resolved \
	payment.failed_charged payment.failed_charged.ops payout.held invoice.issued; do
	key=$(owner_sql -N -e "SELECT notify_key FROM notifications WHERE template = '$kind' AND status = 'SENT'
		ORDER BY id LIMIT 1")
	[ -n "$key" ] || continue
	# The Message-ID is the key's SHA-256 (its first 32 hex digits).
	h=$(printf '%s' "$key" | sha256sum | cut -c1-32)
	f=$(grep -l "^Message-ID: <$h@" "$mail"/new/* | head -1 || true)
	[ -n "$f" ] || continue
	printf '\n(%s)\n' "$key"
	print_mail "$f"
	case $kind in payment.completed | settlement.made | alert) shown=$((shown + 1)) ;; esac
done
[ "$shown" = 3 ] || { echo "demo-notify: expected a receipt, a settlement notice and the alert in the mailbox" >&2; exit 1; }
