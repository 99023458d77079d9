#!/usr/bin/env bash
# demo-mail.sh BUILD — issue 14's masked cards, tamper refusals and SMTP over
# TLS with AUTH in `make demo`, run by demo.sh after the other parts with
# SETTLE_CONFIG pointing at var/demo.conf. Shows the truncated cards the PGs
# reported; a tampered capture amount refused and recorded; settle-watch
# (its window a day, so its alerts are this part's own) alerting on the
# refusals; then starts a sandbox whose SMTP receiver is
# strict like a submission server (a throw-away certificate under
# var/demo-mail/, AUTH required) and sends the alert: refused while the
# certificate is unknown, delivered over STARTTLS with AUTH once
# [notify] smtp_ca_file names it. The receiver's transcript shows that no
# password crossed the wire before TLS.
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/var/demo-roles/bin"
[ -x "$bin/settle-notify" ] || bin="$top/$build/bin"
conf="$SETTLE_CONFIG"

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
owner_sql() { MYSQL_PWD="$(cat var/secrets/db-password)" mariadb --no-defaults -S var/run/mysqld.sock -u settle settle_demo "$@"; }
show() { printf '$ mariadb> %s\n' "$1"; owner_sql -t -e "$1"; }

step "the cards the PGs reported, kept only truncated (PCI DSS: first 8 and last 4 digits at most)"
show "SELECT public_id, pg, status, card_issuer, card_masked FROM payments WHERE card_issuer IS NOT NULL ORDER BY id"

# --- a strict mail server --------------------------------------------------
dir="$top/var/demo-mail"
rm -rf "$dir"
mkdir -p "$dir"
(umask 077
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1,DNS:localhost -addext basicConstraints=critical,CA:TRUE \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
	printf 'demo-mail-password\n' >"$dir/server-password"
	printf 'demo-mail-password\n' >"$dir/smtp-password")
portfile="$dir/sandbox.port"
smtpfile="$dir/smtp.port"
"$top/$build/bin/settle-sandbox" --port 0 --port-file "$portfile" --smtp-maildir "$dir/mail" \
	--smtp-port-file "$smtpfile" --smtp-tls-cert "$dir/cert.pem" --smtp-tls-key "$dir/key.pem" \
	--smtp-user settle-mailer --smtp-password-file "$dir/server-password" 2>"$top/var/log/sandbox-mail.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && [ -s "$smtpfile" ] && break; sleep 0.05; done

mconf="$dir/settle.conf"
mail_conf() { # $1: the smtp_ca_file line, or nothing
	awk '/^\[/{skip = ($0 == "[study]" || $0 == "[notify]" || $0 == "[watch]")} !skip' "$conf" >"$mconf"
	cat >>"$mconf" <<CONF

[study]
base_url = http://127.0.0.1:$(cat "$portfile")
token_file = $top/var/secrets/study-token

[notify]
channel = smtp
smtp_url = smtp://127.0.0.1:$(cat "$smtpfile")
smtp_user = settle-mailer
smtp_password_file = $dir/smtp-password
$1
from = noreply@podstudy.example
from_name = Pod Study
operators = ops@podstudy.example
operator_lang = en
templates_dir = $top/templates
backoff_s = 1

[watch]
window_s = 86400
tamper_count = 1
tamper_window_s = 86400
CONF
}
mail_conf ""
export SETTLE_CONFIG="$mconf"

step "a capture whose amount was tampered with: refused before any PG call, recorded, no money moved"
read -r order key amount < <(owner_sql -N -e "SELECT order_id, payment_key, amount FROM payments
	WHERE status = 'COMPLETED' AND method = 'CARD' ORDER BY id LIMIT 1")
printf '$ %s   # expect exit 65\n' "$bin/pay-capture --order $order --payment-key … --amount $((amount - 1))"
set +e
"$bin/pay-capture" --order "$order" --payment-key "$key" --amount "$((amount - 1))"
rc=$?
set -e
[ "$rc" = 65 ] || { echo "demo-mail: expected exit 65, got $rc" >&2; exit 1; }
show "SELECT order_id, user_id, actor, asked_amount, expected_amount, currency, created_at FROM amount_refusals ORDER BY id"

step "settle-watch over the day: more than tamper_count = 1 refusals fire payment.amount_tamper"
run "$bin/settle-watch"
show "SELECT rule, subject, value, threshold, window_start FROM alerts WHERE rule IN ('payment.amount_tamper', 'card.payments') ORDER BY id"

step "settle-notify to a server whose certificate nobody named: refused, nothing sent, the alert waits"
set +e
run "$bin/settle-notify"
rc=$?
set -e
[ "$rc" = 75 ] || { echo "demo-mail: expected exit 75, got $rc" >&2; exit 1; }
show "SELECT notify_key, status, attempts, last_error FROM notifications WHERE notify_key LIKE 'alert:payment.amount\\_tamper:%'"

step "[notify] smtp_ca_file names the server's CA: STARTTLS, then AUTH, then the mail"
mail_conf "smtp_ca_file = $dir/cert.pem"
owner_sql -e "UPDATE notifications SET next_attempt_at = NULL WHERE status = 'PENDING'"
set +e
run "$bin/settle-notify"
rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 75 ] || { echo "demo-mail: settle-notify exit $rc" >&2; exit 1; }
show "SELECT template, status, attempts FROM notifications WHERE notify_key LIKE 'alert:payment.amount\\_tamper:%'"
sent=$(owner_sql -N -e "SELECT COUNT(*) FROM notifications WHERE notify_key LIKE 'alert:payment.amount\\_tamper:%' AND status = 'SENT'")
[ "$sent" -ge 1 ] || { echo "demo-mail: the tamper alert was not sent" >&2; exit 1; }
echo "the receiver's transcript (verbs only; tls=1 is inside TLS):"
sed 's/^/  /' "$dir/mail/transcript"
if grep -q 'tls=0 AUTH' "$dir/mail/transcript"; then
	echo "demo-mail: AUTH was sent in the clear" >&2
	exit 1
fi
n=$(find "$dir/mail/new" -type f | wc -l)
echo "$n message(s) delivered over TLS into var/demo-mail/mail/new"
[ "$n" -ge 1 ] || { echo "demo-mail: the alert was not delivered" >&2; exit 1; }
