/*
 * test_split_props.c — randomised properties of split, allocate and tax.
 * Rule: every run prints its seed ("seed=N") first; SETTLE_SEED=N replays
 * it exactly. The expected values are recomputed here with __int128, not
 * with the code under test.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/split.h"
#include "domain/tax.h"

#define CASES 100000
#define MAX_WEIGHTS 12

/* splitmix64: tiny, full-period, and the same on every libc (rand() is not). */
struct rng {
	uint64_t state;
};

static uint64_t next_u64(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound] inclusive; the modulo bias is irrelevant here. */
static uint64_t below_or_eq(struct rng *r, uint64_t bound)
{
	return bound == UINT64_MAX ? next_u64(r) : next_u64(r) % (bound + 1);
}

/* Seeds from SETTLE_SEED when set, so a failure printed by CI replays;
 * otherwise from the clock. Printed before any case runs. */
static struct rng seeded(const char *property)
{
	const char *env = getenv("SETTLE_SEED");
	uint64_t seed;

	if (env && *env) {
		seed = strtoull(env, NULL, 10);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	}
	fprintf(stderr, "%s: seed=%llu (replay with SETTLE_SEED=%llu)\n", property, (unsigned long long)seed,
		(unsigned long long)seed);
	return (struct rng){seed};
}

/* Amounts drawn from several magnitudes so tiny totals, ordinary ones and
 * totals near INT64_MAX/2 and INT64_MAX all appear often. */
static int64_t random_amount(struct rng *r)
{
	switch (next_u64(r) % 6) {
	case 0: return (int64_t)below_or_eq(r, 10);
	case 1: return (int64_t)below_or_eq(r, 1000000);
	case 2: return (int64_t)below_or_eq(r, 10000000000000ULL);
	case 3: return INT64_MAX / 2 - (int64_t)below_or_eq(r, 1000000);
	case 4: return INT64_MAX - (int64_t)below_or_eq(r, 1000);
	default: return (int64_t)(next_u64(r) >> 1);
	}
}

/* Rates biased towards the edges 0 and 10000 and towards real ones. */
static int random_bps(struct rng *r)
{
	switch (next_u64(r) % 5) {
	case 0: return 0;
	case 1: return 10000;
	case 2: return (int)(300 + 700 * (next_u64(r) % 2)); /* 3 %, 10 % */
	default: return (int)below_or_eq(r, 10000);
	}
}

static int64_t floor_ratio(int64_t a, int64_t num, int64_t den)
{
	return (int64_t)((__int128)a * num / den);
}

Test(domain_split_props, split_fee_is_exact_floor)
{
	struct rng r = seeded("split_fee");

	for (int c = 0; c < CASES; c++) {
		struct settle_err err = {0};
		int64_t total = random_amount(&r), fee, rest;
		int bps = random_bps(&r);

		cr_assert_eq(split_fee(total, bps, &fee, &rest, &err), 0, "case %d: %s", c, err.msg);
		cr_assert_eq((__int128)fee + rest, (__int128)total, "case %d total %lld bps %d", c,
			     (long long)total, bps);
		cr_assert(fee >= 0 && fee <= total, "case %d fee %lld", c, (long long)fee);
		cr_assert_eq(fee, floor_ratio(total, bps, 10000), "case %d total %lld bps %d", c,
			     (long long)total, bps);
	}
}

/* Weights with many zeros and repeats (ties), small and large values; the
 * sum never overflows because each is at most INT64_MAX / MAX_WEIGHTS. */
