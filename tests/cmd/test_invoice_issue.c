/*
 * invoice-issue against the real database and the sandbox's e-invoice
 * provider: one invoice per business leader for the platform's fee of a
 * month (lines = the settlements' own supply and VAT), every XML valid
 * against the schema (xmllint --schema too), a re-run issues nothing
 * twice, a clawback after invoicing gives an amended invoice (0201, 02)
 * naming the original, and for the invoiced leaders the month's invoices,
 * amendments included, add up to the fee side of their settlements and
 * clawbacks. Every refusal: its exit code, one line, nothing changed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payfix.h"

#define BEFORE_DUE "SETTLE_NOW=2026-11-05T01:00:00Z"
#define AFTER_DUE "SETTLE_NOW=2026-11-20T01:00:00Z"

static struct payfix f;
static char outbox[128];
static char base_conf[sizeof f.t.extra_conf];

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "%s", path);
	fputs(text, fp);
	fclose(fp);
	cr_assert_eq(chmod(path, 0600), 0);
}

static void config(const char *more)
{
	char link[160], secret[160];
	size_t used;

	snprintf(link, sizeof link, "%s/linkhub-id", f.dir);
	snprintf(secret, sizeof secret, "%s/linkhub-secret", f.dir);
	write_file(link, "SETTLE_SANDBOX\n");
	write_file(secret, "c2V0dGxlLXNhbmRib3gtbGlua2h1Yi1zZWNyZXQta2V5IQ==\n");
	memcpy(f.t.extra_conf, base_conf, sizeof base_conf);
	used = strlen(f.t.extra_conf);
	snprintf(f.t.extra_conf + used, sizeof f.t.extra_conf - used,
		 "\n[invoice]\noutbox_dir = %s\nbase_url = %s/popbill\nauth_url = %s/linkhub\nservice_id = POPBILL_TEST\n"
		 "link_id_file = %s\nsecret_key_file = %s\ntimeout_ms = 1500\n%s"
		 "\n[platform]\nbusiness_number = 2208100001\nname = Pod Study Inc.\nrepresentative = Han Platform\n"
		 "address = 1 Teheran-ro, Gangnam-gu, Seoul\nbusiness_type = Service\nbusiness_item = Online platform\n",
		 outbox, f.sp.base_url, f.sp.base_url, link, secret, more ? more : "");
	testdb_write_config(&f.t);
}

static void setup(void)
{
	payfix_setup(&f, "[escrow]\nhold_days = 7\n");
	memcpy(base_conf, f.t.extra_conf, sizeof base_conf);
	snprintf(outbox, sizeof outbox, "%s/outbox", f.dir);
	cr_assert_eq(mkdir(outbox, 0700), 0);
	config(NULL);
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s/outbox' '%s/linkhub-id' '%s/linkhub-secret' '%s/cert'", f.dir, f.dir,
		 f.dir, f.dir);
	cr_assert_eq(system(cmd), 0);
	payfix_teardown(&f);
}

TestSuite(cmd_invoice_issue, .init = setup, .fini = teardown, .timeout = 90);

static void run_at(const char *now, const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, (const char *[]){now, NULL}, r);
}

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

/* Pods paid for, completed on 2026-10-15 (Korea time), released and settled. */
static void settled_world(const char *lee_brn, const char *park_brn)
{
	char o[80], path[512];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o); /* leader-kim, INDIVIDUAL */
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);  /* leader-lee, INDIVIDUAL_BUSINESS, 30 000 */
	pf_paid(&f, "pod-sql-201", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o); /* leader-park, CORPORATE, 70 000 */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = '2026-10-15 03:00:00' "
				      "WHERE pod_id IN ('pod-algo-101', 'pod-sql-201', 'pod-rust-301')"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "release: %s", r.err);
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path),
			     NULL},
	    &r);
	cr_assert_eq(r.status, 0, "load-leaders: %s", r.err);
	pf_count(&f, "SELECT 0"); /* keep the connection warm */
	cr_assert_eq(testdb_sql(&f.t, lee_brn), 0u);
	cr_assert_eq(testdb_sql(&f.t, park_brn), 0u);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "settle-run: %s", r.err);
}

