/*
 * capture.c — pay-capture of one order: tamper check, intent, PG confirm,
 * outcome, then the participation confirm owed to the Study Service.
 *
 * The order of steps is the crash-safety argument: the intent (CONFIRMING
 * plus the confirm idempotency key) is committed before the PG is called,
 * so a process killed anywhere after it leaves a row the sweep will find
 * and finish by asking the PG, never by charging again.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/decide.h"
#include "app/payments/internal.h"
#include "domain/money.h"
#include "domain/validate.h"
#include "util/failpoint.h"
#include "util/log.h"

void pay_confirm_key(char *buf, size_t len, const char *order_id)
{
	snprintf(buf, len, "confirm-%s", order_id);
}

static const char *order_date(const struct payment_rec *p, char buf[9])
{
	int64_t us;

	if (time_parse_utc(p->created_at, &us) < 0)
		return NULL;
	time_kst_yyyymmdd(us, buf);
	return buf;
}

void capture_call(const struct pay_ctx *c, struct pg_port *pg, const struct payment_rec *p, int lookup_first,
		  struct pg_result *res, struct outcome *o)
{
	char key[160], date[9], now[TIME_SQL_LEN];
	struct pg_confirm_req req;
	int resend = 0;
	int64_t now_us;

	pay_confirm_key(key, sizeof key, p->order_id);
	req = (struct pg_confirm_req){.payment_key = p->payment_key, .order_id = p->order_id, .amount = p->amount,
				      .currency = p->currency, .idempotency_key = key};
	if (lookup_first) {
		struct pg_lookup_req q = {.order_id = p->order_id, .payment_key = p->payment_key,
					  .order_date = order_date(p, date)};

		pg->get_by_order(pg->self, &q, res);
		now_us = pay_now(c, now);
		decide_confirm(p, res, 1, now_us, c->set.doubt_backoff_s, o, &resend);
		breaker_record(c, pg->name, res, now);
		if (!resend)
			return;
		log_kv(LOG_INFO, "capture.resend", "order_id", p->order_id, "pg_status",
		       pg_status_name(res->payment.status), (char *)NULL);
	}
	pg->confirm(pg->self, &req, res);
	FAILPOINT("capture.after_pg");
	now_us = pay_now(c, now);
	breaker_record(c, pg->name, res, now);
	/* A repeated confirm that the PG calls "already processed" is in
	 * doubt, not a failure: the next look-up tells. */
	decide_confirm(p, res, 0, now_us, c->set.doubt_backoff_s, o, &resend);
}

/* ------------------------------------------------------------ the intent */

struct intent_args {
	const struct pay_ctx *c;
	int64_t id;
	const char *payment_key, *now;
};

static int intent_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct intent_args *a = arg;
	const struct payments_repo *pr = a->c->r.payments;
	struct payment_event ev = {"PENDING", "CONFIRMING", a->c->actor, NULL, NULL};
	struct payment_rec p;
	int owned;

	if (pr->lock(pr->self, tx, a->id, &p, err) < 0)
		return -1;
	if (payment_transition(p.status, PAY_CONFIRMING, err) < 0)
		return err_prefix(err, "order %s", p.order_id);
	/* Only a key another order owns (the PG confirmed it there) is
	 * refused here; any other foreign key is the PG's to refuse. */
	owned = pr->key_owned_elsewhere(pr->self, tx, p.pg, a->payment_key, p.id, err);
	if (owned < 0)
		return -1;
	if (owned)
		return err_set(err, SETTLE_EX_DATAERR, "payment key is already used by another order");
	p.status = PAY_CONFIRMING;
	snprintf(p.payment_key, sizeof p.payment_key, "%s", a->payment_key);
	pay_confirm_key(p.confirm_key, sizeof p.confirm_key, p.order_id);
	p.next_check_at[0] = '\0';
	if (pr->save(pr->self, tx, &p, a->now, err) < 0)
		return -1;
	return pr->add_event(pr->self, tx, p.id, &ev, a->now, err);
}

/* ------------------------------------------------------------ after the call */

/* Tells the Study Service the place is paid. Returns 1 when it definitely
 * refused the place (why in why[]); the payment is then refunded. */
