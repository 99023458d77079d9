/*
 * import.c — payout-send --import-result: a bank's result file, checked as
 * a whole and applied in one unit of work. A file with one bad line
 * changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "app/payouts/apply.h"
#include "domain/timefmt.h"

struct import {
	const struct payout_ctx *c;
	const char *file;
	const struct payout_result_row *rows;
	size_t n;
	struct payout_report rep;
	char now[TIME_SQL_LEN];
};

static enum payout_status final_of(enum bank_status s)
{
	return s == BANK_ST_PAID ? PAYOUT_PAID : s == BANK_ST_RETURNED ? PAYOUT_RETURNED : PAYOUT_FAILED;
}

static int import_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct import *im = arg;
	const struct payout_ctx *c = im->c;

	memset(&im->rep, 0, sizeof im->rep);
	for (size_t i = 0; i < im->n; i++) {
		const struct payout_result_row *row = &im->rows[i];
		struct payout_rec p;
		struct bank_result res;
		int rc = c->payouts->find(c->payouts->self, tx, row->payout_id, &p, err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: unknown payout %s", im->file, row->line,
				       row->payout_id);
		if (c->payouts->lock(c->payouts->self, tx, p.id, &p, err) < 0)
			return -1;
		if (row->amount != p.amount)
			return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: payout %s is %lld %s, the file says %lld", im->file,
				       row->line, p.public_id, (long long)p.amount, p.currency, (long long)row->amount);
		if (p.status == final_of(row->status))
			continue; /* imported before: nothing twice */
		if (p.status != PAYOUT_SENT && p.status != PAYOUT_SENDING &&
		    !(p.status == PAYOUT_PAID && row->status == BANK_ST_RETURNED))
			return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: payout %s is %s; it cannot become %s", im->file,
				       row->line, p.public_id, payout_status_name(p.status),
				       payout_status_name(final_of(row->status)));
		memset(&res, 0, sizeof res);
		res.outcome = BANK_OK;
		res.status = row->status;
		snprintf(res.reference, sizeof res.reference, "%s", row->reference ? row->reference : "");
		snprintf(res.message, sizeof res.message, "%s", row->message ? row->message : "");
		if (row->status != BANK_ST_PAID)
			snprintf(res.code, sizeof res.code, "%s", row->status == BANK_ST_RETURNED ? "RETURNED" : "FAILED");
		/* A result file is the bank's own statement: the money left
		 * (or did not) from the bank account. */
		if (payout_apply(c, tx, &p, &res, "bank", im->now, &im->rep, err) < 0)
			return err_prefix(err, "%s:%ld", im->file, row->line);
	}
	return 0;
}

int payout_import(const struct payout_ctx *c, const char *file, const struct payout_result_row *rows, size_t n,
		  struct payout_report *rep, struct settle_err *err)
{
	struct import im = {.c = c, .file = file, .rows = rows, .n = n};

	time_sql(c->clock->now_us(c->clock->self), im.now);
	if (uow_run(c->uow, import_tx, &im, err) < 0)
		return -1;
	*rep = im.rep;
	return 0;
}
