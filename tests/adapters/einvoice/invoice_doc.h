/* invoice_doc.h — a well-formed invoice document for the e-invoice adapter tests. */
#ifndef SETTLE_TESTS_INVOICE_DOC_H
#define SETTLE_TESTS_INVOICE_DOC_H

#include <stdio.h>
#include <string.h>

#include "domain/invoice.h"

/* Two pods, the platform as supplier, a corporate leader as buyer. */
static inline void test_invoice_doc(struct invoice_doc *d, struct invoice_line lines[2], const char *key)
{
	memset(d, 0, sizeof *d);
	memset(lines, 0, 2 * sizeof lines[0]);
	lines[0] = (struct invoice_line){1, "Rust systems study", "20261015", 12727, 1273, 1};
	lines[1] = (struct invoice_line){2, "SQL for analysts — 주간", "20261020", 10909, 1091, 2};
	d->lines = lines;
	d->n_lines = 2;
	d->type = INVOICE_ORIGINAL;
	memcpy(d->type_code, "0101", 5);
	snprintf(d->mgt_key, sizeof d->mgt_key, "%s", key);
	snprintf(d->period, sizeof d->period, "2026-10");
	snprintf(d->write_date, sizeof d->write_date, "20261031");
	memcpy(d->currency, "KRW", 4);
	d->invoicer = (struct invoice_party){"2208100001", "Pod Study Inc.", "Han Platform", "1 Teheran-ro, Seoul",
					     "Service", "Online platform", "tax@podstudy.example"};
	d->invoicee = (struct invoice_party){"1168200276", "Park Study Co.", "Park Study Co.", "", "", "",
					     "finance@parkstudy.example.com"};
	d->supply = 12727 + 10909;
	d->vat = 1273 + 1091;
	d->total = d->supply + d->vat;
}

#endif