#define LEE_OK "UPDATE leaders SET business_number = '1234567891' WHERE leader_id = 'leader-lee'"
#define LEE_BAD "UPDATE leaders SET business_number = '1234567890' WHERE leader_id = 'leader-lee'"
#define PARK_OK "UPDATE leaders SET business_number = '1168200276' WHERE leader_id = 'leader-park'"
#define PARK_BAD "UPDATE leaders SET business_number = '2208123456' WHERE leader_id = 'leader-park'"

static void digest(char *out, size_t len)
{
	pf_string(&f, out, len,
		  "SELECT CONCAT((SELECT COUNT(*) FROM tax_invoices), '/', (SELECT COUNT(*) FROM tax_invoice_lines), '/', "
		  "(SELECT COUNT(*) FROM tax_invoice_items), '/', "
		  "(SELECT COALESCE(GROUP_CONCAT(CONCAT(id, status, COALESCE(nts_issue_id, '-')) ORDER BY id), '') "
		  "FROM tax_invoices))");
}

static int outbox_files(void)
{
	char cmd[256], buf[32] = "";
	FILE *p;

	snprintf(cmd, sizeof cmd, "find '%s' -type f | wc -l", outbox);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(buf, sizeof buf, p));
	pclose(p);
	return atoi(buf);
}

/* The finance check: for every invoiced leader, the month's invoices
 * (amendments included) add up to the fee side of their settlements and
 * clawbacks of that month. */
static void finance_check(void)
{
	cr_assert_eq(pf_count(&f,
			      "SELECT COUNT(*) FROM (SELECT t.leader_id, SUM(t.supply) AS s, SUM(t.vat) AS v "
			      "FROM tax_invoices t WHERE t.period = '2026-10' AND t.status = 'ISSUED' GROUP BY t.leader_id) i "
			      "JOIN (SELECT s.leader_id, SUM(s.supply) - COALESCE(SUM(c.cs), 0) AS s, "
			      "SUM(s.vat) - COALESCE(SUM(c.cv), 0) AS v FROM settlements s JOIN pods p ON p.pod_id = s.pod_id "
			      "LEFT JOIN (SELECT settlement_id, SUM(supply_part) AS cs, SUM(vat_part) AS cv FROM clawbacks "
			      "GROUP BY settlement_id) c ON c.settlement_id = s.id "
			      "WHERE p.completed_at >= '2026-09-30 15:00:00' AND p.completed_at < '2026-10-31 15:00:00' "
			      "GROUP BY s.leader_id) w ON w.leader_id = i.leader_id WHERE i.s <> w.s OR i.v <> w.v"),
		     0, "an invoiced leader's invoices differ from their settlements and clawbacks");
}

static void xmllint_ok(void)
{
	char cmd[512], xsd[256];

	snprintf(cmd, sizeof cmd, "for x in $(find '%s' -name '*.xml'); do xmllint --noout --schema '%s' \"$x\" 2>/dev/null "
		 "|| exit 1; done", outbox, test_repo_file("schema/taxinvoice.xsd", xsd, sizeof xsd));
	cr_assert_eq(system(cmd), 0, "an invoice does not validate with xmllint --schema");
}

