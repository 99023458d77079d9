/*
 * The invoice's rules: the business registration number's check digit (a
 * table of valid and invalid numbers), lines per pod with a summary line at
 * the limit, totals that are the lines' sums (and a document whose totals
 * are not is refused), the amendment reason, the deadline, the approval
 * number's form and malformed months.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "domain/invoice.h"

Test(domain_invoice, brn_check_digit_table)
{
	static const char *const good[] = {"1168200276", "2208100001", "1234567891", "1018100001"};
	static const char *const bad[] = {"1168200275", "1234567890", "2208123456", "116820027", "11682002766",
					  "116820027a", "116-82-00276", "", " 168200276"};
	struct settle_err err = {0};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		cr_assert(brn_valid(good[i]), "%s", good[i]);
		cr_assert_eq(brn_check(good[i], &err), 0, "%s", good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert(!brn_valid(bad[i]), "%s", bad[i]);
		cr_assert_eq(brn_check(bad[i], &err), -1, "%s", bad[i]);
		cr_assert_eq(err.code, 65);
	}
	cr_assert_eq(brn_check("1234567890", &err), -1);
	cr_assert(strstr(err.msg, "check digit"), "%s", err.msg);
}

Test(domain_invoice, months)
{
	struct invoice_month m;
	struct settle_err err = {0};
	char d[9];
	int64_t a, b;
	static const char *const bad[] = {"2026-13", "2026-00", "2026-1", "26-10", "2026/10", "1999-12", "", "2026-1a"};

	cr_assert_eq(invoice_month_parse("2026-02", &m, &err), 0);
	invoice_month_last_day(&m, d);
	cr_assert_str_eq(d, "20260228");
	cr_assert_eq(invoice_month_parse("2028-02", &m, &err), 0);
	invoice_month_last_day(&m, d);
	cr_assert_str_eq(d, "20280229");
	cr_assert_eq(invoice_month_parse("2026-12", &m, &err), 0);
	invoice_month_bounds(&m, &a, &b);
	/* 2026-12-01 00:00 KST = 2026-11-30 15:00 UTC; 2027-01-01 00:00 KST next */
	cr_assert_eq(a, 1796050800LL * 1000000);
	cr_assert_eq(b - a, 31LL * 86400 * 1000000);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(invoice_month_parse(bad[i], &m, &err), -1, "%s", bad[i]);
		cr_assert_eq(err.code, 65);
	}
}

Test(domain_invoice, deadline)
{
	char due[9];

	invoice_due_date("20261031", due);
	cr_assert_str_eq(due, "20261110");
	invoice_due_date("20261231", due);
	cr_assert_str_eq(due, "20270110");
	cr_assert(!invoice_is_late("20261031", "20261110"));
	cr_assert(invoice_is_late("20261031", "20261111"));
	cr_assert(!invoice_is_late("20261125", "20261201"));
}

Test(domain_invoice, approval_numbers)
{
	struct settle_err err = {0};

	cr_assert_eq(approval_number_check("202503281025041012000458", &err), 0);
	cr_assert_eq(approval_number_check("2009091112345678a1b2c3d4", &err), 0);
	cr_assert_eq(approval_number_check("2009091112345678A1B2C3D4", &err), -1);
	cr_assert_eq(approval_number_check("20250328102504101200045", &err), -1);
	cr_assert_eq(approval_number_check("2025032810250410120004581", &err), -1);
	cr_assert_eq(approval_number_check("20250328-025041012000458", &err), -1);
}

static struct invoice_item item(const char *pod, int64_t supply, int64_t vat, const char *date)
{
	struct invoice_item it;

	memset(&it, 0, sizeof it);
	snprintf(it.pod_id, sizeof it.pod_id, "%s", pod);
	snprintf(it.title, sizeof it.title, "Title %s", pod);
	snprintf(it.date, sizeof it.date, "%s", date);
	memcpy(it.currency, "KRW", 4);
	it.supply = supply;
	it.vat = vat;
	return it;
}

