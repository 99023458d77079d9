#!/usr/bin/env bash
# bench-notify.sh BUILD — part (f) of `make bench` (issue 14):
#   1. settle-notify over BENCH_N (default 100000) pending notifications for
#      1000 users into the sandbox's SMTP receiver on loopback: messages/s
#      and peak RSS (the Study look-ups are cached after the first of each
#      user);
#   2. settle-watch over the BENCH_W (default 1000000) payment fixture of
#      scripts/bench-settlement-gen.sql: seconds per run, first as the
#      fixture is (all of it days old: the indexed window holds nothing),
#      then with every payment and refund moved into the window (the worst
#      case: every row is in the last five minutes). BENCH_W=0 skips it.
# Run on its own: scripts/bench-notify.sh build (the DB must be up).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
N=${BENCH_N:-100000}
W=${BENCH_W:-1000000}

scripts/db.sh up >/dev/null
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
run_dir="$top/var/run/bench-n"
rm -rf "$run_dir"
mkdir -p "$run_dir"
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }

fresh() {
	sed "s/^name = .*/name = $1/" var/settle.conf >"$run_dir/$1.conf"
	sql -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	SETTLE_CONFIG="$run_dir/$1.conf" "$bin/settle-db" -q migrate
}

# ---------------------------------------------------------------- 1.
"$bin/settle-sandbox" --port 0 --port-file "$run_dir/port" --smtp-maildir "$run_dir/mail" \
	--smtp-port-file "$run_dir/smtp" 2>"$run_dir/sandbox.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$run_dir/port" ] && [ -s "$run_dir/smtp" ] && break; sleep 0.05; done
(umask 077; printf 'bench-study-token\n' >"$run_dir/study-token")
fresh settle_bench_n
cat >>"$run_dir/settle_bench_n.conf" <<CONF

[study]
base_url = http://127.0.0.1:$(cat "$run_dir/port")
token_file = $run_dir/study-token

[notify]
channel = smtp
smtp_url = smtp://127.0.0.1:$(cat "$run_dir/smtp")
from = noreply@podstudy.example
templates_dir = $top/templates
batch = 500
CONF
sql settle_bench_n -e "INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, created_at)
	SELECT CONCAT('payment.completed:pay_b', seq), 'payment.completed', 'user', CONCAT('user-', seq % 1000),
	CONCAT('{\"amount\":\"50000\",\"at\":\"2026-11-24 10:00:00.000000\",\"currency\":\"KRW\",\"method\":\"CARD\",',
	'\"order\":\"ord-b', seq, '\",\"payment\":\"pay_b', seq, '\",\"pod\":\"pod-', seq % 500,
	'\",\"title\":\"알고리즘 스터디 ', seq % 500, '\"}'), UTC_TIMESTAMP(6) FROM seq_1_to_$N"
s=$(date +%s%N)
SETTLE_CONFIG="$run_dir/settle_bench_n.conf" /usr/bin/time -f '%M' -o "$run_dir/rss" "$bin/settle-notify" -q
e=$(date +%s%N)
sent=$(sql settle_bench_n -N -e "SELECT COUNT(*) FROM notifications WHERE status = 'SENT'")
got=$(find "$run_dir/mail/new" -type f | wc -l)
[ "$sent" = "$N" ] && [ "$got" = "$N" ] ||
	{ echo "bench-notify: $sent sent, $got received of $N" >&2; exit 1; }
printf '(f) settle-notify: %d notifications over SMTP in %s s: %.0f msgs/s, peak RSS %s KiB\n' "$N" \
	"$(secs $((e - s)))" "$(awk -v n="$N" -v ns=$((e - s)) 'BEGIN { print n / (ns / 1e9) }')" "$(cat "$run_dir/rss")"
kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true
trap - EXIT
sql -e "DROP DATABASE settle_bench_n"
rm -rf "$run_dir/mail"

# ---------------------------------------------------------------- 2.
[ "$W" = 0 ] && exit 0
fresh settle_bench_w
SETTLE_CONFIG="$run_dir/settle_bench_w.conf" "$bin/settle-db" -q load-leaders fixtures/leaders.csv
enc=$(sql -N settle_bench_w -e "SELECT HEX(account_enc) FROM leaders WHERE account_enc IS NOT NULL ORDER BY id LIMIT 1")
sql settle_bench_w -e "DELETE FROM leaders"
{ echo "SET @n = $W, @enc = UNHEX('$enc');"; cat scripts/bench-settlement-gen.sql; } | sql settle_bench_w
watch_once() {
	local s e
	s=$(date +%s%N)
	SETTLE_CONFIG="$run_dir/settle_bench_w.conf" /usr/bin/time -f '%M' -o "$run_dir/rss" "$bin/settle-watch" --json \
		>"$run_dir/watch.json"
	e=$(date +%s%N)
	printf '(f) settle-watch over %d payments, %s: %s s, peak RSS %s KiB, %s\n' "$W" "$1" "$(secs $((e - s)))" \
		"$(cat "$run_dir/rss")" "$(sed -n 's/.*"firing":\([0-9]*\).*/\1 rule(s) firing/p' "$run_dir/watch.json")"
}
watch_once "the fixture as generated (days old)"
sql settle_bench_w -e "UPDATE payments SET updated_at = UTC_TIMESTAMP(6); UPDATE refunds SET updated_at = UTC_TIMESTAMP(6)"
watch_once "every payment and refund in the window"
sql -e "DROP DATABASE settle_bench_w"
