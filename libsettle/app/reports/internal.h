/* internal.h — what the report use cases share: one run of rows into a sink with its totals. */
#ifndef SETTLE_APP_REPORTS_INTERNAL_H
#define SETTLE_APP_REPORTS_INTERNAL_H

#include "app/reports/reports.h"

struct rep_run {
	const struct report_head *head;
	struct report_sink *sink;  /* NULL: totals only */
	struct report_totals *tot;
	struct settle_err *err;
	int failed;                /* a callback failed: err is set */
};

int rep_begin(struct rep_run *r, const struct report_head *h, struct report_sink *sink, struct report_totals *tot,
	      struct settle_err *err);
/* Writes a row; counted rows add their money columns to the totals. A
 * currency other than the report's first is refused. Returns 0 or -1
 * (r->failed set, so a query callback can stop the cursor). */
int rep_row(struct rep_run *r, const struct report_cell *cells, const char *currency, int counted);
/* The totals row (tot->col as they stand) and the end of the report. */
int rep_end(struct rep_run *r);

#endif
