# demo-lib.sh — what every part of `make demo` shares; sourced, never run:
#   . "$(dirname "$0")/demo-lib.sh" "$@"
# $1 is the build directory whose bin/ holds the programs (demo.sh passes
# var/demo-roles, whose wrappers run each program as its role's login).
build=${1:-build}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bin="$top/$build/bin"

# A heading, a command shown then run, a command that must end with a
# given exit status (the demo stops when it does not).
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
expect() {
	local want=$1; shift
	printf '$ %s   # expect exit %s\n' "$*" "$want"
	set +e; "$@"; local got=$?; set -e
	[ "$got" = "$want" ] || { echo "demo: expected exit $want, got $got" >&2; exit 1; }
}

# SQL on the demo database as the schema owner (for what no program does:
# looking at tables, moving the clock of a pod), and a query shown as a table.
owner_sql() { MYSQL_PWD="$(cat "$top/var/secrets/db-password")" mariadb --no-defaults -S "$top/var/run/mysqld.sock" -u settle settle_demo "$@"; }
show() { printf '$ mariadb> %s\n' "$1"; owner_sql -t -e "$1"; }
