#!/usr/bin/env bash
# demo-roles.sh BUILD DB — the least-privilege part of `make demo`, run by
# demo.sh after the migrations with SETTLE_CONFIG naming the schema owner's
# config for DB: `settle-db grants` creates one login per role, and every
# program of the demo then runs as its role's login, given to it the way a
# systemd unit gives it (credentials database.user and database.password in
# $CREDENTIALS_DIRECTORY, see systemd/*.service.in).
#
# Writes var/demo-roles/bin/<program>: a wrapper per program that runs
# BUILD/bin/<program> with its role's credentials (settle-db, the owner's
# tool, and the sandbox run as they are); demo.sh runs those wrappers.
#
# demo-roles.sh --wrong-role BUILD: a program started with another role's
# login (the payment sweep as settle_reports) is refused by the database.
set -euo pipefail

if [ "${1:-}" = --wrong-role ]; then
	top=$(cd "$(dirname "$0")/.." && pwd)
	printf '\n== %s\n' "a program started with another role's login is refused by the database"
	set +e
	CREDENTIALS_DIRECTORY="$top/var/demo-roles/creds/reports" "$top/${2:-build}/bin/pay-capture" -q --sweep 2>&1 |
		sed 's/^/  pay-capture --sweep as settle_reports: /'
	rc=${PIPESTATUS[0]}
	set -e
	echo "  exit $rc (78: a privilege the login lacks is a configuration to fix)"
	[ "$rc" = 78 ] || { echo "demo-roles: expected exit 78" >&2; exit 1; }
	exit 0
fi

build=${1:-build}
db=${2:-settle_demo}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
dir="$top/var/demo-roles"

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "least privilege: one database login per role (settle-db grants)"
"$bin/settle-db" grants --dry-run | grep -E "^(CREATE USER|GRANT .*(journal_entries|postings|job_runs)).*'settle_(settle|reports)'" || true
run "$bin/settle-db" grants

# The role of each program: libsettle/adapters/mysql/grants.c's table.
role_of() {
	case "$1" in
	pay-order | pay-capture) echo order ;;
	pay-refund) echo refund ;;
	escrow-dispute) echo dispute ;;
	escrow-release) echo release ;;
	settle-run) echo settle ;;
	payout-send) echo payout ;;
	invoice-issue) echo invoice ;;
	settle-report) echo reports ;;
	pay-show) echo reports ;;
	ledger-check | ledger-seal) echo check ;;
	pay-webhookd) echo webhook ;;
	settle-notify | settle-watch) echo notify ;;
	settle-apid) echo api ;;
	*) echo "" ;;
	esac
}

rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/creds"
chmod 700 "$dir/creds"
for role in order refund dispute release settle payout invoice postings reports check webhook notify api; do
	(
		umask 077
		mkdir -p "$dir/creds/$role"
		printf 'settle_%s\n' "$role" >"$dir/creds/$role/database.user"
		cp "$top/var/secrets/roles/$role" "$dir/creds/$role/database.password"
	)
done
for p in "$bin"/*; do
	name=$(basename "$p")
	role=$(role_of "$name")
	if [ "$name" = settle-report ]; then
		# What books (remit, close, reconcile --post) runs as finance
		# postings; what only reads, as reports.
		cat >"$dir/bin/$name" <<EOF
#!/bin/sh
role=reports
for a in "\$@"; do
	case "\$a" in remit | close | --post) role=postings ;; esac
done
CREDENTIALS_DIRECTORY=$dir/creds/\$role exec $p "\$@"
EOF
	elif [ -n "$role" ]; then
		printf '#!/bin/sh\nCREDENTIALS_DIRECTORY=%s exec %s "$@"\n' "$dir/creds/$role" "$p" >"$dir/bin/$name"
	else
		printf '#!/bin/sh\nexec %s "$@"\n' "$p" >"$dir/bin/$name"
	fi
	chmod 755 "$dir/bin/$name"
done
echo "wrappers in var/demo-roles/bin: each program runs as settle_<role>"
