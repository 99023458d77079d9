/*
 * domain/settlement.h — how a pod's released money splits (DESIGN.md §4),
 * how a refund after settlement is clawed back, and what a payout to a
 * leader carries and withholds.
 *
 * Rules:
 * - fee = floor(total × fee_bps / 10000); leader_share = total − fee; the
 *   fee is VAT-inclusive: supply = floor(fee × 10 / 11), vat = fee − supply.
 * - A clawback is split cumulatively, so rounding never drifts: the leader's
 *   part of everything refunded so far is floor(refunded × leader_share /
 *   total); each clawback books the difference from the previous figure,
 *   the platform the rest, whose supply and VAT are split the same way.
 *   After a full refund every account of the settlement is back to zero.
 * - Withholding is computed on a payout's gross, for individual leaders
 *   only, at the rates in force on the payout's business date.
 */
#ifndef SETTLE_DOMAIN_SETTLEMENT_H
#define SETTLE_DOMAIN_SETTLEMENT_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/rates.h"

struct settlement_split {
	int64_t total, fee, supply, vat, leader_share;
};

/* Refuses a total that is zero or negative and a fee rate outside 0..10000. */
int settlement_split(int64_t total, int fee_bps, struct settlement_split *out, struct settle_err *err);

/* One clawback: what each account takes back. */
struct clawback_split {
	int64_t refund;        /* pg_clearing −refund */
	int64_t leader_part;   /* leader_payable +leader_part */
	int64_t supply_part;   /* platform_revenue +supply_part */
	int64_t vat_part;      /* vat_payable +vat_part */
};

/* The clawback of refund after refunded_before of s was already clawed
 * back; refuses more than the settlement's total. */
int clawback_split(const struct settlement_split *s, int64_t refunded_before, int64_t refund,
		   struct clawback_split *out, struct settle_err *err);

enum leader_kind { LEADER_INDIVIDUAL = 0, LEADER_INDIVIDUAL_BUSINESS, LEADER_CORPORATE, LEADER_KIND_COUNT };

const char *leader_kind_name(enum leader_kind k);
int leader_kind_parse(const char *name, enum leader_kind *out);

struct payout_amounts {
	int64_t gross;       /* Σ leader shares − Σ clawbacks carried */
	int64_t income_tax;
	int64_t local_tax;
	int64_t withholding; /* income_tax + local_tax */
	int64_t amount;      /* gross − withholding: what leaves */
};

/* The amounts of a payout of gross to a leader of kind, on business date
 * (YYYY-MM-DD, Korea time), with the dated rates. */
int payout_amounts(int64_t gross, enum leader_kind kind, const struct rate_table *rates, const char *date,
		   struct payout_amounts *out, struct settle_err *err);

#endif
