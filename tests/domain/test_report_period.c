/*
 * test_report_period.c — report_period.h and remittance.h: Korea-time
 * months, quarters, days and ranges become the right UTC bounds (KST
 * midnight is 15:00 UTC the day before), every malformed or impossible
 * date is refused naming its option, --from after --to is refused, a
 * period ends exactly at its bound, resident numbers are formatted or
 * hidden, and a remittance's entry is balanced and keyed by kind and
 * period.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/remittance.h"
#include "domain/report_period.h"

TestSuite(domain_report_period);

Test(domain_report_period, month_bounds_are_kst_midnights)
{
	struct period p;
	struct settle_err err = {0};

	cr_assert_eq(period_month("--month", "2026-11", &p, &err), 0, "%s", err.msg);
	cr_assert_str_eq(p.from_sql, "2026-10-31 15:00:00.000000");
	cr_assert_str_eq(p.to_sql, "2026-11-30 15:00:00.000000");
	cr_assert_str_eq(p.first_day, "2026-11-01");
	cr_assert_str_eq(p.last_day, "2026-11-30");
	cr_assert_eq(period_month("--month", "2026-12", &p, &err), 0);
	cr_assert_str_eq(p.to_sql, "2026-12-31 15:00:00.000000", "December ends at the new year, KST");
	cr_assert_eq(period_month("--month", "2028-02", &p, &err), 0);
	cr_assert_str_eq(p.last_day, "2028-02-29");
	cr_assert_eq(period_month("--month", "2100-02", &p, &err), 0);
	cr_assert_str_eq(p.last_day, "2100-02-28", "2100 is not a leap year");
	cr_assert_eq(period_month("--month", "2000-02", &p, &err), 0);
	cr_assert_str_eq(p.last_day, "2000-02-29", "2000 is");
}

Test(domain_report_period, quarters_days_and_ranges)
{
	struct period p, m;
	struct settle_err err = {0};
	char q[8];

	cr_assert_eq(period_quarter("--quarter", "2026-Q4", &p, &err), 0);
	cr_assert_str_eq(p.first_day, "2026-10-01");
	cr_assert_str_eq(p.last_day, "2026-12-31");
	cr_assert_eq(period_quarter("--quarter", "2026-Q1", &p, &err), 0);
	cr_assert_str_eq(p.from_sql, "2025-12-31 15:00:00.000000");
	cr_assert_str_eq(p.to_sql, "2026-03-31 15:00:00.000000");
	cr_assert_eq(period_day("--at", "2026-11-25", &p, &err), 0);
	cr_assert_eq(p.to_us - p.from_us, (int64_t)86400 * 1000000);
	cr_assert_eq(period_range("2026-11-30", "2026-12-01", &p, &err), 0);
	cr_assert_str_eq(p.to_sql, "2026-12-01 15:00:00.000000", "--to is inclusive");
	cr_assert_eq(period_range("2026-11-05", "2026-11-05", &p, &err), 0, "one day");
	period_month("--month", "2026-08", &m, &err);
	period_quarter_of(&m, q);
	cr_assert_str_eq(q, "2026-Q3");
}

Test(domain_report_period, bad_dates_are_refused_naming_the_option)
{
	static const char *const months[] = {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "",
					     "2026-1a", "1999-12", "3000-01", " 2026-11", "2026-11 "};
	static const char *const quarters[] = {"2026-Q0", "2026-Q5", "2026-q4", "2026-4", "2026Q4", "2026-Q44", ""};
	static const char *const days[] = {"2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-11-00",
					   "2026-11-1", "2026/11/01", "20261101", "2026-11-01T00", ""};
	struct period p;

	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
		struct settle_err err = {0};

		cr_assert_eq(period_month("--month", months[i], &p, &err), -1, "%s", months[i]);
		cr_assert_eq(err.code, SETTLE_EX_DATAERR);
		cr_assert(strstr(err.msg, "--month"), "%s", err.msg);
	}
	for (size_t i = 0; i < sizeof quarters / sizeof quarters[0]; i++) {
		struct settle_err err = {0};

		cr_assert_eq(period_quarter("--quarter", quarters[i], &p, &err), -1, "%s", quarters[i]);
		cr_assert(strstr(err.msg, "--quarter"), "%s", err.msg);
	}
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct settle_err err = {0};

		cr_assert_eq(period_day("--at", days[i], &p, &err), -1, "%s", days[i]);
		cr_assert_eq(err.code, SETTLE_EX_DATAERR);
		cr_assert(strstr(err.msg, "--at"), "%s", err.msg);
	}
	{
		struct settle_err err = {0};

		cr_assert_eq(period_range("2026-11-02", "2026-11-01", &p, &err), -1);
		cr_assert(strstr(err.msg, "--from 2026-11-02 is after --to 2026-11-01"), "%s", err.msg);
		cr_assert_eq(period_range("2026-02-30", "2026-03-01", &p, &err), -1);
		cr_assert(strstr(err.msg, "--from") && strstr(err.msg, "28 days"), "%s", err.msg);
		cr_assert_eq(period_range("2026-03-01", "2026-02-30", &p, &err), -1);
		cr_assert(strstr(err.msg, "--to"), "%s", err.msg);
	}
}

Test(domain_report_period, a_period_ends_at_its_bound)
{
	struct period p;
	struct settle_err err = {0};

	period_month("--month", "2026-11", &p, &err);
	cr_assert_not(period_ended(&p, p.to_us - 1));
	cr_assert(period_ended(&p, p.to_us));
}

Test(domain_report_period, resident_numbers)
{
	char out[32];

	rrn_format("9001012345678", out, sizeof out);
	cr_assert_str_eq(out, "900101-2345678");
	rrn_format("900101-2345678", out, sizeof out);
	cr_assert_str_eq(out, "900101-2345678");
	rrn_format("90010123456", out, sizeof out);
	cr_assert_str_eq(out, "***********", "a malformed number is never echoed");
	rrn_format("", out, sizeof out);
	cr_assert_str_eq(out, "");
	cr_assert_str_eq(RRN_MASKED, "******-*******");
}

Test(domain_report_period, remittance_entry_and_paid_on)
{
	struct journal_entry je;
	char key[ENTRY_KEY_MAX];
	struct settle_err err = {0};
	struct period p, today;

	cr_assert_eq(postings_remittance("withholding", "2026-11", "KRW", 2640, &je, key, &err), 0, "%s", err.msg);
	cr_assert_str_eq(key, "remittance:withholding:2026-11");
	cr_assert_str_eq(je.kind, "remittance");
	cr_assert_eq(je.n, 2u);
	cr_assert_str_eq(je.postings[0].account, "withholding_payable");
	cr_assert_eq(je.postings[0].amount, 2640);
	cr_assert_str_eq(je.postings[1].account, "bank");
	cr_assert_eq(je.postings[1].amount, -2640);
	cr_assert_eq(postings_remittance("vat", "2026-Q4", "KRW", 3638, &je, key, &err), 0);
	cr_assert_str_eq(je.postings[0].account, "vat_payable");
	cr_assert_eq(postings_remittance("vat", "2026-Q4", "KRW", 0, &je, key, &err), -1);
	cr_assert(strstr(err.msg, "nothing to remit"), "%s", err.msg);
	cr_assert_eq(postings_remittance("vat", "2026-Q4", "KRW", -5, &je, key, &err), -1);

	period_month("--month", "2026-11", &p, &err);
	period_day("now", "2026-12-10", &today, &err);
	cr_assert_eq(remittance_paid_on_ok("2026-12-10", &p, today.from_us + 1, &err), 0, "%s", err.msg);
	cr_assert_eq(remittance_paid_on_ok("2026-11-01", &p, today.from_us, &err), 0);
	cr_assert_eq(remittance_paid_on_ok("2026-10-31", &p, today.from_us, &err), -1);
	cr_assert(strstr(err.msg, "before the period"), "%s", err.msg);
	cr_assert_eq(remittance_paid_on_ok("2026-12-11", &p, today.from_us, &err), -1);
	cr_assert(strstr(err.msg, "in the future"), "%s", err.msg);
	cr_assert_eq(remittance_paid_on_ok("2026-12-32", &p, today.from_us, &err), -1);
	cr_assert(strstr(err.msg, "--paid-on"), "%s", err.msg);
}
