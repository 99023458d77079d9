#!/usr/bin/env bash
# check-units.sh DIR — every systemd unit of settle, generated with its
# paths under DIR (so ExecStart= names a file that exists), passes
# `systemd-analyze verify`, and each service's `systemd-analyze security`
# exposure is at most 2.0 (the figures are printed; systemd/SECURITY.md
# records them). Run by `make install-test`, so by `make check`.
#
# These machines run no systemd: units are verified offline, never started.
# Without systemd-analyze the check is skipped with a message.
set -euo pipefail

dir=${1:?usage: check-units.sh DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
max=2.0

# The alert wrapper runs the configured command with the failed unit's
# name (no systemd needed for that).
rm -rf "$dir"
make -C "$top" --no-print-directory -s install-files DESTDIR= PREFIX="$dir/usr" SYSCONFDIR="$dir/etc" \
	LOCALSTATEDIR="$dir/var" >/dev/null
SETTLE_ALERT_COMMAND='printf "%s\n" "$1" > "$ALERT_OUT"' ALERT_OUT="$dir/alerted" \
	"$dir/usr/lib/settle/jobs/settle-alert" settle-ledger-check.service 2>/dev/null
[ "$(cat "$dir/alerted")" = settle-ledger-check.service ] || { echo "check-units: settle-alert did not run the command" >&2; exit 1; }
if "$dir/usr/lib/settle/jobs/settle-alert" settle-run.service 2>/dev/null; then
	echo "check-units: settle-alert without a command must fail (the journal line is the alert)" >&2
	exit 1
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "  SKIP    systemd units not verified: systemd-analyze is not installed (Debian package systemd)"
	exit 0
fi
units="$dir/usr/lib/systemd/system"
# systemd-analyze looks up units named by OnFailure=, Unit= and After= on
# the unit path: settle's own directory first, then the system's.
export SYSTEMD_UNIT_PATH="$units:"
fail=0
for u in "$units"/*.service "$units"/*.timer "$units"/*.socket; do
	if ! out=$(systemd-analyze verify --man=no "$u" 2>&1) || [ -n "$out" ]; then
		echo "check-units: $(basename "$u"): systemd-analyze verify says:" >&2
		echo "$out" | sed 's/^/  /' >&2
		fail=1
	fi
done
for u in "$units"/*.service; do
	line=$(systemd-analyze security --offline=true --no-pager "$u" 2>&1 | grep 'Overall exposure level' || true)
	level=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
	if [ -z "$level" ]; then
		echo "check-units: $(basename "$u"): no exposure level from systemd-analyze security" >&2
		fail=1
		continue
	fi
	printf '  %-32s exposure %s\n' "$(basename "$u")" "$level"
	if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l > m) }'; then
		echo "check-units: $(basename "$u"): exposure $level is above $max" >&2
		fail=1
	fi
done
[ "$fail" = 0 ] || exit 1
echo "  OK      every unit verifies; every service's exposure is at most $max"
