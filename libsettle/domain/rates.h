/*
 * domain/rates.h — dated withholding rates: which income and local tax
 * rates are in force on a given business date. Rates are configuration,
 * not constants (a 2027 change is proposed; tax.md §9).
 *
 * Rule: the periods cover every date from the first one on, without
 * overlap and without a gap; the last may be open-ended.
 */
#ifndef SETTLE_DOMAIN_RATES_H
#define SETTLE_DOMAIN_RATES_H

#include <stddef.h>

#include "domain/err.h"
#include "domain/tax.h"

#define RATE_PERIODS_MAX 16

struct rate_period {
	char from[11];  /* YYYY-MM-DD, first day in force */
	char until[11]; /* YYYY-MM-DD, last day in force; "" = open-ended */
	struct withholding_rates rates;
};

struct rate_table {
	size_t n;
	struct rate_period p[RATE_PERIODS_MAX];
};

/* Parses "FROM..UNTIL INCOME_BPS LOCAL_BPS; FROM.. INCOME_BPS LOCAL_BPS"
 * (UNTIL empty = open), e.g. "2019-01-01.. 300 1000", and checks the
 * periods: dates valid, from ≤ until, in order, no overlap, no gap, only
 * the last open-ended, rates within 0..10000. Errors name the period. */
int rates_parse(const char *text, struct rate_table *out, struct settle_err *err);

/* The rates in force on date; an error when no period covers it. */
int rates_at(const struct rate_table *t, const char *date, struct withholding_rates *out, struct settle_err *err);

/* The default: income tax 3 %, local tax 10 % of it, ₩10 steps, since 2019. */
void rates_default(struct rate_table *out);

#endif
