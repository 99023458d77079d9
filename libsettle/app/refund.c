/*
 * refund.c — pay-refund: full or partial, only while the escrow holds the
 * money. Same shape as capture: the refund row with its idempotency key is
 * committed before the PG is asked to cancel.
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

/* Decides a refund from the PG's cancel answer. */
void decide_refund(const struct refund_rec *r, const struct pg_result *res, int64_t now_us, int backoff_s,
		   struct outcome *o);

void decide_refund(const struct refund_rec *r, const struct pg_result *res, int64_t now_us, int backoff_s,
		   struct outcome *o)
{
	memset(o, 0, sizeof *o);
	o->id = r->id;
	o->pg = &res->payment;
	o->code = res->code;
	o->message = res->message;
	switch (res->outcome) {
	case PG_OK:
		o->kind = OUT_REFUNDED;
		break;
	case PG_REFUSED:
		o->kind = OUT_REFUND_FAILED;
		break;
	default:
		o->kind = OUT_REFUND_DOUBT;
		o->next_check_us = decide_next_check(now_us, backoff_s, r->doubt_count);
	}
}

/* The PG cancel request of a refund. */
void refund_request(const struct payment_rec *p, const struct refund_rec *r, int64_t amount,
		    struct pg_cancel_req *req);

void refund_request(const struct payment_rec *p, const struct refund_rec *r, int64_t amount,
		    struct pg_cancel_req *req)
{
	/* A refund of everything that remains is sent as a full cancel. */
	int64_t rest = p->amount - p->refunded;

	*req = (struct pg_cancel_req){.payment_key = p->payment_key, .order_id = p->order_id,
				      .cancel_order_id = r->cancel_order_id, .amount = amount == rest ? 0 : amount,
				      .currency = r->currency, .reason = r->reason,
				      .idempotency_key = r->idempotency_key};
}

int pay_refund(const struct pay_ctx *c, const char *payment_id, const char *amount_text, const char *reason,
	       struct refund_rec *out, struct settle_err *err)
{
	struct payment_rec p;
	struct money amount = {0, ""};
	struct pg_cancel_req req;
	struct pg_result res;
	struct outcome o;
	struct pg_port *pg;
	char now[TIME_SQL_LEN];
	int rc;

	if (validate_ref_id("payment id", payment_id, err) < 0)
		return -1;
	if (validate_text("--reason", reason, 100, err) < 0)
		return -1;
	rc = c->store->get_payment(c->store->self, "public", payment_id, &p, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown payment %s", payment_id);
	if (amount_text) {
		if (money_parse(&amount, amount_text, p.currency, err) < 0)
			return err_prefix(err, "--amount");
		if (amount.minor <= 0)
			return err_set(err, SETTLE_EX_DATAERR, "--amount must be positive");
	}
	time_sql(c->clock->now_us(c->clock->self), now);
	if (c->store->begin_refund(c->store->self, p.id, amount.minor, reason, c->actor, now, out, err) < 0)
		return -1;
	FAILPOINT("refund.after_intent");
	pg = c->pg_open(c->pg_arg, p.pg, err);
	if (!pg)
		return -1;
	refund_request(&p, out, out->amount, &req);
	pg->cancel(pg->self, &req, &res);
	FAILPOINT("refund.after_pg");
	time_sql(c->clock->now_us(c->clock->self), now);
	decide_record_health(c, pg->name, &res, now);
	c->pg_close(pg);
	decide_refund(out, &res, c->clock->now_us(c->clock->self), c->set.doubt_backoff_s, &o);
	if (c->store->apply_outcomes(c->store->self, &o, 1, c->actor, now, err) < 0)
		return -1;
	FAILPOINT("refund.after_outcome");
	char refund_id[sizeof out->public_id];

	/* Copied: get_refund clears *out before it fills it. */
	snprintf(refund_id, sizeof refund_id, "%s", out->public_id);
	if (c->store->get_refund(c->store->self, refund_id, out, err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "refund %s vanished", refund_id);
	if (o.kind == OUT_REFUND_DOUBT) {
		snprintf(err->pg_code, sizeof err->pg_code, "%s", res.code);
		return err_set(err, SETTLE_EX_TEMPFAIL, "refund %s is in doubt (%s); left REQUESTED for the sweep",
			       out->public_id, res.code[0] ? res.code : "no answer");
	}
	if (o.kind == OUT_REFUND_FAILED) {
		snprintf(err->pg_code, sizeof err->pg_code, "%s", res.code);
		return err_set(err, SETTLE_EX_DATAERR, "refund %s was refused by the PG: %s %s", out->public_id,
			       res.code, res.message);
	}
	log_kv(LOG_INFO, "refund.completed", "refund", out->public_id, "payment", payment_id, (char *)NULL);
	return 0;
}
