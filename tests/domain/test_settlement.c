/*
 * test_settlement.c — the settlement split, the cumulative clawback, the
 * payout's withholding with dated rates, and the hold period, with
 * randomised properties (seed printed; SETTLE_SEED=N replays): the parts
 * always sum to the whole, every part is ≥ 0, and after refunds of the
 * whole total in any pieces every account of a settlement is back to zero.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/rates.h"
#include "domain/release.h"
#include "domain/settlement.h"

#define CASES 100000

static uint64_t next_u64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t seeded(const char *property)
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
	return seed;
}

/* Totals from ₩1 to about ₩10^12, across magnitudes. */
static int64_t amount(uint64_t *s)
{
	static const int64_t mags[] = {10, 1000, 100000, 10000000, 1000000000000LL};

	return 1 + (int64_t)(next_u64(s) % (uint64_t)mags[next_u64(s) % 5]);
}

Test(domain_settlement, split_examples)
{
	struct settlement_split s;
	struct settle_err err = {0};

	cr_assert_eq(settlement_split(400000, 2000, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.fee, 80000);
	cr_assert_eq(s.supply, 72727);
	cr_assert_eq(s.vat, 7273);
	cr_assert_eq(s.leader_share, 320000);
	cr_assert_eq(settlement_split(99999, 2000, &s, &err), 0);
	cr_assert_eq(s.fee, 19999);
	cr_assert_eq(s.leader_share, 80000);
	cr_assert_eq(s.supply + s.vat, s.fee);
	/* a total of zero (or less) is refused, naming the figure */
	cr_assert_eq(settlement_split(0, 2000, &s, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "positive"), "%s", err.msg);
	cr_assert_eq(settlement_split(-5, 2000, &s, &err), -1);
	cr_assert_eq(settlement_split(1000, 10001, &s, &err), -1);
}

Test(domain_settlement, split_props)
{
	uint64_t s = seeded("settlement_split");

	for (int i = 0; i < CASES; i++) {
		int64_t total = amount(&s);
		int bps = (int)(next_u64(&s) % 10001);
		struct settlement_split x;
		struct settle_err err = {0};

		cr_assert_eq(settlement_split(total, bps, &x, &err), 0, "%lld %d: %s", (long long)total, bps, err.msg);
		cr_assert_eq(x.fee + x.leader_share, total);
		cr_assert_eq(x.supply + x.vat, x.fee);
		cr_assert(x.fee >= 0 && x.supply >= 0 && x.vat >= 0 && x.leader_share >= 0);
		cr_assert_eq(x.fee, (int64_t)((__int128)total * bps / 10000));
		cr_assert_eq(x.supply, (int64_t)((__int128)x.fee * 10 / 11));
	}
}

Test(domain_settlement, clawback_back_to_zero_props)
{
	uint64_t s = seeded("clawback_split");

	for (int i = 0; i < CASES / 10; i++) {
		int64_t total = amount(&s), done = 0, leader = 0, supply = 0, vat = 0;
		int bps = (int)(next_u64(&s) % 10001);
		struct settlement_split x;
		struct settle_err err = {0};

		cr_assert_eq(settlement_split(total, bps, &x, &err), 0);
		while (done < total) {
			int64_t left = total - done, piece = 1 + (int64_t)(next_u64(&s) % (uint64_t)left);
			struct clawback_split c;

			if (next_u64(&s) % 4 == 0)
				piece = left; /* often the rest at once */
			cr_assert_eq(clawback_split(&x, done, piece, &c, &err), 0, "%s", err.msg);
			cr_assert_eq(c.leader_part + c.supply_part + c.vat_part, piece, "a clawback does not balance");
			cr_assert(c.leader_part >= 0 && c.supply_part >= 0 && c.vat_part >= 0, "a negative part");
			leader += c.leader_part;
			supply += c.supply_part;
			vat += c.vat_part;
			done += piece;
			cr_assert_eq(leader, (int64_t)((__int128)done * x.leader_share / total), "cumulative leader drifts");
		}
		cr_assert_eq(leader, x.leader_share, "total %lld bps %d", (long long)total, bps);
		cr_assert_eq(supply, x.supply);
		cr_assert_eq(vat, x.vat);
		/* and nothing more can be clawed back */
		{
			struct clawback_split c;

			cr_assert_eq(clawback_split(&x, done, 1, &c, &err), -1);
		}
	}
}

Test(domain_settlement, payout_withholding_dated)
{
	struct rate_table t;
	struct payout_amounts p;
	struct settle_err err = {0};

	cr_assert_eq(rates_parse("2019-01-01..2026-12-31 300 1000; 2027-01-01.. 200 1000", &t, &err), 0, "%s", err.msg);
	/* tax.md §9: 2,156,880 → 64,700 + 6,470 */
	cr_assert_eq(payout_amounts(2156880, LEADER_INDIVIDUAL, &t, "2026-11-25", &p, &err), 0, "%s", err.msg);
	cr_assert_eq(p.income_tax, 64700);
	cr_assert_eq(p.local_tax, 6470);
	cr_assert_eq(p.amount, 2156880 - 71170);
	/* no small-amount exemption: 30,000 → 900 + 90 */
	cr_assert_eq(payout_amounts(30000, LEADER_INDIVIDUAL, &t, "2026-11-25", &p, &err), 0);
	cr_assert_eq(p.withholding, 990);
	/* the rate in force on the payout's date */
	cr_assert_eq(payout_amounts(1000000, LEADER_INDIVIDUAL, &t, "2027-01-01", &p, &err), 0);
	cr_assert_eq(p.income_tax, 20000);
	cr_assert_eq(p.local_tax, 2000);
	/* businesses are not withheld */
	cr_assert_eq(payout_amounts(1000000, LEADER_CORPORATE, &t, "2026-11-25", &p, &err), 0);
	cr_assert_eq(p.withholding, 0);
	cr_assert_eq(p.amount, 1000000);
	cr_assert_eq(payout_amounts(1000000, LEADER_INDIVIDUAL_BUSINESS, &t, "2026-11-25", &p, &err), 0);
	cr_assert_eq(p.withholding, 0);
	/* a gross at or below zero is not a payout */
	cr_assert_eq(payout_amounts(0, LEADER_INDIVIDUAL, &t, "2026-11-25", &p, &err), -1);
	/* a date no period covers */
	cr_assert_eq(payout_amounts(100, LEADER_INDIVIDUAL, &t, "2018-12-31", &p, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
}

Test(domain_settlement, rates_bad_tables)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"", "no period"},
		{"2019-01-01..2026-12-31 300 1000; 2026-12-01.. 300 1000", "overlap"},
		{"2019-01-01..2026-12-31 300 1000; 2027-01-05.. 300 1000", "gap"},
		{"2019-01-01.. 300 1000; 2027-01-01.. 300 1000", "open-ended"},
		{"2027-01-01..2026-12-31 300 1000", "before it starts"},
		{"2019-02-30.. 300 1000", "period 1"},
		{"2019-01-01.. 30000 1000", "0..10000"},
		{"2019-01-01.. -1 1000", "0..10000"},
		{"2019-01-01 300 1000", "FROM..UNTIL"},
		{"2019-01-01.. 300", "FROM..UNTIL"},
		{"2019-01-01.. 300 1000 7", "FROM..UNTIL"},
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rate_table t;
		struct settle_err err = {0};

		cr_assert_eq(rates_parse(bad[i].text, &t, &err), -1, "accepted: %s", bad[i].text);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG, "%s", bad[i].text);
		cr_assert(strstr(err.msg, bad[i].why), "%s: %s", bad[i].text, err.msg);
		cr_assert(!strchr(err.msg, '\n'));
	}
}

