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

conf="$top/var/demo.conf"
sed 's/^name = .*/name = settle_demo/' var/settle.conf >"$conf"
export SETTLE_CONFIG="$conf"

step "schema"
run "$bin/settle-db" migrate
run "$bin/settle-db" migrate
run "$bin/settle-db" status

step "fixtures"
run "$bin/settle-db" load-pods fixtures/pods.csv
run "$bin/settle-db" load-leaders fixtures/leaders.csv
sql settle_demo -t -e "SELECT pod_id, leader_id, title, fee, currency, capacity, status FROM pods ORDER BY pod_id"
sql settle_demo -t -e "SELECT leader_id, kind, bank_code, CONCAT('****', account_last4) AS account, LENGTH(account_enc) AS cipher_bytes FROM leaders ORDER BY leader_id"

if [ -x scripts/demo-payments.sh ]; then
	scripts/demo-payments.sh "$build"
fi

step "ledger check"
run "$bin/ledger-check"
echo
echo "demo: done (database settle_demo, config $conf); the database keeps running for a look around:"
echo "      SETTLE_CONFIG=$conf $build/bin/pay-show --pod pod-algo-101; make db-down stops it"
