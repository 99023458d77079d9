/*
 * remit.c — booking a remittance of tax: withholding for a month (what the
 * withholding report of that month says) or VAT for a quarter (what the
 * VAT report says), once per period. The report's totals, the remittance
 * row and its entry (payable +, bank −) are read and written in one
 * transaction, so what is booked is exactly what the report shows.
 * Afterwards, what stays on the payable belongs to other periods (for
 * withholding: payouts created and not yet sent); it is listed.
 */
#include <stdio.h>
#include <string.h>

#include "app/reports/internal.h"
#include "domain/remittance.h"
#include "domain/timefmt.h"

struct remit_tx {
	const struct report_ctx *c;
	const struct remit_req *req;
	struct remit_result *out;
	char now[TIME_SQL_LEN];
};

static const char *kind_name(enum remit_kind k)
{
	return k == REMIT_VAT ? "vat" : "withholding";
}

static int book(struct uow *tx, void *arg, struct settle_err *err)
{
	struct remit_tx *x = arg;
	const struct report_ctx *c = x->c;
	struct remittance *r = &x->out->r, old;
	struct report_totals tot;
	struct journal_entry je;
	char key[ENTRY_KEY_MAX];
	const char *keys[1] = {key};
	int rc;

	rc = c->remittances->find(c->remittances->self, tx, r->kind, r->period, &old, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return err_set(err, SETTLE_EX_DATAERR, "%s for %s was already remitted: %lld %s paid on %s (booked %.19s UTC)",
			       r->kind, r->period, (long long)old.amount, old.currency, old.paid_on, old.created_at);
	if (x->req->kind == REMIT_VAT) {
		if (report_vat(c, &x->req->period, NULL, &tot, err) < 0)
			return -1;
		r->amount = tot.col[VAT_COL_VAT];
	} else {
		if (report_withholding(c, &x->req->period, NULL, &tot, err) < 0)
			return -1;
		r->amount = tot.col[WH_COL_WITHHOLDING];
	}
	memcpy(r->currency, tot.currency[0] ? tot.currency : "KRW", 4);
	if (postings_remittance(r->kind, r->period, r->currency, r->amount, &je, key, err) < 0)
		return -1;
	if (x->req->dry_run)
		return 0;
	rc = c->remittances->insert(c->remittances->self, tx, r, x->now, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s for %s was already remitted (by another run)", r->kind,
			       r->period);
	return c->ledger->post(c->ledger->self, tx, keys, &je, 1, x->now, err);
}

int remit(const struct report_ctx *c, const struct remit_req *req, int (*open_fn)(void *arg, const struct rq_open_item *r),
	  void *arg, struct remit_result *out, struct settle_err *err)
{
	int64_t now_us = c->clock->now_us(c->clock->self);
	struct remit_tx x = {c, req, out, ""};
	struct remittance *r = &out->r;
	char payable[32];
	int64_t bal = 0;

	memset(out, 0, sizeof *out);
	if (!period_ended(&req->period, now_us) && !req->early)
		return err_set(err, SETTLE_EX_DATAERR,
			       "%s has not ended yet (Korea time): what is paid later in it would stay unremitted; "
			       "--early books it anyway",
			       req->period.label);
	if (remittance_paid_on_ok(req->paid_on, &req->period, now_us, err) < 0)
		return -1;
	snprintf(r->kind, sizeof r->kind, "%s", kind_name(req->kind));
	snprintf(r->period, sizeof r->period, "%s", req->period.label);
	snprintf(r->paid_on, sizeof r->paid_on, "%s", req->paid_on);
	snprintf(r->public_id, sizeof r->public_id, "rem-%s-%s", r->kind, r->period);
	time_sql(now_us, x.now);
	if (uow_run(c->uow, book, &x, err) < 0)
		return -1;
	snprintf(payable, sizeof payable, "%s_payable", r->kind);
	if (c->q->balance(c->q->self, payable, r->currency, &bal, err) < 0)
		return -1;
	out->payable_after = -bal;
	if (req->kind == REMIT_WITHHOLDING && open_fn &&
	    c->q->withholding_open(c->q->self, &req->period, open_fn, arg, err) < 0)
		return -1;
	return 0;
}
