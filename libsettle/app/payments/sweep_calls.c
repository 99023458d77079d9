/*
 * sweep_calls.c — what the sweep asks about one unfinished item, and what
 * the answer makes of it: a confirm in doubt is looked up (and resent only
 * if the PG never saw it), a deposit awaited is asked about, a refund in
 * doubt is judged by the PG's balance, a participation is confirmed again.
 * Runs on the sweep's worker threads: no database, one PG client each.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/decide.h"
#include "app/payments/sweep.h"

static void sweep_refund(const struct pay_ctx *c, struct pg_port *pg, struct sweep_item *it, struct pg_result *res,
			 struct outcome *o)
{
	const struct payment_rec *p = &it->pay;
	const struct refund_rec *r = &it->refund;
	int64_t now_us, before = p->amount - p->refunded;
	char now[TIME_SQL_LEN];
	struct pg_cancel_req req;

	/* Look first: the PG's balance tells whether our cancel landed. */
	pg->get_by_key(pg->self, p->payment_key, res);
	now_us = pay_now(c, now);
	breaker_record(c, pg->name, res, now);
	/* A look-up that was refused, or that finds no payment, tells nothing
	 * about the refund: it stays in doubt for an operator or a later run. */
	if (res->outcome != PG_OK || res->payment.status == PG_ST_NOT_FOUND) {
		if (res->outcome == PG_OK)
			snprintf(res->code, sizeof res->code, "NOT_FOUND");
		res->outcome = PG_IN_DOUBT;
		decide_refund(r, res, now_us, c->set.doubt_backoff_s, o);
		return;
	}
	if (res->payment.balance_amount <= before - r->amount) {
		decide_refund(r, res, now_us, c->set.doubt_backoff_s, o);
		return;
	}
	if (res->payment.balance_amount == before) {
		/* Never landed: send it again with the same idempotency key
		 * (and, for NicePay, the same cancel order id). */
		refund_request(p, r, r->amount, &req);
		pg->cancel(pg->self, &req, res);
		now_us = pay_now(c, now);
		breaker_record(c, pg->name, res, now);
	} else {
		res->outcome = PG_IN_DOUBT;
		snprintf(res->code, sizeof res->code, "BALANCE_MISMATCH");
		snprintf(res->message, sizeof res->message, "PG balance %lld fits neither before nor after the refund",
			 (long long)res->payment.balance_amount);
	}
	decide_refund(r, res, now_us, c->set.doubt_backoff_s, o);
}

static void participation_call(const struct pay_ctx *c, struct sweep_item *it, struct pg_result *res,
			       struct outcome *o, int64_t now_us)
{
	struct settle_err err = {0};

	if (c->study->confirm_participation(c->study->self, it->pay.pod_id, it->pay.user_id, it->pay.public_id,
					    &err) == 0) {
		o->kind = OUT_PARTICIPATION_DONE;
		return;
	}
	snprintf(res->message, sizeof res->message, "%s", err.msg);
	o->message = res->message;
	if (err.code == SETTLE_EX_DATAERR) {
		o->kind = OUT_PARTICIPATION_REFUSED;
		return;
	}
	o->kind = OUT_PARTICIPATION_RETRY;
	o->next_check_us = decide_next_check(now_us, c->set.doubt_backoff_s, it->attempts + 1);
}

void sweep_ask(const struct pay_ctx *c, enum phase_kind kind, struct pg_port *pg, struct sweep_item *it,
	       struct pg_result *res, struct outcome *o, int64_t now_us)
{
	switch (kind) {
	case PH_CONFIRMING:
		capture_call(c, pg, &it->pay, 1, res, o);
		break;
	case PH_WAITING:
		capture_call(c, pg, &it->pay, 1, res, o);
		/* Only "still waiting" becomes a re-check (look again later); a doubt with a code
		 * (AMOUNT_MISMATCH: a deposit of another amount) stays a doubt
		 * that an operator hears of. */
		if (o->kind == OUT_AWAIT_DEPOSIT ||
		    (o->kind == OUT_DOUBT && res->outcome == PG_OK && !(o->code && !strcmp(o->code, "AMOUNT_MISMATCH")))) {
			o->kind = OUT_RECHECK;
			o->next_check_us = now_us + (int64_t)c->set.deposit_recheck_s * 1000000;
		}
		break;
	case PH_PENDING_EXPIRED:
		o->kind = OUT_EXPIRED;
		o->code = "PAYMENT_WINDOW_EXPIRED";
		o->message = "not confirmed within the PG's payment window";
		break;
	case PH_REFUNDS:
		sweep_refund(c, pg, it, res, o);
		o->id = it->refund.id;
		break;
	case PH_PARTICIPATION:
		participation_call(c, it, res, o, now_us);
		break;
	}
}
