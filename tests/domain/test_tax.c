/* test_tax.c — tax.h contract: VAT out of an inclusive amount, withholding with truncation; rates come from the caller. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "domain/tax.h"

static const struct withholding_rates korea = {.income_bps = 300, .local_bps = 1000, .truncate_to = 10};

static void withheld(int64_t gross, int64_t want_income, int64_t want_local)
{
	struct settle_err err = {0};
	int64_t income, local;

	cr_assert_eq(withholding(gross, &korea, &income, &local, &err), 0, "%s", err.msg);
	cr_assert_eq(income, want_income, "income tax on %lld: %lld", (long long)gross, (long long)income);
	cr_assert_eq(local, want_local, "local tax on %lld: %lld", (long long)gross, (long long)local);
}

static void withholding_refused(int64_t gross, struct withholding_rates r, int code, const char *needle)
{
	struct settle_err err = {0};
	int64_t income = -9, local = -9;

	cr_assert_eq(withholding(gross, &r, &income, &local, &err), -1);
	cr_assert_eq(err.code, code, "code %d: %s", err.code, err.msg);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not say \"%s\"", err.msg, needle);
	cr_assert_eq(income, -9);
	cr_assert_eq(local, -9);
}

Test(domain_tax, vat_korean_ten_percent)
{
	struct settle_err err = {0};
	int64_t vat, supply;

	cr_assert_eq(vat_from_inclusive(11000, 1000, &vat, &supply, &err), 0);
	cr_assert_eq(vat, 1000);
	cr_assert_eq(supply, 10000);
	cr_assert_eq(vat_from_inclusive(20000, 1000, &vat, &supply, &err), 0);
	cr_assert_eq(vat, 1818);
	cr_assert_eq(supply, 18182);
	cr_assert_eq(vat_from_inclusive(10, 1000, &vat, &supply, &err), 0);
	cr_assert_eq(vat, 0);
	cr_assert_eq(supply, 10);
}

Test(domain_tax, vat_other_rates)
{
	struct settle_err err = {0};
	int64_t vat, supply;

	cr_assert_eq(vat_from_inclusive(12000, 2000, &vat, &supply, &err), 0);
	cr_assert_eq(vat, 2000);
	cr_assert_eq(vat_from_inclusive(12345, 0, &vat, &supply, &err), 0);
	cr_assert_eq(vat, 0);
	cr_assert_eq(supply, 12345);
	cr_assert_eq(vat_from_inclusive(20000, 10000, &vat, &supply, &err), 0);
	cr_assert_eq(vat, 10000);
	cr_assert_eq(vat_from_inclusive(INT64_MAX, 1000, &vat, &supply, &err), 0);
	cr_assert_eq(vat, INT64_MAX / 11);
	cr_assert_eq(vat + supply, INT64_MAX);
}

Test(domain_tax, vat_refuses_negative_amount)
{
	struct settle_err err = {0};
	int64_t vat, supply;

	cr_assert_eq(vat_from_inclusive(-11, 1000, &vat, &supply, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "negative inclusive amount -11"), "%s", err.msg);
}

Test(domain_tax, vat_refuses_bad_rate)
{
	struct settle_err err = {0};
	int64_t vat, supply;

	cr_assert_eq(vat_from_inclusive(100, -1, &vat, &supply, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "VAT rate -1 bps"), "%s", err.msg);
	cr_assert_eq(vat_from_inclusive(100, 10001, &vat, &supply, &err), -1);
	cr_assert(strstr(err.msg, "VAT rate 10001 bps"), "%s", err.msg);
}

Test(domain_tax, withholding_examples)
{
	withheld(2156880, 64700, 6470);
	withheld(1000000, 30000, 3000);
	withheld(30000, 900, 90);
	withheld(0, 0, 0);
	withheld(333, 0, 0);   /* 9.99 -> 9 -> cut to 0 */
	withheld(3334, 100, 10);
}

Test(domain_tax, withholding_truncates_each_tax)
{
	/* 3 % of 1,234,567 = 37,037 -> 37,030; 10 % of that = 3,703 -> 3,700.
	 * Local is taken from the truncated income tax, not the raw one. */
	withheld(1234567, 37030, 3700);
}

Test(domain_tax, withholding_huge_gross)
{
	struct settle_err err = {0};
	int64_t income, local;

	cr_assert_eq(withholding(INT64_MAX, &korea, &income, &local, &err), 0);
	cr_assert_eq(income % 10, 0);
	cr_assert_leq(income, INT64_MAX / 100 * 3 + 3);
}

Test(domain_tax, withholding_refuses_negative_gross)
{
	withholding_refused(-1, korea, SETTLE_EX_DATAERR, "negative gross -1");
}

Test(domain_tax, withholding_refuses_negative_income_rate)
{
	withholding_refused(100, (struct withholding_rates){-300, 1000, 10}, SETTLE_EX_CONFIG,
			    "income tax rate -300 bps");
}

Test(domain_tax, withholding_refuses_income_rate_above_100_percent)
{
	withholding_refused(100, (struct withholding_rates){10001, 1000, 10}, SETTLE_EX_CONFIG,
			    "income tax rate 10001 bps");
}

Test(domain_tax, withholding_refuses_bad_local_rate)
{
	withholding_refused(100, (struct withholding_rates){300, -5, 10}, SETTLE_EX_CONFIG, "local tax rate -5 bps");
	withholding_refused(100, (struct withholding_rates){300, 20000, 10}, SETTLE_EX_CONFIG,
			    "local tax rate 20000 bps");
}

Test(domain_tax, withholding_refuses_non_positive_truncation)
{
	withholding_refused(100, (struct withholding_rates){300, 1000, 0}, SETTLE_EX_CONFIG, "truncation step 0");
	withholding_refused(100, (struct withholding_rates){300, 1000, -10}, SETTLE_EX_CONFIG,
			    "truncation step -10");
}

Test(domain_tax, withholding_refuses_missing_rates)
{
	struct settle_err err = {0};
	int64_t income, local;

	cr_assert_eq(withholding(100, NULL, &income, &local, &err), -1);
	cr_assert(strstr(err.msg, "without rates"), "%s", err.msg);
}
