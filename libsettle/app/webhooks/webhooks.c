/* webhooks.c — see webhooks.h. */
#include "app/webhooks/webhooks.h"

#include <stdio.h>
#include <string.h>

#include "domain/timefmt.h"
#include "util/log.h"

static void now_sql(const struct webhook_ctx *c, char now[TIME_SQL_LEN])
{
	time_sql(c->pay->clock->now_us(c->pay->clock->self), now);
}

int webhook_receive(const struct webhook_ctx *c, const struct webhook_event *ev, const char *body,
		    enum webhook_taken *taken, int64_t *id, struct settle_err *err)
{
	const struct payments_repo *pr = c->pay->r.payments;
	char now[TIME_SQL_LEN];
	int rc;

	if (ev->kind == WH_DEPOSIT || ev->kind == WH_PAYMENT_STATUS) {
		struct payment_rec p;

		rc = pr->find(pr->self, NULL, PAY_BY_ORDER_ID, ev->order_id, &p, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return err_set(err, SETTLE_EX_NOINPUT, "no payment with order id %s", ev->order_id);
		/* A deposit callback comes unsigned; the secret it carries
		 * is the one the PG gave for this payment, kept since. */
		if (ev->kind == WH_DEPOSIT && !webhook_secret_equal(p.va_secret, ev->secret))
			return err_set(err, SETTLE_EX_NOPERM, "deposit callback secret does not match order %s",
				       ev->order_id);
		/* An unsigned status change must at least name the payment as the
		 * PG knows it, so made-up keys cannot fill the events table. */
		if (ev->kind == WH_PAYMENT_STATUS && (!p.payment_key[0] || strcmp(p.payment_key, ev->payment_key)))
			return err_set(err, SETTLE_EX_NOPERM, "payment key does not match order %s", ev->order_id);
	}
	if (ev->kind == WH_OTHER) {
		*taken = WH_TAKEN_IGNORED;
		*id = 0;
		return 0;
	}
	if (ev->kind == WH_PAYOUT_STATUS) {
		struct payout_rec po;

		rc = c->payouts->payouts->find(c->payouts->payouts->self, NULL, ev->payout_ref, &po, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return err_set(err, SETTLE_EX_NOINPUT, "no payout %s", ev->payout_ref);
	}
	now_sql(c, now);
	rc = c->events->store(c->events->self, ev, body, now, id, err);
	if (rc < 0)
		return -1;
	*taken = rc == 0 ? WH_TAKEN_DUPLICATE : WH_TAKEN_NEW;
	return 0;
}

static int finish(const struct webhook_ctx *c, int64_t id, const char *status, const char *flag, const char *note,
		  struct settle_err *err)
{
	char now[TIME_SQL_LEN];

	now_sql(c, now);
	return c->events->finish(c->events->self, id, status, flag, note, now, err);
}

/* A payment event: the PG is asked and its answer applied, as by the
 * sweep. A cancellation at the PG of a payment settle holds as paid is not
 * undone here (a refund is an operator's decision): it is flagged. */
static int act_payment(const struct webhook_ctx *c, int64_t id, const struct webhook_event *ev, struct settle_err *err)
{
	struct payment_rec p;
	char note[300];

	if (pay_deposit_seen(c->pay, ev->order_id, &p, err) < 0)
		return -1;
	if (webhook_status_is_cancel(ev->status) &&
	    (p.status == PAY_COMPLETED || p.status == PAY_PARTIALLY_REFUNDED || p.status == PAY_WAITING_FOR_DEPOSIT)) {
		snprintf(note, sizeof note, "the PG reports %s for order %s, which settle holds as %s", ev->status,
			 p.order_id, payment_status_name(p.status));
		log_kv(LOG_WARN, "webhook.cancel_at_pg", "order_id", p.order_id, "pg_status", ev->status, "status",
		       payment_status_name(p.status), NULL);
		return finish(c, id, "PROCESSED", "CANCELED_AT_PG", note, err);
	}
	snprintf(note, sizeof note, "payment %s is %s", p.public_id, payment_status_name(p.status));
	return finish(c, id, "PROCESSED", NULL, note, err);
}

/* A signed payout status: moved by the payout rules; a status settle has
 * no rule for is kept for an operator. */
static int act_payout(const struct webhook_ctx *c, int64_t id, const struct webhook_event *ev, struct settle_err *err)
{
	struct payout_rec p;
	char note[300];
	int rc;

	if (ev->payout_status == BANK_ST_UNKNOWN || ev->payout_status == BANK_ST_NOT_FOUND) {
		snprintf(note, sizeof note, "payout %s: status %s has no rule", ev->payout_ref, ev->status);
		return finish(c, id, "IGNORED", "UNKNOWN_PAYOUT_STATUS", note, err);
	}
	rc = payout_notified(c->payouts, ev->payout_ref, (enum bank_status)ev->payout_status, c->payouts_source, &p, err);
	if (rc < 0)
		return -1;
	snprintf(note, sizeof note, "payout %s is %s%s", p.public_id, payout_status_name(p.status),
		 rc ? "" : " (unchanged)");
	return finish(c, id, rc ? "PROCESSED" : "IGNORED", NULL, note, err);
}

int webhook_act(const struct webhook_ctx *c, int64_t id, const struct webhook_event *ev, struct settle_err *err)
{
	struct settle_err e2 = {0};
	int rc;

	switch (ev->kind) {
	case WH_DEPOSIT:
	case WH_PAYMENT_STATUS:
		rc = act_payment(c, id, ev, err);
		break;
	case WH_PAYOUT_STATUS:
		rc = act_payout(c, id, ev, err);
		break;
	default:
		rc = finish(c, id, "IGNORED", NULL, NULL, err);
		break;
	}
	if (rc < 0) {
		log_kv(LOG_ERROR, "webhook.act_failed", "source", ev->source, "type", ev->type, "error", err->msg, NULL);
		(void)finish(c, id, "FAILED", "ACT_FAILED", err->msg, &e2);
	}
	return rc;
}
