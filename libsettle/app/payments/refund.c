/*
 * refund.c — pay-refund: full or partial, only while the escrow holds the
 * money. Same shape as capture: the refund row with its idempotency key is
 * committed before the PG is asked to cancel.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/decide.h"
#include "app/payments/internal.h"
#include "domain/money.h"
#include "domain/validate.h"
#include "util/failpoint.h"
#include "util/log.h"

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

/* ------------------------------------------------------------ the intent */

struct intent_args {
	const struct pay_ctx *c;
	int64_t payment_id, amount;
	const char *reason, *now;
	int after_release;
	struct refund_rec *out;
};

int refund_write_intent(const struct pay_ctx *c, struct uow *tx, int64_t payment_id, int64_t amount_asked,
			const char *reason, int after_release, const char *now, struct refund_rec *out,
			struct settle_err *err)
{
	const struct pay_repos *r = &c->r;
	struct payment_rec p;
	struct new_refund nr;
	struct payment_event ev;
	int64_t amount;

	if (r->payments->lock(r->payments->self, tx, payment_id, &p, err) < 0)
		return -1;
	if (refund_check(&p, amount_asked, after_release, &amount, err) < 0)
		return -1;
	nr = (struct new_refund){p.id, amount, p.currency, reason};
	if (r->refunds->insert(r->refunds->self, tx, &nr, now, out, err) < 0)
		return -1;
	ev = (struct payment_event){payment_status_name(p.status), payment_status_name(p.status), c->actor, NULL,
				    "refund requested"};
	return r->payments->add_event(r->payments->self, tx, p.id, &ev, now, err);
}

static int intent_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct intent_args *a = arg;

	return refund_write_intent(a->c, tx, a->payment_id, a->amount, a->reason, a->after_release, a->now, a->out, err);
}

int refund_begin(const struct pay_ctx *c, const struct payment_rec *p, int64_t amount, const char *reason,
		 int after_release, struct refund_rec *out, struct settle_err *err)
{
	char now[TIME_SQL_LEN];
	struct intent_args a = {c, p->id, amount, reason, now, after_release, out};

	pay_now(c, now);
	return uow_run(c->r.uow, intent_tx, &a, err);
}

/* ------------------------------------------------------------ the call */

int refund_send(const struct pay_ctx *c, const struct payment_rec *p, const struct refund_rec *r,
		enum outcome_kind *kind, struct pg_result *res, struct settle_err *err)
{
	struct pg_cancel_req req;
	struct outcome o;
	struct pg_port *pg;
	char now[TIME_SQL_LEN];

	pg = pay_pg_open(c, p->pg, err);
	if (!pg)
		return -1;
	refund_request(p, r, r->amount, &req);
	pg->cancel(pg->self, &req, res);
	FAILPOINT("refund.after_pg");
	pay_now(c, now);
	breaker_record(c, pg->name, res, now);
	pay_pg_close(c, pg);
	decide_refund(r, res, c->clock->now_us(c->clock->self), c->set.doubt_backoff_s, &o);
	*kind = o.kind;
	if (outcomes_apply(c, &o, 1, NULL, NULL, err) < 0)
		return -1;
	FAILPOINT("refund.after_outcome");
	if (o.kind == OUT_REFUNDED)
		log_kv(LOG_INFO, "refund.completed", "refund", r->public_id, "payment", p->public_id, (char *)NULL);
	return 0;
}

int pay_refund(const struct pay_ctx *c, const char *payment_id, const char *amount_text, const char *reason,
	       struct refund_rec *out, struct settle_err *err)
{
	struct refund_ask ask = {payment_id, amount_text, reason, 0};

	return pay_refund_ask(c, &ask, out, err);
}

int pay_refund_ask(const struct pay_ctx *c, const struct refund_ask *ask, struct refund_rec *out,
		   struct settle_err *err)
{
	const char *payment_id = ask->payment_id, *amount_text = ask->amount_text, *reason = ask->reason;
	const struct payments_repo *pr = c->r.payments;
	struct payment_rec p;
	struct money amount = {0, ""};
	int rc;

	if (validate_ref_id("payment id", payment_id, err) < 0)
		return -1;
	if (validate_text("--reason", reason, 100, err) < 0)
		return -1;
	rc = pr->find(pr->self, NULL, PAY_BY_PUBLIC_ID, payment_id, &p, err);
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
	if (refund_begin(c, &p, amount.minor, reason, ask->after_release, out, err) < 0)
		return -1;
	return refund_complete(c, &p, out, err);
}

int refund_complete(const struct pay_ctx *c, const struct payment_rec *p, struct refund_rec *out, struct settle_err *err)
{
	struct pg_result res;
	enum outcome_kind kind;
	char refund_id[sizeof out->public_id];

	FAILPOINT("refund.after_intent");
	if (refund_send(c, p, out, &kind, &res, err) < 0)
		return -1;
	/* Copied: find clears *out before it fills it. */
	snprintf(refund_id, sizeof refund_id, "%s", out->public_id);
	if (c->r.refunds->find(c->r.refunds->self, NULL, refund_id, out, err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "refund %s vanished", refund_id);
	if (kind == OUT_REFUND_DOUBT) {
		snprintf(err->pg_code, sizeof err->pg_code, "%s", res.code);
		return err_set(err, SETTLE_EX_TEMPFAIL, "refund %s is in doubt (%s); left REQUESTED for the sweep",
			       out->public_id, res.code[0] ? res.code : "no answer");
	}
	if (kind == OUT_REFUND_FAILED) {
		snprintf(err->pg_code, sizeof err->pg_code, "%s", res.code);
		return err_set(err, SETTLE_EX_DATAERR, "refund %s was refused by the PG: %s %s", out->public_id,
			       res.code, res.message);
	}
	return 0;
}
