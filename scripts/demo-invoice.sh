#!/usr/bin/env bash
# demo-invoice.sh BUILD — the e-tax invoice part of `make demo`, run by
# demo.sh after demo-settlement.sh with SETTLE_CONFIG pointing at
# var/demo.conf: the month's invoices for the platform's fee, one per
# business leader, through the sandbox's Popbill-shaped provider; the
# clawback demo-settlement.sh made gives an amended invoice; the signed XML
# lands in var/outbox/invoices/YYYY-MM/.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"
conf="$SETTLE_CONFIG"

# --- the sandbox (e-invoice provider and its token service) ----------------
portfile="$top/var/run/sandbox-invoice.port"
rm -f "$portfile"
"$bin/settle-sandbox" --port 0 --port-file "$portfile" 2>"$top/var/log/sandbox-invoice.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$portfile")"

# The provider's LinkHub credentials (the sandbox's) and the platform's
# signing certificate: a self-signed RSA-2048 one made for the demo.
secrets="$top/var/secrets"
(umask 077
	printf 'SETTLE_SANDBOX\n' >"$secrets/linkhub-id"
	printf 'c2V0dGxlLXNhbmRib3gtbGlua2h1Yi1zZWNyZXQta2V5IQ==\n' >"$secrets/linkhub-secret"
	openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=Pod Study Inc./O=Pod Study Inc./C=KR' -days 365 \
		-keyout "$secrets/invoice-key.pem" -out "$secrets/invoice-cert.pem" >/dev/null 2>&1)
outbox="$top/var/outbox/invoices"
rm -rf "$outbox"
mkdir -p -m 700 "$outbox"

cat >>"$conf" <<CONF

[invoice]
outbox_dir = $outbox
base_url = $base/popbill
auth_url = $base/linkhub
service_id = POPBILL_TEST
link_id_file = $secrets/linkhub-id
secret_key_file = $secrets/linkhub-secret
certificate_file = $secrets/invoice-cert.pem
key_file = $secrets/invoice-key.pem
timeout_ms = 3000

[platform]
business_number = 2208100001
name = Pod Study Inc.
representative = Han Platform
address = 1 Teheran-ro, Gangnam-gu, Seoul
business_type = Service
business_item = Online study platform
email = tax@podstudy.example
CONF
step "invoice config: [invoice] [platform] (sandbox provider on $base)"
sed -n '/^\[invoice\]/,$p' "$conf"

# --- the month ------------------------------------------------------------
this_month=$(TZ=Asia/Seoul date +%Y-%m)
month=$(TZ=Asia/Seoul date -d "$(TZ=Asia/Seoul date +%Y-%m-01) -1 month" +%Y-%m)
day=$(TZ=Asia/Seoul date +%d)

step "a month's invoice is dated its last day: $this_month has not ended"
expect 65 "$bin/invoice-issue" --month "$this_month"

step "so the demo moves its settled pods' completion into $month (SQL as the schema owner)"
show "UPDATE pods SET completed_at = TIMESTAMP('$month-20 03:00:00') WHERE pod_id IN (SELECT pod_id FROM settlements)"

step "registration numbers: the fixtures' fail the NTS check digit; park's is corrected, lee's left as it is"
show "UPDATE leaders SET business_number = '1168200276' WHERE leader_id = 'leader-park'"
show "SELECT leader_id, kind, business_number FROM leaders ORDER BY leader_id"

late=()
if [ "$((10#$day))" -gt 10 ]; then
	step "$month's invoices were due on the 10th: without --late nothing is issued"
	expect 65 "$bin/invoice-issue" --month "$month"
	late=(--late)
fi

step "invoice-issue: the original for park, then its amendment for the clawback; lee is listed, not invoiced"
run "$bin/invoice-issue" --month "$month" "${late[@]}" --dry-run
expect 65 "$bin/invoice-issue" --month "$month" "${late[@]}"

step "lee's number corrected: the re-run issues lee's invoice and nothing twice"
show "UPDATE leaders SET business_number = '1234567891' WHERE leader_id = 'leader-lee'"
run "$bin/invoice-issue" --month "$month" "${late[@]}"
run "$bin/invoice-issue" --month "$month" "${late[@]}"
show "SELECT t.public_id, t.leader_id, t.sequence AS seq, t.type_code, t.amendment_code AS rs, t.write_date, t.supply, t.vat, t.total, t.status, t.nts_issue_id, o.nts_issue_id AS original, t.late FROM tax_invoices t LEFT JOIN tax_invoices o ON o.id = t.original_id ORDER BY t.id"

step "the finance check: per invoiced leader, invoices (amendments included) = the fee side of settlements and clawbacks"
show "SELECT i.leader_id, i.supply AS invoiced_supply, w.supply AS fee_supply, i.vat AS invoiced_vat, w.vat AS fee_vat FROM (SELECT leader_id, SUM(supply) AS supply, SUM(vat) AS vat FROM tax_invoices WHERE period = '$month' AND status = 'ISSUED' GROUP BY leader_id) i JOIN (SELECT s.leader_id, SUM(s.supply) - COALESCE(SUM(c.cs), 0) AS supply, SUM(s.vat) - COALESCE(SUM(c.cv), 0) AS vat FROM settlements s LEFT JOIN (SELECT settlement_id, SUM(supply_part) AS cs, SUM(vat_part) AS cv FROM clawbacks GROUP BY settlement_id) c ON c.settlement_id = s.id GROUP BY s.leader_id) w USING (leader_id) ORDER BY i.leader_id"

step "the XML: validated against schema/taxinvoice.xsd and signed; where it is"
ls -l "$outbox/$month" | sed "s|$top/||"
for x in "$outbox/$month"/*.xml; do
	xmllint --noout --schema schema/taxinvoice.xsd "$x" 2>&1 | sed "s|$top/||"
	printf '%s: ' "${x#"$top"/}"
	xmlsec1 --verify --trusted-pem "$secrets/invoice-cert.pem" "$x" 2>&1 | grep -E '^(OK|FAIL)' | sed 's/^/signature /' 
done
amended=$(ls "$outbox/$month"/*N1.xml | head -1)
echo "the amendment, $(basename "$amended"), its document part:"
grep -o '<TaxInvoiceDocument>.*</TaxInvoiceDocument>' "$amended" | sed 's/></>\n  </g' | sed 's/^/  /'
echo
echo "invoices: ${outbox#"$top"/}/$month/"
