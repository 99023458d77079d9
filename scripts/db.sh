#!/usr/bin/env bash
# db.sh — the project's private MariaDB under var/: no system service, no TCP
# port, a Unix socket inside var/run/. Used by `make db-up/db-down`, the tests
# and the demo.
#
#   scripts/db.sh up       initialise (once), start, wait, create the database
#                          and the `settle` user (the schema owner, who may
#                          also create the role logins), the role passwords
#                          under var/secrets/roles/, write var/settle.conf
#
# The programs run as one login per role, which `settle-db grants` creates
# with its table privileges (libsettle/adapters/mysql/grants.c); the demo
# does that in scripts/demo-roles.sh.
#   scripts/db.sh down     stop it (if this tree started it)
#   scripts/db.sh status   exit 0 when it answers
#
# Rule: a second `up` is a no-op; it works as root (CI) and as an ordinary user.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
var="$top/var"
datadir="$var/db"
rundir="$var/run"
logdir="$var/log"
secrets="$var/secrets"
tmpdir="$var/tmp" # the server's own temporary files: nothing outside var/ may clean them away
sock="$rundir/mysqld.sock"
pidfile="$rundir/mysqld.pid"
conf="$var/settle.conf"
me=$(id -un)
# The roles of libsettle/adapters/mysql/grants.c.
roles="order refund dispute release settle payout invoice postings reports check webhook notify api"

die() { echo "db.sh: $*" >&2; exit 1; }

client() { mariadb --no-defaults --protocol=socket --socket="$sock" -u "$me" "$@"; }

answers() { [ -S "$sock" ] && client -N -e 'SELECT 1' >/dev/null 2>&1; }

# A Unix socket path must fit sun_path (108 bytes).
[ ${#sock} -lt 100 ] || die "socket path $sock is too long for a Unix socket; clone to a shorter path"

up() {
	mkdir -p "$rundir" "$logdir" "$secrets" "$tmpdir"
	chmod 700 "$secrets" "$tmpdir"
	# Already running: the steps below are idempotent and cheap, and they
	# bring an older var/ up to date (new users, new keys).
	if ! answers; then
		if [ ! -d "$datadir/mysql" ]; then
			rm -rf "$datadir"
			mariadb-install-db --no-defaults --datadir="$datadir" --user="$me" \
				--auth-root-authentication-method=socket --skip-test-db \
				>"$logdir/install-db.log" 2>&1 ||
				die "mariadb-install-db failed; see $logdir/install-db.log"
		fi
		# --user is needed when running as root; harmless otherwise.
		nohup mariadbd --no-defaults --datadir="$datadir" --socket="$sock" \
			--pid-file="$pidfile" --skip-networking --user="$me" --tmpdir="$tmpdir" \
			--log-error="$logdir/mariadb.err" \
			--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
			--default-time-zone=+00:00 --innodb-buffer-pool-size=256M \
			--max-connections=500 --innodb-lock-wait-timeout=10 \
			</dev/null >/dev/null 2>&1 &
		for _ in $(seq 1 300); do
			answers && break
			sleep 0.1
		done
		answers || die "mariadbd did not answer on $sock within 30 s; see $logdir/mariadb.err"
	fi

	if [ ! -s "$secrets/db-password" ]; then
		(umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secrets/db-password")
	fi
	if [ ! -s "$secrets/data-key" ]; then
		(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secrets/data-key")
	fi
	pw=$(cat "$secrets/db-password")
	# One password per role login (settle-db grants reads them through
	# [grants] <role>_password_file).
	mkdir -p "$secrets/roles"
	chmod 700 "$secrets/roles"
	for role in $roles; do
		if [ ! -s "$secrets/roles/$role" ]; then
			(umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secrets/roles/$role")
		fi
	done
	# The settle user may create and drop databases named settle*, which the
	# tests use for one database per test suite, and create the role logins
	# and grant them privileges there (settle-db grants).
	client <<-SQL
		CREATE DATABASE IF NOT EXISTS settle CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'settle'@'localhost' IDENTIFIED BY '$pw';
		ALTER USER 'settle'@'localhost' IDENTIFIED BY '$pw';
		GRANT ALL PRIVILEGES ON \`settle%\`.* TO 'settle'@'localhost' WITH GRANT OPTION;
		GRANT CREATE USER ON *.* TO 'settle'@'localhost';
	SQL

	if [ ! -f "$conf" ]; then
		cat >"$conf.tmp" <<-CONF
			; written by scripts/db.sh for the private development database
			[database]
			socket = $sock
			user = settle
			password_file = $secrets/db-password
			name = settle

			[crypto]
			data_key_file = $secrets/data-key
		CONF
		mv "$conf.tmp" "$conf"
	fi
	# An older var/settle.conf gains the role passwords.
	if ! grep -q '^\[grants\]' "$conf"; then
		{
			printf '\n[grants]\n'
			for role in $roles; do printf '%s_password_file = %s\n' "$role" "$secrets/roles/$role"; done
		} >>"$conf"
	fi
	# A role added since (api: settle-apid) gains its password in a
	# [grants] section of its own at the end (sections may repeat).
	for role in $roles; do
		if ! grep -q "^${role}_password_file" "$conf"; then
			printf '\n[grants]\n%s_password_file = %s\n' "$role" "$secrets/roles/$role" >>"$conf"
		fi
	done
}


down() {
	if [ -f "$pidfile" ]; then
		pid=$(cat "$pidfile")
		if kill "$pid" 2>/dev/null; then
			for _ in $(seq 1 300); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
		fi
	fi
	! answers || die "mariadbd still answers on $sock"
}

case "${1:-}" in
up) up ;;
down) down ;;
status) answers ;;
*) die "usage: db.sh up|down|status" ;;
esac
