#!/usr/bin/env bash
# demo.sh BUILD — the money path on the private MariaDB and the loopback
# sandbox, from an empty database each run (database settle_demo).
set -euo pipefail

build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

scripts/db.sh up
pw=$(cat var/secrets/db-password)
sql() { MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle "$@"; }
sql -e "DROP DATABASE IF EXISTS settle_demo; CREATE DATABASE settle_demo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

# Migrations and grants run as the schema owner (settle); every other
# program runs as its role's login (scripts/demo-roles.sh), which may not
# UPDATE or DELETE the ledger.
owner_conf="$top/var/demo-owner.conf"
conf="$top/var/demo.conf"
sed 's/^name = .*/name = settle_demo/' var/settle.conf >"$owner_conf"
cp "$owner_conf" "$conf"

step "schema"
run "$bin/settle-db" --config "$owner_conf" migrate
run "$bin/settle-db" --config "$owner_conf" migrate
run "$bin/settle-db" --config "$owner_conf" status
export SETTLE_CONFIG="$conf"
scripts/demo-roles.sh "$build" settle_demo
# From here on every program is its role's wrapper.
bin="$top/var/demo-roles/bin"

step "fixtures"
run "$bin/settle-db" load-pods fixtures/pods.csv
run "$bin/settle-db" load-leaders fixtures/leaders.csv
sql settle_demo -t -e "SELECT pod_id, leader_id, title, fee, currency, capacity, status FROM pods ORDER BY pod_id"
sql settle_demo -t -e "SELECT leader_id, kind, bank_code, CONCAT('****', account_last4) AS account, LENGTH(account_enc) AS cipher_bytes FROM leaders ORDER BY leader_id"

if [ -x scripts/demo-payments.sh ]; then
	scripts/demo-payments.sh var/demo-roles
fi
if [ -x scripts/demo-settlement.sh ]; then
	scripts/demo-settlement.sh var/demo-roles
fi
# The reconciliation and the invoices before finance's month close, so the
# month's pack holds them.
for part in reconcile policy invoice finance; do
	if [ -x "scripts/demo-$part.sh" ]; then
		"scripts/demo-$part.sh" var/demo-roles
	fi
done
# pay-webhookd: a virtual-account payment completed by the PG's webhook.
if [ -x scripts/demo-webhook.sh ]; then
	scripts/demo-webhook.sh var/demo-roles
fi
# The mails all of the above left in the outbox, and one alert.
if [ -x scripts/demo-notify.sh ]; then
	scripts/demo-notify.sh "$build"
fi
if [ -x scripts/demo-api.sh ]; then
	scripts/demo-api.sh "$build"
fi
# Issue 14: masked cards, tamper refusals, SMTP over TLS with AUTH.
if [ -x scripts/demo-mail.sh ]; then
	scripts/demo-mail.sh "$build"
fi

step "the ledger is append-only: by grant and by trigger"
set +e
MYSQL_PWD="$(cat var/secrets/roles/settle)" mariadb --no-defaults -S var/run/mysqld.sock -u settle_settle settle_demo \
	-e "UPDATE postings SET amount = amount + 1" 2>&1 | sed 's/^/  settle_settle: /'
sql settle_demo -e "DELETE FROM postings" 2>&1 | sed 's/^/  owner:      /'
set -e

scripts/demo-roles.sh --wrong-role "$build"

if [ -x scripts/demo-seal.sh ]; then
	scripts/demo-seal.sh var/demo-roles
fi

step "ledger check (a credit balance on bank is expected until the PG's settlement into it is booked)"
run "$bin/ledger-check"
echo
echo "demo: done (database settle_demo, config $conf); the database keeps running for a look around:"
echo "      SETTLE_CONFIG=$conf $build/bin/pay-show --pod pod-algo-101; make db-down stops it"