Test(cmd_invoice_issue, issues_once_per_business_leader)
{
	struct run_result r;
	char before[512], after[512];

	settled_world(LEE_OK, PARK_OK);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", "--dry-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "PLANNED") && strstr(r.out, "2 document(s) would be issued"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices"), 0);

	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "issued 2 document(s) for 2026-10"), "%s", r.out);
	/* lee: 2 × 30 000 → fee 12 000 = supply 10 909 + VAT 1 091; an individual is not invoiced */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE leader_id = 'leader-lee' AND type_code = '0101' "
				  "AND status = 'ISSUED' AND supply = 10909 AND vat = 1091 AND total = 12000 "
				  "AND write_date = '2026-10-31' AND LENGTH(nts_issue_id) = 24 AND late = 0"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE leader_id = 'leader-kim'"), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoice_lines l JOIN tax_invoices t ON t.id = l.invoice_id "
				  "WHERE t.leader_id = 'leader-park' AND l.seq = 1 AND l.supply = 12727 AND l.vat = 1273 "
				  "AND l.supply_date = '2026-10-15'"),
		     1);
	cr_assert_eq(outbox_files(), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE xml_path LIKE '%%/2026-10/S202610L%%N0.xml'"), 2);
	xmllint_ok();
	finance_check();

	/* a second run issues nothing twice */
	digest(before, sizeof before);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "issued 0 document(s)"), "%s", r.out);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_executed", NULL), 2);
	/* each leader was told once (issue 14): the approval number whole,
	 * the business number masked */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications n JOIN tax_invoices t "
				  "ON n.notify_key = CONCAT('invoice.issued:', t.public_id) WHERE n.template = 'invoice.issued' "
				  "AND n.recipient_kind = 'leader' AND n.recipient_id = t.leader_id "
				  "AND BINARY REPLACE(JSON_VALUE(n.facts, '$.approval'), ' ', '') = BINARY t.nts_issue_id "
				  "AND JSON_VALUE(n.facts, '$.total') + 0 = t.total "
				  "AND JSON_VALUE(n.facts, '$.brn') LIKE '******____'"),
		     2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'invoice.issued'"), 2);
}

Test(cmd_invoice_issue, clawback_gives_an_amendment)
{
	struct run_result r;
	char order[80], pay[64], orig[32];

	settled_world(LEE_OK, PARK_OK);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_string(&f, order, sizeof order, "SELECT order_id FROM payments WHERE pod_id = 'pod-rust-301'");
	pf_payment_id(&f, order, pay, sizeof pay);
	run((const char *[]){"pay-refund", pay, "--amount", "35000", "--reason", "left the pod", "--after-release", NULL},
	    &r);
	cr_assert_eq(r.status, 0, "refund: %s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM clawbacks"), 1);

	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
	cr_assert(strstr(r.out, "issued 1 document(s) for 2026-10 (1 amendment(s)"), "%s", r.out);
	pf_string(&f, orig, sizeof orig, "SELECT nts_issue_id FROM tax_invoices WHERE leader_id = 'leader-park' AND sequence = 0");
	/* half of 70 000 back: the fee's supply and VAT halve */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices t JOIN tax_invoices o ON o.id = t.original_id "
				  "WHERE t.leader_id = 'leader-park' AND t.sequence = 1 AND t.type_code = '0201' "
				  "AND t.amendment_code = '02' AND t.status = 'ISSUED' AND t.supply = -(SELECT supply_part "
				  "FROM clawbacks) AND t.vat = -(SELECT vat_part FROM clawbacks) AND o.sequence = 0"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoice_items WHERE item_kind = 'CLAWBACK'"), 1);
	xmllint_ok();
	finance_check();
	{
		char cmd[512];

		/* the amendment's XML names the original */
		snprintf(cmd, sizeof cmd, "grep -q '<OriginalIssueID>%s</OriginalIssueID>' $(find '%s' -name '*N1.xml')",
			 orig, outbox);
		cr_assert_eq(system(cmd), 0);
	}
}

