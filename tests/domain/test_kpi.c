/* test_kpi.c — rates floored to 0.01 %, nearest-rank percentiles,
 * averages and targets. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "domain/kpi.h"

Test(domain_kpi, rates_floor_and_no_base)
{
	char b[24];

	cr_assert_eq(kpi_bps(2, 3), 6666);
	cr_assert_eq(kpi_bps(0, 3), 0);
	cr_assert_eq(kpi_bps(1, 0), -1);
	cr_assert_eq(kpi_bps(INT64_MAX, INT64_MAX), 10000);
	kpi_percent(2, 3, b, sizeof b);
	cr_assert_str_eq(b, "66.66%");
	kpi_percent(1, 20, b, sizeof b);
	cr_assert_str_eq(b, "5.00%");
	kpi_percent(0, 0, b, sizeof b);
	cr_assert_str_eq(b, "n/a");
}

Test(domain_kpi, nearest_rank)
{
	cr_assert_eq(kpi_rank(0, 95), 0);
	cr_assert_eq(kpi_rank(1, 95), 1);
	cr_assert_eq(kpi_rank(2, 95), 2);
	cr_assert_eq(kpi_rank(20, 95), 19);
	cr_assert_eq(kpi_rank(100, 95), 95);
	cr_assert_eq(kpi_rank(101, 95), 96);
	cr_assert_eq(kpi_rank(INT64_MAX, 100), INT64_MAX);
	for (int64_t n = 1; n < 2000; n++)
		cr_assert_eq(kpi_rank(n, 95), (n * 95 + 99) / 100, "n=%lld", (long long)n);
}

Test(domain_kpi, targets)
{
	cr_assert_str_eq(kpi_meets(&kpi_success_target, 9501, 1), "yes");
	cr_assert_str_eq(kpi_meets(&kpi_success_target, 9500, 1), "no", "above 95 %, not at it");
	cr_assert_str_eq(kpi_meets(&kpi_time_target, 2999, 1), "yes");
	cr_assert_str_eq(kpi_meets(&kpi_time_target, 3000, 1), "no");
	cr_assert_str_eq(kpi_meets(&kpi_refund_target, 499, 1), "yes");
	cr_assert_str_eq(kpi_meets(&kpi_refund_target, 500, 1), "no");
	cr_assert_str_eq(kpi_meets(&kpi_refund_target, 0, 0), "");
	cr_assert_str_eq(kpi_meets(&kpi_none, 1, 1), "");
	cr_assert_eq(kpi_average(10, 3), 3);
	cr_assert_eq(kpi_average(10, 0), 0);
}

Test(domain_kpi, sums_overflow)
{
	int64_t acc = INT64_MAX - 1;
	struct settle_err err = {0};

	cr_assert_eq(kpi_add(&acc, 1, "amount", &err), 0);
	cr_assert_eq(kpi_add(&acc, 1, "amount", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
}
