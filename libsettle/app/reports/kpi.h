/*
 * app/reports/kpi.h — settle-report kpi: the original design's success
 * metrics (seed §10) over a period, each beside its target where it has
 * one: payment success rate (completed over confirm attempts; overall, by
 * PG and by method), order→completion time (average and p95), conversion
 * (orders that became payments), volume (overall and per Korea month),
 * average ticket, refund rate by count and by amount (overall, of it by
 * policy and by override, and per pod), disputes opened and how they ended.
 *
 * Rules: a period that starts after today (Korea time, the clock port) is
 * refused, and so is a --to after today; the current month is reported to
 * date. Figures are exact fractions floored to 0.01 % (domain/kpi.h).
 * Money figures are of one currency; a period with payments in two is
 * refused (65) rather than adding different units.
 */
#ifndef SETTLE_APP_REPORTS_KPI_H
#define SETTLE_APP_REPORTS_KPI_H

#include "domain/report_period.h"
#include "ports/clock.h"
#include "ports/kpi_queries.h"
#include "ports/report_sink.h"

struct report_totals;

struct kpi_ctx {
	const struct kpi_queries *q;
	const struct clock_port *clock;
};

/* is_range: the period came from --from/--to (its last day must not be
 * after today); else a month (which must not start after today). */
int report_kpi(const struct kpi_ctx *c, const struct period *p, int is_range, struct report_sink *sink,
	       struct report_totals *tot, struct settle_err *err);

#endif