static int tell_study(const struct pay_ctx *c, const struct payment_rec *p, char *why, size_t why_len)
{
	struct settle_err err = {0};
	struct outcome o = {.id = p->id};
	int64_t refund_ids[1];
	size_t n_refunds = 0;
	int64_t now_us = c->clock->now_us(c->clock->self);

	if (c->study->confirm_participation(c->study->self, p->pod_id, p->user_id, p->public_id, &err) == 0) {
		o.kind = OUT_PARTICIPATION_DONE;
	} else if (err.code == SETTLE_EX_DATAERR) {
		/* Definitely refused (the pod filled since the order): the
		 * customer paid for a place they cannot have. */
		o.kind = OUT_PARTICIPATION_REFUSED;
		o.message = err.msg;
		log_kv(LOG_WARN, "participation.refused", "payment", p->public_id, "error", err.msg, (char *)NULL);
		snprintf(why, why_len, "%s", err.msg);
	} else {
		/* Queued: the sweep retries; the payment itself is safe. */
		o.kind = OUT_PARTICIPATION_RETRY;
		o.message = err.msg;
		o.next_check_us = decide_next_check(now_us, c->set.doubt_backoff_s, 0);
		log_kv(LOG_WARN, "participation.queued", "payment", p->public_id, "error", err.msg, (char *)NULL);
	}
	{
		struct settle_err apply_err = {0};

		if (outcomes_apply(c, &o, 1, refund_ids, &n_refunds, &apply_err) < 0) {
			log_kv(LOG_ERROR, "participation.record_failed", "payment", p->public_id, "error", apply_err.msg,
			       (char *)NULL);
			return 0;
		}
	}
	if (n_refunds) {
		struct refund_rec r;
		struct payment_rec fresh;
		struct pg_result res;
		enum outcome_kind kind;
		size_t got = 0;

		err_clear(&err);
		/* The refund's intent is committed: send it now (the sweep
		 * finishes it if this process dies). */
		if (c->r.refunds->load_many(c->r.refunds->self, NULL, refund_ids, 1, &r, &got, &err) == 0 && got == 1 &&
		    c->r.payments->find(c->r.payments->self, NULL, PAY_BY_PUBLIC_ID, p->public_id, &fresh, &err) == 1)
			refund_send(c, &fresh, &r, &kind, &res, &err);
	}
	return o.kind == OUT_PARTICIPATION_REFUSED;
}

static int finish(const struct pay_ctx *c, const char *order_id, const struct outcome *o, const struct pg_result *res,
		  struct payment_rec *out, struct settle_err *err)
{
	if (outcomes_apply(c, o, 1, NULL, NULL, err) < 0)
		return -1;
	FAILPOINT("capture.after_outcome");
	if (c->r.payments->find(c->r.payments->self, NULL, PAY_BY_ORDER_ID, order_id, out, err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "order %s vanished", order_id);
	switch (o->kind) {
	case OUT_CAPTURED: {
		char why[256] = "";
		int refused = tell_study(c, out, why, sizeof why);

		log_kv(LOG_INFO, "capture.completed", "order_id", order_id, "payment", out->public_id, (char *)NULL);
		if (!refused)
			return 0;
		if (c->r.payments->find(c->r.payments->self, NULL, PAY_BY_ORDER_ID, order_id, out, err) != 1)
			return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "order %s vanished", order_id);
		/* Say only what is true: refunded, a refund in flight that the
		 * sweep finishes, or nothing the sweep will do (an operator must). */
		return err_set(err, SETTLE_EX_DATAERR,
			       "order %s was paid, but the Study Service refused the place (%s); payment %s is %s%s",
			       order_id, why, out->public_id, payment_status_name(out->status),
			       out->status == PAY_REFUNDED ? ""
			       : out->refund_pending > 0 ? ": its refund is in doubt and left for `pay-capture --sweep`"
							 : ": it was NOT refunded; refund it with pay-refund");
	}
	case OUT_AWAIT_DEPOSIT:
		return 0;
	case OUT_DOUBT:
		snprintf(err->pg_code, sizeof err->pg_code, "%s", res->code);
		return err_set(err, SETTLE_EX_TEMPFAIL,
			       "order %s is in doubt (%s%s%s); left CONFIRMING for `pay-capture --sweep`", order_id,
			       o->code && *o->code ? o->code : "no answer", o->message && *o->message ? ": " : "",
			       o->message ? o->message : "");
	default:
		snprintf(err->pg_code, sizeof err->pg_code, "%s", o->code ? o->code : "");
		return err_set(err, SETTLE_EX_DATAERR, "order %s failed: %s %s", order_id, o->code ? o->code : "",
			       o->message ? o->message : "");
	}
}