Test(domain_invoice, lines_per_pod_and_summary_line)
{
	struct invoice_item items[] = {item("a", 18181, 1819, "20261015"), item("a", -9090, -910, "20261120"),
				       item("b", 5454, 546, "20261012"), item("c", 100, 10, "20261001"),
				       item("d", 200, 20, "20261002")};
	struct invoice_line lines[3];
	struct invoice_doc d;
	struct settle_err err = {0};
	char cur[4];

	memset(&d, 0, sizeof d);
	d.lines = lines;
	cr_assert_eq(invoice_lines(items, 5, 3, lines, &d.n_lines, cur, &err), 0, "%s", err.msg);
	cr_assert_eq(d.n_lines, 3);
	cr_assert_eq(lines[0].supply, 9091);
	cr_assert_eq(lines[0].vat, 909);
	cr_assert_str_eq(lines[0].date, "20261120");
	cr_assert_eq(lines[2].supply, 300); /* c and d together */
	cr_assert_eq(lines[2].vat, 30);
	cr_assert(strstr(lines[2].name, "and 1 more pods"), "%s", lines[2].name);
	cr_assert_eq(invoice_sum(&d, &err), 0);
	cr_assert_eq(d.supply, 9091 + 5454 + 300);
	cr_assert_eq(d.vat, 909 + 546 + 30);
	cr_assert_eq(d.total, d.supply + d.vat);
	/* another currency is refused */
	items[1].currency[0] = 'U';
	cr_assert_eq(invoice_lines(items, 5, 3, lines, &d.n_lines, cur, &err), -1);
}

Test(domain_invoice, sums_must_match_lines)
{
	struct invoice_line lines[1] = {{1, "pod", "20261015", 12727, 1273, 1}};
	struct invoice_doc d;
	struct settle_err err = {0};

	memset(&d, 0, sizeof d);
	d.lines = lines;
	d.n_lines = 1;
	memcpy(d.type_code, "0101", 5);
	snprintf(d.mgt_key, sizeof d.mgt_key, "S202610L1N0");
	cr_assert_eq(invoice_sum(&d, &err), 0);
	cr_assert_eq(invoice_check(&d, &err), 0, "%s", err.msg);
	d.supply++;
	cr_assert_eq(invoice_check(&d, &err), -1);
	cr_assert(strstr(err.msg, "supply value 12728 is not the sum of its lines (12727)"), "%s", err.msg);
	d.supply--;
	d.vat--;
	cr_assert_eq(invoice_check(&d, &err), -1);
	d.vat++;
	d.total++;
	cr_assert_eq(invoice_check(&d, &err), -1);
	d.total--;
	/* an amendment needs its original's approval number */
	d.type = INVOICE_AMENDMENT;
	memcpy(d.type_code, "0201", 5);
	memcpy(d.amendment_code, "02", 3);
	cr_assert_eq(invoice_check(&d, &err), -1);
	snprintf(d.original_issue_id, sizeof d.original_issue_id, "202610314100000112345678");
	cr_assert_eq(invoice_check(&d, &err), 0, "%s", err.msg);
	d.n_lines = 0;
	cr_assert_eq(invoice_check(&d, &err), -1);
}

Test(domain_invoice, amendment_reason)
{
	cr_assert_str_eq(invoice_amendment_code(14000, 0, -14000), "04");
	cr_assert_str_eq(invoice_amendment_code(14000, 0, -7000), "02");
	cr_assert_str_eq(invoice_amendment_code(14000, 1, -7000), "02");
	cr_assert_str_eq(invoice_amendment_code(14000, 1, -14000), "02");
	cr_assert_str_eq(invoice_amendment_code(14000, 0, 500), "02");
}

Test(domain_invoice, document_keys)
{
	struct invoice_month m;
	struct settle_err err = {0};
	char key[INVOICE_MGT_KEY_MAX + 1];

	cr_assert_eq(invoice_month_parse("2026-10", &m, &err), 0);
	cr_assert_eq(invoice_mgt_key(&m, 42, 0, key, &err), 0);
	cr_assert_str_eq(key, "S202610L42N0");
	cr_assert_eq(invoice_mgt_key(&m, 42, 3, key, &err), 0);
	cr_assert_str_eq(key, "S202610L42N3");
	cr_assert_eq(invoice_mgt_key(&m, 99999999999999LL, 0, key, &err), 0); /* 24 exactly */
	cr_assert_eq(invoice_mgt_key(&m, 99999999999999LL, 10, key, &err), -1);
}

Test(domain_invoice, status_moves)
{
	struct settle_err err = {0};

	cr_assert_eq(invoice_transition(INVOICE_DRAFT, INVOICE_ISSUED, &err), 0);
	cr_assert_eq(invoice_transition(INVOICE_DRAFT, INVOICE_REJECTED, &err), 0);
	cr_assert_eq(invoice_transition(INVOICE_ISSUED, INVOICE_SENT, &err), 0);
	cr_assert_eq(invoice_transition(INVOICE_SENT, INVOICE_ACCEPTED, &err), 0);
	cr_assert_eq(invoice_transition(INVOICE_ISSUED, INVOICE_DRAFT, &err), -1);
	cr_assert(strstr(err.msg, "from ISSUED to DRAFT"), "%s", err.msg);
	cr_assert_eq(invoice_transition(INVOICE_REJECTED, INVOICE_ISSUED, &err), -1);
	cr_assert_eq(invoice_transition(INVOICE_ISSUED, INVOICE_ISSUED, &err), -1);
}