Test(domain_settlement, hold_period_in_korea_time)
{
	char d[11];
	int64_t day = 86400LL * 1000000LL;
	/* 2026-11-20 14:59:59 UTC = 23:59:59 KST on the 20th */
	int64_t completed = civil_days(2026, 11, 20) * day + (14 * 3600 + 59 * 60 + 59) * 1000000LL;
	int64_t due = release_due_us(completed, 7);

	kst_date(completed, d);
	cr_assert_str_eq(d, "2026-11-20");
	kst_date(due, d);
	cr_assert_str_eq(d, "2026-11-27");
	kst_date(due - 1, d);
	cr_assert_str_eq(d, "2026-11-26");
	/* one second later it is the 21st in Korea: due a day later */
	kst_date(completed + 1000000, d);
	cr_assert_str_eq(d, "2026-11-21");
	cr_assert_eq(release_due_us(completed + 1000000, 7), due + day);
	/* the cutoff agrees with the due time on both sides of it */
	cr_assert(completed < release_cutoff_us(due, 7), "releasable at its due time");
	cr_assert(completed >= release_cutoff_us(due - 1, 7), "releasable before its due time");
	cr_assert_eq(civil_days(2026, 2, 29), -1);
	cr_assert_eq(civil_days(2024, 2, 29), civil_days(2024, 3, 1) - 1);
	cr_assert_eq(civil_days(1970, 1, 1), 0);
}
