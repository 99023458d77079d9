/* run.c — rows into a sink, money columns summed with overflow checks, the totals row last. */
#include <string.h>

#include "app/reports/internal.h"
#include "domain/money.h"

int rep_begin(struct rep_run *r, const struct report_head *h, struct report_sink *sink, struct report_totals *tot,
	      struct settle_err *err)
{
	memset(r, 0, sizeof *r);
	memset(tot, 0, sizeof *tot);
	r->head = h;
	r->sink = sink;
	r->tot = tot;
	r->err = err;
	if (h->ncols > REPORT_MAX_COLS)
		return err_set(err, SETTLE_EX_SOFTWARE, "report %s has %zu columns", h->report, h->ncols);
	if (sink && sink->begin(sink->self, h, err) < 0)
		return -1;
	return 0;
}

int rep_row(struct rep_run *r, const struct report_cell *cells, const char *currency, int counted)
{
	const struct report_head *h = r->head;

	if (currency && *currency) {
		if (!r->tot->currency[0])
			memcpy(r->tot->currency, currency, 3);
		else if (strncmp(r->tot->currency, currency, 3)) {
			r->failed = 1;
			return err_set(r->err, SETTLE_EX_DATAERR,
				       "report %s mixes currencies (%.3s and %.3s): its totals would add different units",
				       h->report, r->tot->currency, currency);
		}
	}
	if (counted) {
		r->tot->rows++;
		for (size_t i = 0; i < h->ncols; i++)
			if (h->cols[i].type != RC_TEXT && !h->cols[i].no_total &&
			    i64_add(&r->tot->col[i], r->tot->col[i], cells[i].v) < 0) {
				r->failed = 1;
				return err_set(r->err, SETTLE_EX_DATAERR, "report %s: the %s total overflows", h->report,
					       h->cols[i].key);
			}
	}
	if (r->sink && r->sink->row(r->sink->self, cells, r->err) < 0) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

int rep_end(struct rep_run *r)
{
	struct report_cell cells[REPORT_MAX_COLS];

	if (!r->sink)
		return 0;
	memset(cells, 0, sizeof cells);
	for (size_t i = 0; i < r->head->ncols; i++)
		cells[i].v = r->tot->col[i];
	if (r->sink->totals(r->sink->self, cells, r->err) < 0 || r->sink->end(r->sink->self, r->err) < 0)
		return -1;
	return 0;
}
