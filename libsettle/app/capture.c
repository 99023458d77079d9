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

#include "util/log.h"
#include "app/decide.h"
#include "app/payments.h"
#include "domain/money.h"
#include "domain/timefmt.h"
#include "domain/validate.h"
#include "util/failpoint.h"

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

/* The confirm call, and the lookup-then-maybe-resend path for an order
 * already CONFIRMING. Fills *o from the PG's answer held in *res. */
int capture_call(const struct pay_ctx *c, struct pg_port *pg, const struct payment_rec *p, int lookup_first,
		 struct pg_result *res, struct outcome *o);

int capture_call(const struct pay_ctx *c, struct pg_port *pg, const struct payment_rec *p, int lookup_first,
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
		now_us = c->clock->now_us(c->clock->self);
		decide_confirm(p, res, 1, now_us, c->set.doubt_backoff_s, o, &resend);
		time_sql(now_us, now);
		decide_record_health(c, pg->name, res, now);
		if (!resend)
			return 0;
		log_kv(LOG_INFO, "capture.resend", "order_id", p->order_id, "pg_status",
		       pg_status_name(res->payment.status), (char *)NULL);
	}
	pg->confirm(pg->self, &req, res);
	FAILPOINT("capture.after_pg");
	now_us = c->clock->now_us(c->clock->self);
	time_sql(now_us, now);
	decide_record_health(c, pg->name, res, now);
	decide_confirm(p, res, 0, now_us, c->set.doubt_backoff_s, o, &resend);
	/* A repeated confirm that the PG calls "already processed" is not a
	 * failure: ask what happened. */
	return 0;
}

static int tell_study(const struct pay_ctx *c, const struct payment_rec *p)
{
	struct settle_err err = {0};
	struct outcome o = {.id = p->id};
	char now[TIME_SQL_LEN];
	int64_t now_us = c->clock->now_us(c->clock->self);

	if (c->study->confirm_participation(c->study->self, p->pod_id, p->user_id, p->public_id, &err) == 0) {
		o.kind = OUT_PARTICIPATION_DONE;
	} else {
		/* Queued: the sweep retries; the payment itself is safe. */
		o.kind = OUT_PARTICIPATION_RETRY;
		o.message = err.msg;
		o.next_check_us = decide_next_check(now_us, c->set.doubt_backoff_s, 0);
		log_kv(LOG_WARN, "participation.queued", "payment", p->public_id, "error", err.msg, (char *)NULL);
	}
	time_sql(now_us, now);
	err_clear(&err);
	return c->store->apply_outcomes(c->store->self, &o, 1, c->actor, now, &err);
}

static int finish(const struct pay_ctx *c, const char *order_id, const struct outcome *o, const struct pg_result *res,
		  struct payment_rec *out, struct settle_err *err)
{
	char now[TIME_SQL_LEN];

	time_sql(c->clock->now_us(c->clock->self), now);
	if (c->store->apply_outcomes(c->store->self, o, 1, c->actor, now, err) < 0)
		return -1;
	FAILPOINT("capture.after_outcome");
	if (c->store->get_payment(c->store->self, "order", order_id, out, err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "order %s vanished", order_id);
	switch (o->kind) {
	case OUT_CAPTURED:
		tell_study(c, out);
		log_kv(LOG_INFO, "capture.completed", "order_id", order_id, "payment", out->public_id, (char *)NULL);
		return 0;
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
	struct payment_rec p;
	struct money amount;
	struct pg_result res;
	struct outcome o;
	struct pg_port *pg;
	char key[160], now[TIME_SQL_LEN];
	int rc, raced = 0;

	if (validate_order_id("order id", order_id, err) < 0)
		return -1;
	if (validate_text("payment key", payment_key, 200, err) < 0)
		return -1;
again:
	rc = c->store->get_payment(c->store->self, "order", order_id, &p, err);
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

		snprintf(expected, sizeof expected, "%lld", (long long)p.amount);
		log_kv(LOG_WARN, "capture.tamper", "order_id", order_id, "amount", amount_text, "expected", expected,
		       (char *)NULL);
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
	case PAY_PENDING:
		pay_confirm_key(key, sizeof key, order_id);
		time_sql(c->clock->now_us(c->clock->self), now);
		if (c->store->begin_confirm(c->store->self, p.id, payment_key, key, c->actor, now, err) < 0) {
			/* A concurrent pay-capture of this order may have moved
			 * it first: look again and carry on from its state. */
			if (raced++)
				return -1;
			err_clear(err);
			goto again;
		}
		FAILPOINT("capture.after_intent");
		snprintf(p.payment_key, sizeof p.payment_key, "%s", payment_key);
		break;
	default:
		return err_set(err, SETTLE_EX_SOFTWARE, "order %s has status %d", order_id, p.status);
	}
	pg = c->pg_open(c->pg_arg, p.pg, err);
	if (!pg)
		return -1;
	/* An order found CONFIRMING was interrupted: ask before confirming. */
	capture_call(c, pg, &p, p.status == PAY_CONFIRMING, &res, &o);
	rc = finish(c, order_id, &o, &res, out, err);
	c->pg_close(pg);
	return rc;
}
