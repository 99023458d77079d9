#!/usr/bin/env bash
# demo-finance.sh BIN_DIR_PARENT — the finance part of `make demo`, run by demo.sh
# after demo-settlement.sh with SETTLE_CONFIG pointing at var/demo.conf:
# settle-report prints the month's settlements and payouts (Korea time),
# writes a leader's statement, books the month's withholding remittance
# (once: a second booking is refused), and closes the month into
# var/reports/YYYY-MM/ with its SHA-256 manifest; then closes the month
# demo-invoice.sh issued invoices for, whose pack carries them (invoices/).
# demo.sh passes var/demo-roles: settle-report runs through its role
# wrapper (reports to read; finance postings for remit and close).
#
# The demo's money moved today, so its month is the current Korea-time
# month, which has not ended: remit and close are run with --early, as an
# operator would only do on purpose.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"
conf="$SETTLE_CONFIG"

reports="$top/var/reports"
rm -rf "$reports"
mkdir -p -m 750 "$reports"
cat >>"$conf" <<CONF

[reports]
dir = $reports
CONF

month=$(TZ=Asia/Seoul date +%Y-%m)
first="$month-01"
last=$(TZ=Asia/Seoul date -d "$first +1 month -1 day" +%Y-%m-%d)
today=$(TZ=Asia/Seoul date +%Y-%m-%d)
step "finance reports for $month (Korea time: $first..$last); [reports] dir = var/reports"

step "settlements: a row a settlement, the totals row equals the ledger (CSV, libcsv quoting)"
run "$bin/settle-report" settlements --from "$first" --to "$last"

step "payouts with what each carries (--detail), Korean column names"
run "$bin/settle-report" payouts --from "$first" --to "$last" --detail --lang ko

step "withholding for $month: payouts sent to individual leaders; resident numbers masked without --with-rrn"
run "$bin/settle-report" withholding --month "$month"

step "a leader's statement as a one-page HTML file"
run "$bin/settle-report" leader leader-kim --month "$month" --format html -o "$reports/leader-kim-$month.html"
run "$bin/settle-report" leader leader-kim --month "$month"

step "remit $month's withholding to the tax office (--early: the month is still running)"
expect 65 "$bin/settle-report" remit withholding --month "$month" --paid-on "$today"
run "$bin/settle-report" remit withholding --month "$month" --paid-on "$today" --early
echo "a second booking of the same month is refused:"
expect 65 "$bin/settle-report" remit withholding --month "$month" --paid-on "$today" --early

step "close $month: the month's pack with its SHA-256 manifest"
run "$bin/settle-report" close --month "$month" --early
pack="$reports/$month"
printf '$ ls -l %s\n' "${pack#"$top"/}"
ls -l "$pack" | sed 's/^/  /'
printf '$ (cd %s && sha256sum -c MANIFEST.sha256)\n' "${pack#"$top"/}"
(cd "$pack" && sha256sum -c MANIFEST.sha256) | sed 's/^/  /'
echo "closing it again is refused:"
expect 65 "$bin/settle-report" close --month "$month" --early

# demo-invoice.sh dated its pods' completion in an earlier month and issued
# that month's invoices into [invoice] outbox_dir/YYYY-MM/: that month has
# ended, so it closes without --early, and its invoices travel in its pack.
outbox=$(sed -n '/^\[invoice\]/,/^\[/s/^outbox_dir = //p' "$conf" | head -1)
packs="${pack#"$top"/}"
if [ -n "$outbox" ] && [ -d "$outbox" ]; then
	for d in "$outbox"/*/; do
		m=$(basename "$d")
		[ "$m" != "$month" ] && [[ "$m" =~ ^[0-9]{4}-[0-9]{2}$ ]] || continue
		step "close $m, the month of the demo's invoices: they go into its pack (invoices/) and its manifest"
		run "$bin/settle-report" close --month "$m"
		printf '$ (cd %s && sha256sum -c MANIFEST.sha256)\n' "var/reports/$m"
		(cd "$reports/$m" && sha256sum -c MANIFEST.sha256) | sed 's/^/  /'
		packs="$packs and var/reports/$m"
	done
fi
echo
echo "demo: the months' packs are in $packs (and the leader statement in var/reports/leader-kim-$month.html)"
