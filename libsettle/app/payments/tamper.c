/*
 * tamper.c — a capture refused by the tamper check (the amount asked is
 * not the order's) is recorded, not only logged (issue 14): settle-watch
 * counts the rows and alerts on a burst of them. The refusal moves no
 * money, so it is a row of its own in a unit of work of its own, and a
 * failure to record it does not change the answer the caller gets: the
 * refusal stands, and the log says it went unrecorded.
 */
#include "app/payments/internal.h"
#include "util/log.h"

struct tamper_args {
	const struct pay_ctx *c;
	const struct amount_refusal *r;
	const char *now;
};

static int tamper_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct tamper_args *a = arg;
	const struct amount_refusals_repo *rr = a->c->r.refusals;

	return rr->add(rr->self, tx, a->r, a->now, err);
}

int pay_record_tamper(const struct pay_ctx *c, const struct payment_rec *p, int64_t asked, struct settle_err *err)
{
	struct amount_refusal r = {p->id, p->order_id, p->user_id, c->actor ? c->actor : "", asked, p->amount, p->currency};
	char now[TIME_SQL_LEN];
	struct tamper_args a = {c, &r, now};

	if (!c->r.refusals)
		return 0;
	pay_now(c, now);
	if (uow_run(c->r.uow, tamper_tx, &a, err) < 0) {
		log_kv(LOG_ERROR, "capture.tamper_unrecorded", "order_id", p->order_id, "error", err->msg, (char *)NULL);
		return -1;
	}
	return 0;
}
