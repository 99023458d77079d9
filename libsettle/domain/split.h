/*
 * split.h — exact splits of an amount. Rule: the parts always sum to the
 * whole; rounding leftovers are assigned deterministically.
 */
#ifndef SETTLE_DOMAIN_SPLIT_H
#define SETTLE_DOMAIN_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

/*
 * Platform fee = floor(total * fee_bps / 10000); rest = total - fee.
 * total >= 0, 0 <= fee_bps <= 10000. A rate out of range is
 * SETTLE_EX_CONFIG (rates are configuration), a bad total SETTLE_EX_DATAERR.
 */
int split_fee(int64_t total, int fee_bps, int64_t *fee, int64_t *rest, struct settle_err *err);

/*
 * Largest-remainder allocation of total over n weights (each >= 0, sum > 0,
 * sum must not overflow): out[i] = floor(total * w[i] / W), then the
 * leftover units go one each to the largest remainders; ties go to the
 * lower index (stable). sum(out) == total exactly. total >= 0.
 * out has n elements and must not overlap weights (it is used as scratch).
 * Refusals leave out untouched: bad input is SETTLE_EX_DATAERR, out ==
 * weights SETTLE_EX_SOFTWARE.
 */
int allocate(int64_t total, const int64_t *weights, size_t n, int64_t *out, struct settle_err *err);

#endif
