/*
 * test_refund_policy_props.c — randomised properties of refund policies.
 * Rule: every run prints its seed ("seed=N") first; SETTLE_SEED=N replays
 * it exactly. Over random pods, dates, amounts, refunds so far and valid
 * policies: a quote is never negative, never more than remains, never more
 * than the step's share of what was paid (recomputed here with __int128),
 * and a later date never gives more under a policy whose rates only fall.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/refund_policy.h"
#include "domain/release.h"

#define CASES 100000

/* splitmix64, as in test_split_props.c: the same on every libc. */
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

static uint64_t below_or_eq(struct rng *r, uint64_t bound)
{
	return bound == UINT64_MAX ? next_u64(r) : next_u64(r) % (bound + 1);
}

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

static int64_t random_amount(struct rng *r)
{
	switch (next_u64(r) % 5) {
	case 0: return (int64_t)below_or_eq(r, 10);
	case 1: return (int64_t)below_or_eq(r, 1000000);
	case 2: return (int64_t)below_or_eq(r, 10000000000000ULL);
	case 3: return INT64_MAX - (int64_t)below_or_eq(r, 1000);
	default: return (int64_t)(next_u64(r) >> 1);
	}
}

static int random_bps(struct rng *r)
{
	switch (next_u64(r) % 4) {
	case 0: return 0;
	case 1: return 10000;
	default: return (int)below_or_eq(r, 10000);
	}
}

static void date_text(int64_t days, char out[11])
{
	/* civil_from_days is private to release.c: walk from a known day. */
	int y = 1970, m = 1, d = 1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	while (days >= 366) {
		int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;

		days -= 365 + leap;
		y++;
	}
	for (;;) {
		int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
		int len = mdays[m - 1] + (m == 2 && leap);

		if (days < len - d + 1)
			break;
		days -= len - d + 1;
		d = 1;
		if (++m == 13) {
			m = 1;
			y++;
		}
	}
	d += (int)days;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* A valid policy: k steps whose bounds are start-relative, ascending, the
 * last ones possibly end-relative, rates falling when falling is set. */
static void random_policy(struct rng *r, int falling, char *text, size_t len)
{
	size_t k = 1 + (size_t)below_or_eq(r, 5), used = 0;
	int offset = -(int)below_or_eq(r, 30), rate = 10000;
	char bound[16] = "";
	int end_anchor = 0;

	text[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		char until[16] = "", step[64];
		int bps;

		if (i + 1 < k) {
			offset += 1 + (int)below_or_eq(r, 20);
			if (!end_anchor && below_or_eq(r, 3) == 0) {
				end_anchor = 1;
				offset = -(int)below_or_eq(r, 3);
			}
			snprintf(until, sizeof until, "%s%+d", end_anchor ? "end" : "start", offset);
		}
		bps = falling ? (int)below_or_eq(r, (uint64_t)rate) : random_bps(r);
		if (below_or_eq(r, 2) == 0 && !falling)
			snprintf(step, sizeof step, "%s..%s prorata-%d.%02d%%", bound, until, bps / 100, bps % 100);
		else
			snprintf(step, sizeof step, "%s..%s %d.%02d%%", bound, until, bps / 100, bps % 100);
		rate = bps;
		used += (size_t)snprintf(text + used, len - used, "%s%s", i ? ", " : "", step);
		snprintf(bound, sizeof bound, "%s", until);
	}
}

Test(domain_refund_policy_props, never_negative_never_more_than_remains)
{
	struct rng r = seeded("refund_policy never_negative_never_more_than_remains");
	size_t refused = 0;

	for (int i = 0; i < CASES; i++) {
		char text[512], start[11], end[11], today[11];
		struct refund_policy p;
		struct policy_quote q;
		struct settle_err err = {0};
		int64_t s = 20000 + (int64_t)below_or_eq(&r, 2000), e = s + (int64_t)below_or_eq(&r, 120);
		int64_t t = s - 60 + (int64_t)below_or_eq(&r, 240);
		int64_t paid = random_amount(&r), refunded = (int64_t)below_or_eq(&r, (uint64_t)paid);
		const struct policy_step *st;
		unsigned __int128 cap;

		if (below_or_eq(&r, 3) == 0)
			refunded = 0;
		random_policy(&r, 0, text, sizeof text);
		cr_assert_eq(refund_policy_parse(text, &p, &err), 0, "generated policy refused: %s: %s", text, err.msg);
		date_text(s, start);
		date_text(e, end);
		date_text(t, today);
		if (refund_policy_quote(&p, &(struct policy_facts){start, end, today, paid, refunded}, &q, &err) < 0) {
			cr_assert(strstr(err.msg, "does not fit"), "%s %s..%s %s: %s", text, start, end, today, err.msg);
			refused++;
			continue;
		}
		cr_assert_geq(q.amount, 0, "%s %s", text, today);
		cr_assert_leq(q.amount, paid - refunded, "%s %s paid %lld refunded %lld", text, today, (long long)paid,
			      (long long)refunded);
		st = &p.s[q.step];
		cap = (unsigned __int128)paid * (unsigned)(st->rate == POLICY_FIXED ? st->bps : 10000 - st->bps) / 10000;
		cr_assert(q.entitled >= 0 && (unsigned __int128)q.entitled <= cap, "%s %s: entitled %lld", text, today,
			  (long long)q.entitled);
		if (st->rate == POLICY_FIXED)
			cr_assert((unsigned __int128)q.entitled == cap, "fixed rate floors once: %s", text);
	}
	cr_assert_lt(refused, CASES / 2, "most generated cases fit");
}

Test(domain_refund_policy_props, later_never_gives_more_when_rates_fall)
{
	struct rng r = seeded("refund_policy later_never_gives_more_when_rates_fall");

	for (int i = 0; i < CASES / 4; i++) {
		char text[512], start[11], end[11], d1[11], d2[11];
		struct refund_policy p;
		struct policy_quote q1, q2;
		struct settle_err err = {0};
		int64_t s = 20000 + (int64_t)below_or_eq(&r, 2000), e = s + 40 + (int64_t)below_or_eq(&r, 120);
		int64_t t1 = s - 60 + (int64_t)below_or_eq(&r, 240), t2 = t1 + (int64_t)below_or_eq(&r, 30);
		int64_t paid = random_amount(&r);

		random_policy(&r, 1, text, sizeof text);
		cr_assert_eq(refund_policy_parse(text, &p, &err), 0, "%s: %s", text, err.msg);
		date_text(s, start);
		date_text(e, end);
		date_text(t1, d1);
		date_text(t2, d2);
		if (refund_policy_quote(&p, &(struct policy_facts){start, end, d1, paid, 0}, &q1, &err) < 0 ||
		    refund_policy_quote(&p, &(struct policy_facts){start, end, d2, paid, 0}, &q2, &err) < 0)
			continue;
		cr_assert_leq(q2.amount, q1.amount, "%s: %s gives %lld, later %s gives %lld", text, d1,
			      (long long)q1.amount, d2, (long long)q2.amount);
	}
}

Test(domain_refund_policy_props, date_text_matches_civil_days)
{
	for (int64_t d = 0; d < 40000; d += 17) {
		char t[11];
		int y, m, dd;

		date_text(d, t);
		cr_assert_eq(sscanf(t, "%4d-%2d-%2d", &y, &m, &dd), 3);
		cr_assert_eq(civil_days(y, m, dd), d, "%s", t);
	}
}