Test(cmd_invoice_issue, bad_business_number_is_listed)
{
	struct run_result r;

	settled_world(LEE_BAD, PARK_OK);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "leader-lee") && strstr(r.err, "check digit"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	cr_assert(strstr(r.out, "not invoiced: leader-lee"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE leader_id = 'leader-park'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE leader_id = 'leader-lee'"), 0);
}

Test(cmd_invoice_issue, only_bad_numbers_change_nothing)
{
	struct run_result r;
	char before[512], after[512];

	settled_world(LEE_BAD, PARK_BAD);
	digest(before, sizeof before);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "2 leader(s) not invoiced") && strstr(r.err, "leader-park"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(outbox_files(), 0);
}

Test(cmd_invoice_issue, refuses_unsettled_month)
{
	struct run_result r;
	char o[80], before[512], after[512];

	/* paid and completed in October, never released: held in escrow */
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = '2026-10-20 03:00:00' "
				      "WHERE pod_id IN ('pod-sql-201', 'pod-rust-301')"),
		     0u);
	digest(before, sizeof before);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "2 pod(s) completed in it are not settled yet: pod-rust-301, pod-sql-201"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice", NULL), 0);
}

Test(cmd_invoice_issue, malformed_months)
{
	static const char *const bad[] = {"2026-13", "2026-00", "2026-1", "26-10", "2026/10", "abcd-ef", "2026-10-01", "",
					  "1999-12"};
	struct run_result r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", bad[i], NULL}, &r);
		cr_assert_eq(r.status, 65, "%s: %d %s", bad[i], r.status, r.err);
		cr_assert(strstr(r.err, "--month"), "%s: %s", bad[i], r.err);
		cr_assert(pf_one_line(r.err), "%s", r.err);
	}
	run((const char *[]){"invoice-issue", NULL}, &r);
	cr_assert_eq(r.status, 64, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "--month is required"), "%s", r.err);
	/* a month not over yet */
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-11", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "2026-11 has not ended yet"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices"), 0);
}

Test(cmd_invoice_issue, late_needs_late)
{
	struct run_result r;
	char before[512], after[512];

	settled_world(LEE_OK, PARK_OK);
	digest(before, sizeof before);
	run_at(AFTER_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "past their deadline (20261110)") && strstr(r.err, "--late"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);
	run_at(AFTER_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", "--late", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "LATE") && strstr(r.out, "2 late"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE late = 1 AND status = 'ISSUED'"), 2);
}

Test(cmd_invoice_issue, in_doubt_is_looked_up_not_resent)
{
	struct run_result r;

	settled_world(LEE_BAD, PARK_OK);
	pf_fault(&f, "{\"fault\":\"drop_after_commit\",\"op\":\"einvoice\",\"count\":1}");
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'DRAFT' AND doubt_count = 1"), 1);
	cr_assert_eq(outbox_files(), 0);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err); /* lee is still listed */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'ISSUED'"), 1);
	/* looked up, not sent again */
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice", NULL), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_get_executed", NULL), 1);
	cr_assert_eq(outbox_files(), 1);
}

Test(cmd_invoice_issue, server_error_then_sent_once)
{
	struct run_result r;

	settled_world(LEE_BAD, PARK_OK);
	pf_fault(&f, "{\"fault\":\"http500\",\"op\":\"einvoice\",\"count\":1}");
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'ISSUED'"), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_executed", NULL), 1);
	finance_check();
}

Test(cmd_invoice_issue, refused_for_good)
{
	struct run_result r;

	settled_world(LEE_BAD, PARK_OK);
	pf_fault(&f, "{\"fault\":\"refuse\",\"op\":\"einvoice\",\"code\":\"-10000001\",\"message\":\"no certificate\"}");
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 69, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "REJECTED") && strstr(r.out, "no certificate"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'REJECTED' AND "
				  "provider_code = '-10000001'"),
		     1);
	cr_assert_eq(outbox_files(), 0);
}

