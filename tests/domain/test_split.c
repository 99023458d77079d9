/* test_split.c — split.h contract: fee split and largest-remainder allocation; the parts always sum to the whole. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "domain/split.h"

static void alloc_ok(int64_t total, const int64_t *w, size_t n, const int64_t *want)
{
	struct settle_err err = {0};
	int64_t out[16];

	cr_assert_leq(n, 16);
	cr_assert_eq(allocate(total, w, n, out, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(out[i], want[i], "out[%zu] = %lld, want %lld", i, (long long)out[i],
			     (long long)want[i]);
}

static void alloc_refused(int64_t total, const int64_t *w, size_t n, const char *needle)
{
	struct settle_err err = {0};
	int64_t out[4] = {-9, -9, -9, -9};

	cr_assert_eq(allocate(total, w, n, out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not say \"%s\"", err.msg, needle);
	cr_assert_eq(out[0], -9, "output written on failure");
}

Test(domain_split, fee_floors)
{
	struct settle_err err = {0};
	int64_t fee, rest;

	cr_assert_eq(split_fee(50000, 350, &fee, &rest, &err), 0);
	cr_assert_eq(fee, 1750);
	cr_assert_eq(rest, 48250);
	cr_assert_eq(split_fee(9999, 1, &fee, &rest, &err), 0);
	cr_assert_eq(fee, 0);
	cr_assert_eq(rest, 9999);
	cr_assert_eq(split_fee(10001, 3333, &fee, &rest, &err), 0);
	cr_assert_eq(fee, 3333);
	cr_assert_eq(rest, 6668);
}

Test(domain_split, fee_bounds)
{
	struct settle_err err = {0};
	int64_t fee, rest;

	cr_assert_eq(split_fee(777, 0, &fee, &rest, &err), 0);
	cr_assert_eq(fee, 0);
	cr_assert_eq(rest, 777);
	cr_assert_eq(split_fee(777, 10000, &fee, &rest, &err), 0);
	cr_assert_eq(fee, 777);
	cr_assert_eq(rest, 0);
	cr_assert_eq(split_fee(0, 500, &fee, &rest, &err), 0);
	cr_assert_eq(fee + rest, 0);
	cr_assert_eq(split_fee(INT64_MAX, 10000, &fee, &rest, &err), 0);
	cr_assert_eq(fee, INT64_MAX);
	cr_assert_eq(split_fee(INT64_MAX, 9999, &fee, &rest, &err), 0);
	cr_assert_eq(fee + rest, INT64_MAX);
}

Test(domain_split, fee_refuses_negative_total)
{
	struct settle_err err = {0};
	int64_t fee = 1, rest = 1;

	cr_assert_eq(split_fee(-1, 100, &fee, &rest, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "negative total -1"), "%s", err.msg);
	cr_assert_eq(fee, 1);
}

Test(domain_split, fee_refuses_rate_out_of_range)
{
	struct settle_err err = {0};
	int64_t fee, rest;

	cr_assert_eq(split_fee(100, -1, &fee, &rest, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "-1 bps"), "%s", err.msg);
	cr_assert_eq(split_fee(100, 10001, &fee, &rest, &err), -1);
	cr_assert(strstr(err.msg, "10001 bps"), "%s", err.msg);
}

Test(domain_split, allocate_even)
{
	int64_t w[] = {1, 1, 1};

	alloc_ok(300, w, 3, (int64_t[]){100, 100, 100});
}

Test(domain_split, allocate_ties_go_to_lower_index)
{
	int64_t w[] = {1, 1, 1};

	alloc_ok(100, w, 3, (int64_t[]){34, 33, 33});
	alloc_ok(101, w, 3, (int64_t[]){34, 34, 33});
	alloc_ok(2, w, 3, (int64_t[]){1, 1, 0});
}

Test(domain_split, allocate_largest_remainder_wins)
{
	/* 10 over 1:2:4 (W 7): exact 1.43, 2.86, 5.71 -> floors 1,2,5, leftover 2
	 * goes to remainders .86 and .71. */
	int64_t w[] = {1, 2, 4};

	alloc_ok(10, w, 3, (int64_t[]){1, 3, 6});
	/* Remainder order is not weight order: 100 over 3:3:1 (W 7) -> 42.86,
	 * 42.86, 14.29 -> floors 42,42,14, leftover 2 to the two .86s. */
	alloc_ok(100, (int64_t[]){3, 3, 1}, 3, (int64_t[]){43, 43, 14});
}

Test(domain_split, allocate_zero_weight_gets_nothing)
{
	int64_t w[] = {0, 1, 0, 1};

	alloc_ok(3, w, 4, (int64_t[]){0, 2, 0, 1});
}

Test(domain_split, allocate_zero_total)
{
	int64_t w[] = {5, 7};

	alloc_ok(0, w, 2, (int64_t[]){0, 0});
}

Test(domain_split, allocate_single_weight_takes_all)
{
	alloc_ok(INT64_MAX, (int64_t[]){3}, 1, (int64_t[]){INT64_MAX});
}

Test(domain_split, allocate_huge_values_do_not_overflow)
{
	int64_t w[] = {INT64_MAX / 2, INT64_MAX / 2};
	struct settle_err err = {0};
	int64_t out[2];

	cr_assert_eq(allocate(INT64_MAX, w, 2, out, &err), 0, "%s", err.msg);
	cr_assert_eq(out[0], INT64_MAX / 2 + 1);
	cr_assert_eq(out[1], INT64_MAX / 2);
}

Test(domain_split, allocate_refuses_no_weights)
{
	alloc_refused(100, (int64_t[]){1}, 0, "no weights");
}

Test(domain_split, allocate_refuses_negative_weight)
{
	alloc_refused(100, (int64_t[]){1, -2, 3}, 3, "weight 1 is negative (-2)");
}

Test(domain_split, allocate_refuses_zero_weight_sum)
{
	alloc_refused(100, (int64_t[]){0, 0}, 2, "sum to zero");
}

Test(domain_split, allocate_refuses_negative_total)
{
	alloc_refused(-100, (int64_t[]){1, 1}, 2, "negative total -100");
}

Test(domain_split, allocate_refuses_weight_sum_overflow)
{
	alloc_refused(100, (int64_t[]){INT64_MAX, 1}, 2, "weights overflow");
}

Test(domain_split, allocate_refuses_output_aliasing_weights)
{
	struct settle_err err = {0};
	int64_t w[] = {1, 2, 3};

	cr_assert_eq(allocate(6, w, 3, w, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_SOFTWARE);
	cr_assert(strstr(err.msg, "overlaps the weights"), "%s", err.msg);
	cr_assert_eq(w[2], 3);
}
