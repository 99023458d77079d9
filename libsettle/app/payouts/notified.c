/*
 * notified.c — a payout status the bank signed and pushed (Toss payouts v2
 * payout.changed through pay-webhookd), applied by the same rules as the
 * answer to a send or a look-up (apply.c).
 *
 * Rule: only a payout in flight (SENDING or SENT) moves; a notification
 * about one already PAID, FAILED or RETURNED, a repeat, or one that comes
 * after a later state changes nothing (the state machine only goes
 * forward).
 */
#include <stdio.h>
#include <string.h>

#include "app/payouts/apply.h"
#include "domain/timefmt.h"

struct notified {
	const struct payout_ctx *c;
	const char *public_id, *source;
	const struct bank_result *res;
	int applied;
	struct payout_rec *out;
};

static int notified_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct notified *n = arg;
	const struct payout_ctx *c = n->c;
	struct payout_report rep = {0};
	struct payout_rec p;
	char now[TIME_SQL_LEN];
	int rc = c->payouts->find(c->payouts->self, tx, n->public_id, &p, err);

	n->applied = 0;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_NOINPUT, "no payout %s", n->public_id);
	if (c->payouts->lock(c->payouts->self, tx, p.id, &p, err) < 0)
		return -1;
	*n->out = p;
	if (p.status != PAYOUT_SENDING && p.status != PAYOUT_SENT)
		return 0;
	time_sql(c->clock->now_us(c->clock->self), now);
	if (payout_apply(c, tx, &p, n->res, n->source, now, &rep, err) < 0)
		return -1;
	*n->out = p;
	n->applied = 1;
	return 0;
}

int payout_notified(const struct payout_ctx *c, const char *public_id, enum bank_status status,
		    const char *source_account, struct payout_rec *out, struct settle_err *err)
{
	struct bank_result res = {.outcome = BANK_OK, .status = status};
	struct notified n = {c, public_id, source_account, &res, 0, out};

	if (status != BANK_ST_PAID && status != BANK_ST_FAILED && status != BANK_ST_ACCEPTED &&
	    status != BANK_ST_RETURNED)
		return err_set(err, SETTLE_EX_DATAERR, "payout %s: a status settle cannot act on", public_id);
	snprintf(res.code, sizeof res.code, "%s", status == BANK_ST_FAILED ? "FAILED_AT_BANK" : "");
	snprintf(res.message, sizeof res.message, "%s", status == BANK_ST_FAILED ? "reported by the bank's notification" : "");
	if (uow_run(c->uow, notified_tx, &n, err) < 0)
		return -1;
	return n.applied;
}