static size_t random_weights(struct rng *r, int64_t *w)
{
	size_t n = 1 + (size_t)below_or_eq(r, MAX_WEIGHTS - 1);
	int scale = (int)(next_u64(r) % 3);

	for (size_t i = 0; i < n; i++) {
		switch (next_u64(r) % 5) {
		case 0:
			w[i] = 0;
			break;
		case 1:
			w[i] = i ? w[next_u64(r) % i] : 1;
			break;
		default:
			w[i] = scale == 0 ? (int64_t)below_or_eq(r, 10)
			     : scale == 1 ? (int64_t)below_or_eq(r, 1000000)
					  : (int64_t)below_or_eq(r, INT64_MAX / MAX_WEIGHTS);
		}
	}
	/* At least one positive weight, or the input is invalid by contract. */
	if (w[0] == 0)
		w[0] = 1 + (int64_t)below_or_eq(r, 5);
	if (next_u64(r) % 2) {
		/* Move the forced weight so position 0 is not special. */
		size_t j = (size_t)(next_u64(r) % n);
		int64_t t = w[0];

		w[0] = w[j];
		w[j] = t;
	}
	return n;
}

/* The reference: floors, then the leftover to the largest remainders with
 * ties to the lower index, by counting ranks (O(n^2), obviously right). */
static void reference_allocate(int64_t total, const int64_t *w, size_t n, int64_t *out, unsigned __int128 *rem)
{
	unsigned __int128 W = 0;
	int64_t floors = 0, leftover;

	for (size_t i = 0; i < n; i++)
		W += (uint64_t)w[i];
	for (size_t i = 0; i < n; i++) {
		unsigned __int128 p = (unsigned __int128)(uint64_t)total * (uint64_t)w[i];

		out[i] = (int64_t)(p / W);
		rem[i] = p % W;
		floors += out[i];
	}
	leftover = total - floors;
	for (size_t i = 0; i < n; i++) {
		int64_t rank = 0;

		for (size_t j = 0; j < n; j++)
			rank += rem[j] > rem[i] || (rem[j] == rem[i] && j < i);
		out[i] += rank < leftover;
	}
}

Test(domain_split_props, allocate_sums_and_matches_reference)
{
	struct rng r = seeded("allocate");

	for (int c = 0; c < CASES; c++) {
		struct settle_err err = {0};
		int64_t w[MAX_WEIGHTS], out[MAX_WEIGHTS], want[MAX_WEIGHTS];
		unsigned __int128 rem[MAX_WEIGHTS], W = 0;
		int64_t total = random_amount(&r);
		size_t n = random_weights(&r, w);
		__int128 sum = 0;

		cr_assert_eq(allocate(total, w, n, out, &err), 0, "case %d: %s", c, err.msg);
		reference_allocate(total, w, n, want, rem);
		for (size_t i = 0; i < n; i++)
			W += (uint64_t)w[i];
		for (size_t i = 0; i < n; i++) {
			int64_t exact_floor = (int64_t)((unsigned __int128)(uint64_t)total * (uint64_t)w[i] / W);

			sum += out[i];
			cr_assert(out[i] - exact_floor == 0 || out[i] - exact_floor == 1,
				  "case %d: out[%zu] %lld vs floor %lld", c, i, (long long)out[i],
				  (long long)exact_floor);
			if (w[i] == 0)
				cr_assert_eq(out[i], 0, "case %d: zero weight %zu got %lld", c, i, (long long)out[i]);
			cr_assert_eq(out[i], want[i], "case %d total %lld n %zu: out[%zu] %lld, reference %lld", c,
				     (long long)total, n, i, (long long)out[i], (long long)want[i]);
			/* Equal weights: the lower index never gets less, and at most one more. */
			for (size_t j = i + 1; j < n; j++)
				if (w[j] == w[i])
					cr_assert(out[i] - out[j] == 0 || out[i] - out[j] == 1,
						  "case %d: tie %zu/%zu got %lld/%lld", c, i, j, (long long)out[i],
						  (long long)out[j]);
		}
		cr_assert_eq(sum, (__int128)total, "case %d: sum differs from total %lld", c, (long long)total);
	}
}

