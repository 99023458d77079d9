/* settlement.c — the split, the clawback and the payout (see settlement.h). */
#include "domain/settlement.h"

#include <string.h>

#include "domain/money.h"
#include "domain/split.h"

static const char *const kind_names[LEADER_KIND_COUNT] = {"INDIVIDUAL", "INDIVIDUAL_BUSINESS", "CORPORATE"};

const char *leader_kind_name(enum leader_kind k)
{
	return (unsigned)k < LEADER_KIND_COUNT ? kind_names[k] : "?";
}

int leader_kind_parse(const char *name, enum leader_kind *out)
{
	for (int i = 0; name && i < LEADER_KIND_COUNT; i++)
		if (!strcmp(kind_names[i], name)) {
			*out = (enum leader_kind)i;
			return 0;
		}
	return -1;
}

int settlement_split(int64_t total, int fee_bps, struct settlement_split *out, struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	if (total <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "a settlement total must be positive (it is %lld)",
			       (long long)total);
	if (split_fee(total, fee_bps, &out->fee, &out->leader_share, err) < 0)
		return -1;
	/* VAT inside the fee as Korean invoices split it: supply = floor(fee × 10/11). */
	if (money_mul_ratio(&out->supply, out->fee, 10, 11, err) < 0)
		return -1;
	out->vat = out->fee - out->supply;
	out->total = total;
	return 0;
}

/* The cumulative figures after x of the settlement has been refunded. */
struct cum {
	int64_t leader, supply, vat;
};

static int cumulative(const struct settlement_split *s, int64_t x, struct cum *c, struct settle_err *err)
{
	int64_t platform;

	if (money_mul_ratio(&c->leader, x, s->leader_share, s->total, err) < 0)
		return -1;
	platform = x - c->leader;
	if (s->fee == 0)
		c->supply = 0;
	else if (money_mul_ratio(&c->supply, platform, s->supply, s->fee, err) < 0)
		return -1;
	c->vat = platform - c->supply;
	return 0;
}

int clawback_split(const struct settlement_split *s, int64_t refunded_before, int64_t refund,
		   struct clawback_split *out, struct settle_err *err)
{
	struct cum before, after;
	int64_t total_after;

	memset(out, 0, sizeof *out);
	if (s->total <= 0 || refunded_before < 0 || refund <= 0 || i64_add(&total_after, refunded_before, refund) < 0 ||
	    total_after > s->total)
		return err_set(err, SETTLE_EX_DATAERR,
			       "a clawback of %lld after %lld does not fit a settlement of %lld", (long long)refund,
			       (long long)refunded_before, (long long)s->total);
	if (cumulative(s, refunded_before, &before, err) < 0 || cumulative(s, total_after, &after, err) < 0)
		return -1;
	out->refund = refund;
	out->leader_part = after.leader - before.leader;
	out->supply_part = after.supply - before.supply;
	out->vat_part = after.vat - before.vat;
	return 0;
}

int payout_amounts(int64_t gross, enum leader_kind kind, const struct rate_table *rates, const char *date,
		   struct payout_amounts *out, struct settle_err *err)
{
	struct withholding_rates r;

	memset(out, 0, sizeof *out);
	if (gross <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "a payout's gross must be positive (it is %lld)", (long long)gross);
	out->gross = gross;
	if (kind == LEADER_INDIVIDUAL) {
		/* The payer's duty at payment: no small-amount exemption for
		 * this income since 2024-07-01 (tax.md §9). */
		if (rates_at(rates, date, &r, err) < 0 ||
		    withholding(gross, &r, &out->income_tax, &out->local_tax, err) < 0)
			return -1;
	}
	out->withholding = out->income_tax + out->local_tax;
	out->amount = gross - out->withholding;
	return 0;
}
