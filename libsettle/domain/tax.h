/*
 * tax.h — VAT out of a VAT-inclusive amount and withholding on an
 * individual's business income. Rates are passed in (they are dated
 * configuration), never hard-coded here. A rate outside 0..10000 bps or
 * truncate_to <= 0 is SETTLE_EX_CONFIG; a negative amount SETTLE_EX_DATAERR.
 */
#ifndef SETTLE_DOMAIN_TAX_H
#define SETTLE_DOMAIN_TAX_H

#include <stdint.h>

#include "domain/err.h"

/*
 * VAT inside a VAT-inclusive amount: vat = floor(inclusive * rate_bps /
 * (10000 + rate_bps)); supply = inclusive - vat. With the Korean 10 %
 * (rate_bps = 1000) this is floor(inclusive / 11). inclusive >= 0.
 */
int vat_from_inclusive(int64_t inclusive, int rate_bps, int64_t *vat, int64_t *supply,
		       struct settle_err *err);

struct withholding_rates {
	int income_bps;      /* income tax on the gross, e.g. 300 = 3 % */
	int local_bps;       /* local tax on the income tax, e.g. 1000 = 10 % */
	int64_t truncate_to; /* each tax cut down to a multiple of this (KRW 10) */
};

/*
 * income = floor(gross * income_bps / 10000) cut down to truncate_to;
 * local = floor(income * local_bps / 10000) cut down to truncate_to.
 * Example (3 %, 10 %, 10): 2,156,880 -> 64,700 + 6,470. gross >= 0.
 */
int withholding(int64_t gross, const struct withholding_rates *rates, int64_t *income_tax,
		int64_t *local_tax, struct settle_err *err);

#endif