Test(cmd_invoice_issue, certificate_that_does_not_load)
{
	struct run_result r;
	char cert[160], more[400], before[512], after[512];

	settled_world(LEE_OK, PARK_OK);
	snprintf(cert, sizeof cert, "%s/cert", f.dir);
	write_file(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
	snprintf(more, sizeof more, "certificate_file = %s\nkey_file = %s\n", cert, cert);
	config(more);
	digest(before, sizeof before);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 78, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "does not load"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice", NULL), 0);
}

Test(cmd_invoice_issue, outbox_missing)
{
	struct run_result r;

	settled_world(LEE_OK, PARK_OK);
	cr_assert_eq(rmdir(outbox), 0);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 78, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "outbox_dir") && strstr(r.err, "not a directory"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices"), 0);
	cr_assert_eq(mkdir(outbox, 0700), 0);
}

Test(cmd_invoice_issue, signed_xml_verifies)
{
	struct run_result r;
	char cmd[1024], more[400];

	settled_world(LEE_BAD, PARK_OK);
	snprintf(cmd, sizeof cmd,
		 "mkdir -p '%s/cert' && openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=Pod Study Inc./C=KR' -days 30 "
		 "-keyout '%s/cert/key.pem' -out '%s/cert/cert.pem' >/dev/null 2>&1",
		 f.dir, f.dir, f.dir);
	cr_assert_eq(system(cmd), 0);
	snprintf(more, sizeof more, "certificate_file = %s/cert/cert.pem\nkey_file = %s/cert/key.pem\n", f.dir, f.dir);
	config(more);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err); /* lee listed */
	cr_assert_eq(outbox_files(), 1);
	xmllint_ok();
	snprintf(cmd, sizeof cmd,
		 "x=$(find '%s' -name '*.xml') && grep -q 'ds:Signature' \"$x\" && "
		 "xmlsec1 --verify --trusted-pem '%s/cert/cert.pem' \"$x\" >/dev/null 2>&1",
		 outbox, f.dir);
	cr_assert_eq(system(cmd), 0, "xmlsec1 --verify refused the signature");
}

/* The codes the other tests do not reach: an internal error (70), and
 * --json output that a machine reads. */
Test(cmd_invoice_issue, internal_error_and_json)
{
	struct run_result r;

	run_program(&f.t, (const char *[]){"invoice-issue", "--month", "2026-10", NULL},
		    (const char *[]){BEFORE_DUE, "SETTLE_FAILPOINT=cli.internal", NULL}, &r);
	cr_assert_eq(r.status, 70, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "invoice-issue"), "%s", r.err);
	settled_world(LEE_OK, PARK_OK);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "\"issued\":2") && strstr(r.out, "\"typeCode\":\"0101\"") &&
			  strstr(r.out, "\"approvalNumber\":\"20261031"),
		  "%s", r.out);
	cr_assert_eq(r.out[0], '{', "%s", r.out);
}

/* Killed between the committed intent and the call, and between the XML
 * and the outcome: the next run looks each document up, sends what the
 * provider never got, writes what it issued, and nothing twice. */
Test(cmd_invoice_issue, killed_midway_finishes_on_rerun)
{
	struct run_result r;

	settled_world(LEE_OK, PARK_BAD);
	run_program(&f.t, (const char *[]){"invoice-issue", "--month", "2026-10", NULL},
		    (const char *[]){BEFORE_DUE, "SETTLE_FAILPOINT=invoice.after_intent", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'DRAFT'"), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice", NULL), 0);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err); /* park listed */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'ISSUED' AND leader_id = 'leader-lee'"),
		     1);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_get", NULL), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_executed", NULL), 1);
	cr_assert_eq(outbox_files(), 1);

	/* park's number fixed; killed after its XML was written */
	cr_assert_eq(testdb_sql(&f.t, PARK_OK), 0u);
	run_program(&f.t, (const char *[]){"invoice-issue", "--month", "2026-10", NULL},
		    (const char *[]){BEFORE_DUE, "SETTLE_FAILPOINT=invoice.after_xml", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'DRAFT'"), 1);
	run_at(BEFORE_DUE, (const char *[]){"invoice-issue", "--month", "2026-10", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'ISSUED'"), 2);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_executed", NULL), 2);
	cr_assert_eq(outbox_files(), 2);
	xmllint_ok();
	finance_check();
}
