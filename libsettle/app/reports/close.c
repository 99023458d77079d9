/*
 * close.c — closing a month: refused while a pod completed in the month
 * (Korea time) has money not yet settled or a payout is in doubt (each is
 * listed); otherwise the month's reports — settlements, payouts with what
 * they carry, withholding (resident numbers masked), VAT, escrow balances
 * at the month's end — and what other parts left for the month (the
 * pack's extras: invoices, reconciliation) go into one directory with a
 * SHA-256 manifest, and the close is recorded once.
 */
#include <stdio.h>
#include <string.h>

#include "app/reports/internal.h"
#include "domain/timefmt.h"

struct blockers {
	int (*fn)(void *arg, const struct rq_blocker *b);
	void *arg;
	size_t unsettled, doubt;
};

static int blocker(void *arg, const struct rq_blocker *b)
{
	struct blockers *x = arg;

	if (!strcmp(b->what, "payout"))
		x->doubt++;
	else
		x->unsettled++;
	return x->fn ? x->fn(x->arg, b) : 0;
}

/* One report into one file of the pack. */
static int pack_file(const struct report_ctx *c, const struct report_pack *pack, const char *name, int which,
		     const struct period *p, size_t *files, struct settle_err *err)
{
	struct report_sink *s;
	struct report_totals tot;
	struct report_ctx masked = *c;
	struct settle_err scratch = {0};
	int rc;

	masked.rrn = NULL; /* a pack is kept and copied: resident numbers stay masked */
	if (pack->file(pack->self, name, &s, err) < 0)
		return -1;
	switch (which) {
	case 0: rc = report_settlements(&masked, p, s, &tot, err); break;
	case 1: rc = report_payouts(&masked, p, 1, s, &tot, err); break;
	case 2: rc = report_withholding(&masked, p, s, &tot, err); break;
	case 3: rc = report_vat(&masked, p, s, &tot, err); break;
	default: {
		struct period last;

		rc = period_day("month end", p->last_day, &last, err);
		if (rc == 0)
			rc = report_escrow(&masked, &last, s, &tot, err);
	}
	}
	if (pack->file_done(pack->self, s, rc == 0, rc == 0 ? err : &scratch) < 0 && rc == 0)
		return -1;
	if (rc < 0)
		return -1;
	(*files)++;
	return 0;
}

struct close_tx {
	const struct report_ctx *c;
	struct month_close mc;
	char now[TIME_SQL_LEN];
};

static int record(struct uow *tx, void *arg, struct settle_err *err)
{
	struct close_tx *x = arg;
	int rc = x->c->remittances->close_insert(x->c->remittances->self, tx, &x->mc, x->now, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s was closed by another run meanwhile", x->mc.month);
	return 0;
}

int month_close(const struct report_ctx *c, const struct report_pack *pack, const struct close_req *req,
		int (*blocker_fn)(void *arg, const struct rq_blocker *b), void *arg, struct close_result *out,
		struct settle_err *err)
{
	static const char *const names[] = {"settlements.csv", "payouts.csv", "withholding.csv", "vat.csv", "escrow.csv"};
	int64_t now_us = c->clock->now_us(c->clock->self);
	struct blockers b = {blocker_fn, arg, 0, 0};
	struct close_tx x = {.c = c};
	size_t extras = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (!period_ended(&req->month, now_us) && !req->early)
		return err_set(err, SETTLE_EX_DATAERR, "%s has not ended yet (Korea time); --early closes it anyway",
			       req->month.label);
	rc = c->remittances->close_find(c->remittances->self, NULL, req->month.label, &x.mc, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return err_set(err, SETTLE_EX_DATAERR, "%s was already closed at %.19s UTC; its pack is %s", req->month.label,
			       x.mc.closed_at, x.mc.dir);
	if (c->q->close_blockers(c->q->self, &req->month, blocker, &b, err) < 0)
		return -1;
	out->blockers = b.unsettled + b.doubt;
	if (out->blockers)
		return err_set(err, SETTLE_EX_DATAERR, "%s cannot close: %zu pod(s) with unsettled money, %zu payout(s) in doubt",
			       req->month.label, b.unsettled, b.doubt);
	if (pack->open(pack->self, req->month.label, out->dir, sizeof out->dir, err) < 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if (pack_file(c, pack, names[i], i, &req->month, &out->files, err) < 0)
			return err_prefix(err, "%s", names[i]);
	if (pack->extras(pack->self, &extras, err) < 0)
		return -1;
	out->files += extras;
	if (pack->manifest(pack->self, out->manifest_sha256, err) < 0)
		return -1;
	memset(&x.mc, 0, sizeof x.mc);
	snprintf(x.mc.month, sizeof x.mc.month, "%s", req->month.label);
	snprintf(x.mc.dir, sizeof x.mc.dir, "%s", out->dir);
	memcpy(x.mc.manifest_sha256, out->manifest_sha256, sizeof x.mc.manifest_sha256);
	time_sql(now_us, x.now);
	return uow_run(c->uow, record, &x, err);
}
