/*
 * ports/report_sink.h — where a finance report's rows go: a CSV, JSON or
 * HTML writer (adapters/report/), on stdout or into a file written
 * atomically. The use case hands it the columns once, then rows one at a
 * time (never a whole report in memory), then the totals row.
 *
 * Rule: a sink never computes: every value it writes is one the use case
 * gave it (money as int64 minor units, text as the database holds it).
 */
#ifndef SETTLE_PORTS_REPORT_SINK_H
#define SETTLE_PORTS_REPORT_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

enum report_col_type { RC_TEXT, RC_MONEY, RC_COUNT };

struct report_col {
	const char *key;   /* JSON member, English CSV header: "settled_at_kst" */
	const char *ko;    /* Korean CSV header (--lang ko) */
	enum report_col_type type;
	/* 0: summed into the totals row; 1: not summed, empty there; 2: not
	 * summed, the use case sets its totals cell (a closing balance). */
	int no_total;
};

/* A fact about the whole report (the leader statement's summary): shown
 * above the table in HTML, as an object in JSON; CSV has only rows. */
struct report_fact {
	const char *key, *ko;
	const char *text;  /* NULL: value is money */
	int64_t value;
};

struct report_head {
	const char *report;      /* "settlements" */
	const char *title, *title_ko;
	const char *period;      /* "2026-11", "2026-11-01..2026-11-30 (KST)" */
	const char *currency;    /* "KRW" */
	const struct report_col *cols;
	size_t ncols;
	const struct report_fact *facts;
	size_t nfacts;
};

/* One cell per column: text for RC_TEXT (NULL or "" = empty), v otherwise. */
struct report_cell {
	const char *s;
	int64_t v;
};

struct report_sink {
	void *self;
	int (*begin)(void *self, const struct report_head *h, struct settle_err *err);
	int (*row)(void *self, const struct report_cell *cells, struct settle_err *err);
	/* The totals row (text cells hold its label); called once, last. */
	int (*totals)(void *self, const struct report_cell *cells, struct settle_err *err);
	int (*end)(void *self, struct settle_err *err);
};

#endif