Test(domain_split_props, allocate_is_stable_under_permutation)
{
	struct rng r = seeded("allocate_permutation");

	for (int c = 0; c < CASES; c++) {
		struct settle_err err = {0};
		int64_t w[MAX_WEIGHTS], pw[MAX_WEIGHTS], out[MAX_WEIGHTS], pout[MAX_WEIGHTS], ref[MAX_WEIGHTS];
		unsigned __int128 rem[MAX_WEIGHTS];
		size_t perm[MAX_WEIGHTS];
		int64_t total = random_amount(&r);
		size_t n = random_weights(&r, w);

		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)below_or_eq(&r, i);
			size_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		for (size_t i = 0; i < n; i++)
			pw[i] = w[perm[i]];
		cr_assert_eq(allocate(total, w, n, out, &err), 0, "case %d: %s", c, err.msg);
		cr_assert_eq(allocate(total, pw, n, pout, &err), 0, "case %d: %s", c, err.msg);
		reference_allocate(total, w, n, ref, rem);
		for (size_t i = 0; i < n; i++) {
			size_t k = perm[i];
			int tied = 0;

			/* Only a tie on the remainder may be broken differently once
			 * the order changes; everyone else keeps exactly their share. */
			for (size_t j = 0; j < n; j++)
				tied |= j != k && rem[j] == rem[k];
			if (tied)
				cr_assert(pout[i] - out[k] >= -1 && pout[i] - out[k] <= 1, "case %d", c);
			else
				cr_assert_eq(pout[i], out[k], "case %d: weight %lld got %lld, permuted %lld", c,
					     (long long)w[k], (long long)out[k], (long long)pout[i]);
		}
		/* Same input, same output: no hidden state. */
		cr_assert_eq(allocate(total, w, n, pout, &err), 0);
		cr_assert_arr_eq(pout, out, n * sizeof out[0], "case %d: not deterministic", c);
	}
}

Test(domain_split_props, vat_parts_sum_to_inclusive)
{
	struct rng r = seeded("vat_from_inclusive");

	for (int c = 0; c < CASES; c++) {
		struct settle_err err = {0};
		int64_t inclusive = random_amount(&r), vat, supply;
		int bps = random_bps(&r);

		cr_assert_eq(vat_from_inclusive(inclusive, bps, &vat, &supply, &err), 0, "case %d: %s", c, err.msg);
		cr_assert_eq((__int128)vat + supply, (__int128)inclusive, "case %d", c);
		cr_assert(vat >= 0 && vat <= inclusive, "case %d: vat %lld", c, (long long)vat);
		cr_assert_eq(vat, floor_ratio(inclusive, bps, 10000 + bps), "case %d incl %lld bps %d", c,
			     (long long)inclusive, bps);
		if (bps == 1000)
			cr_assert_eq(vat, inclusive / 11, "case %d", c);
	}
}

Test(domain_split_props, withholding_is_truncated_and_bounded)
{
	static const int64_t steps[] = {1, 10, 100, 1000};
	struct rng r = seeded("withholding");

	for (int c = 0; c < CASES; c++) {
		struct settle_err err = {0};
		struct withholding_rates rates = {
			.income_bps = random_bps(&r),
			.local_bps = random_bps(&r),
			.truncate_to = next_u64(&r) % 5 ? steps[next_u64(&r) % 4]
							 : 1 + (int64_t)below_or_eq(&r, 1000000),
		};
		int64_t gross = random_amount(&r), income, local, raw_income, raw_local;

		cr_assert_eq(withholding(gross, &rates, &income, &local, &err), 0, "case %d: %s", c, err.msg);
		cr_assert_eq(income % rates.truncate_to, 0, "case %d", c);
		cr_assert_eq(local % rates.truncate_to, 0, "case %d", c);
		cr_assert(local >= 0 && local <= income && income <= gross, "case %d: %lld %lld %lld", c,
			  (long long)gross, (long long)income, (long long)local);
		raw_income = floor_ratio(gross, rates.income_bps, 10000);
		cr_assert(income <= raw_income && raw_income - income < rates.truncate_to, "case %d", c);
		raw_local = floor_ratio(income, rates.local_bps, 10000);
		cr_assert(local <= raw_local && raw_local - local < rates.truncate_to, "case %d", c);
	}
}
