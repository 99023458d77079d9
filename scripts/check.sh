#!/usr/bin/env bash
# check.sh BUILD — run every test against the private MariaDB.
# Starts the database if it is not running (and stops it again afterwards),
# then runs the Criterion binary, which ends with its summary line.
set -uo pipefail

build=${1:-build/check}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

started=0
if ! scripts/db.sh status; then
	scripts/db.sh up || exit 1
	started=1
fi
stop() { [ "$started" = 1 ] && scripts/db.sh down; }
trap stop EXIT

export SETTLE_TEST_CONFIG="$top/var/settle.conf"
export SETTLE_BIN_DIR="$top/$build/bin"
export SETTLE_SCHEMA_DIR="$top/schema"
# Leak checking stays on; the MariaDB client's one-time library state is
# released by mysql_library_end in every program.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
# Leaks inside Criterion's own runner are not settle's (tests/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Drop databases left by an interrupted earlier run.
pw=$(cat var/secrets/db-password)
MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle -N -e \
	"SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'settle\\_t\\_%'" 2>/dev/null |
	while read -r d; do MYSQL_PWD="$pw" mariadb --no-defaults -S var/run/mysqld.sock -u settle -e "DROP DATABASE \`$d\`"; done

"$build/tests/settle-tests" --jobs="${SETTLE_TEST_JOBS:-4}" "$@"
