/*
 * domain/kpi.h — the success metrics of the original design (§10): rates
 * as exact fractions floored to 0.01 %, times in milliseconds, the
 * nearest-rank percentile, and each figure beside its target.
 *
 * Targets (seed §10): payment success rate > 95 %, average payment time
 * < 3 s, refund rate < 5 % (applied to the rate by count and by amount).
 * Monthly volume, average ticket and conversion have no target.
 */
#ifndef SETTLE_DOMAIN_KPI_H
#define SETTLE_DOMAIN_KPI_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

#define KPI_SUCCESS_MIN_BPS 9500 /* > 95 % */
#define KPI_AVG_TIME_MAX_MS 3000 /* < 3 s */
#define KPI_REFUND_MAX_BPS 500   /* < 5 % */

/* floor(num × 10000 / den) in basis points; -1 when den is 0 (no base). */
int64_t kpi_bps(int64_t num, int64_t den);
/* "96.52%" (floored), or "n/a" when den is 0. */
void kpi_percent(int64_t num, int64_t den, char *buf, size_t len);
/* The 1-based rank of the nearest-rank p-th percentile of n values:
 * ceil(p × n / 100); 0 when n is 0. */
int64_t kpi_rank(int64_t n, int p);
/* floor(sum / n), 0 when n is 0; sum >= 0. */
int64_t kpi_average(int64_t sum, int64_t n);

enum kpi_goal { KPI_NO_TARGET, KPI_ABOVE, KPI_BELOW };

struct kpi_target {
	enum kpi_goal goal;
	int64_t bound; /* in the figure's unit (bps, ms) */
	const char *text; /* "> 95%" */
};

extern const struct kpi_target kpi_success_target, kpi_time_target, kpi_refund_target, kpi_none;

/* "yes" or "no" for a figure against its target; "" with no target or no
 * figure (known = 0). */
const char *kpi_meets(const struct kpi_target *t, int64_t value, int known);

/* Checked adds for the use case's running sums. */
int kpi_add(int64_t *acc, int64_t v, const char *what, struct settle_err *err);

#endif