int pay_capture(const struct pay_ctx *c, const char *order_id, const char *payment_key, const char *amount_text,
		struct payment_rec *out, struct settle_err *err)
{
	const struct payments_repo *pr = c->r.payments;
	struct payment_rec p;
	struct money amount;
	struct pg_result res;
	struct outcome o;
	struct pg_port *pg;
	char now[TIME_SQL_LEN];
	int rc, raced = 0;

	if (validate_order_id("order id", order_id, err) < 0)
		return -1;
	if (validate_text("payment key", payment_key, 200, err) < 0)
		return -1;
again:
	rc = pr->find(pr->self, NULL, PAY_BY_ORDER_ID, order_id, &p, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown order %s", order_id);
	if (money_parse(&amount, amount_text ? amount_text : "", p.currency, err) < 0)
		return err_prefix(err, "--amount");
	if (amount.minor <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "--amount must be positive");
	if (amount.minor != p.amount) {
		char expected[32];
		struct settle_err rec_err = {0};

		snprintf(expected, sizeof expected, "%lld", (long long)p.amount);
		log_kv(LOG_WARN, "capture.tamper", "order_id", order_id, "amount", amount_text, "expected", expected,
		       (char *)NULL);
		/* Recorded for settle-watch; the refusal stands either way. */
		(void)pay_record_tamper(c, &p, amount.minor, &rec_err);
		return err_set(err, SETTLE_EX_DATAERR,
			       "amount %s does not match order %s (%lld %s); nothing was sent to the PG", amount_text,
			       order_id, (long long)p.amount, p.currency);
	}
	*out = p;
	switch (p.status) {
	case PAY_COMPLETED:
	case PAY_PARTIALLY_REFUNDED:
	case PAY_REFUNDED:
	case PAY_WAITING_FOR_DEPOSIT:
		if (strcmp(p.payment_key, payment_key))
			return err_set(err, SETTLE_EX_DATAERR,
				       "order %s was already captured with a different payment key", order_id);
		return 0; /* a second capture prints the existing result */
	case PAY_FAILED:
	case PAY_EXPIRED:
		snprintf(err->pg_code, sizeof err->pg_code, "%s", p.pg_code);
		return err_set(err, SETTLE_EX_DATAERR, "order %s is %s%s%s; create a new order", order_id,
			       payment_status_name(p.status), p.pg_code[0] ? ": " : "", p.pg_code);
	case PAY_CONFIRMING:
		if (strcmp(p.payment_key, payment_key))
			return err_set(err, SETTLE_EX_DATAERR,
				       "order %s is being confirmed with a different payment key", order_id);
		break;
	case PAY_PENDING: {
		struct intent_args ia = {c, p.id, payment_key, now};

		pay_now(c, now);
		if (uow_run(c->r.uow, intent_tx, &ia, err) < 0) {
			/* A concurrent pay-capture of this order may have moved
			 * it first: look again and carry on from its state. */
			if (err->code != SETTLE_EX_DATAERR || strstr(err->msg, "cannot move") == NULL || raced++)
				return -1;
			err_clear(err);
			goto again;
		}
		FAILPOINT("capture.after_intent");
		snprintf(p.payment_key, sizeof p.payment_key, "%s", payment_key);
		break;
	}
	default:
		return err_set(err, SETTLE_EX_SOFTWARE, "order %s has status %d", order_id, p.status);
	}
	pg = pay_pg_open(c, p.pg, err);
	if (!pg)
		return -1;
	/* An order found CONFIRMING was interrupted: ask before confirming. */
	capture_call(c, pg, &p, p.status == PAY_CONFIRMING, &res, &o);
	rc = finish(c, order_id, &o, &res, out, err);
	pay_pg_close(c, pg);
	return rc;
}
