/* decide.c — the PG-answer-to-outcome rules in one place. */
#include "app/payments/decide.h"

#include <string.h>

int64_t decide_next_check(int64_t now_us, int backoff_s, int doubts)
{
	int64_t delay = backoff_s > 0 ? backoff_s : 1;

	for (int i = 0; i < doubts && delay < 3600; i++)
		delay *= 2;
	if (delay > 3600)
		delay = 3600;
	return now_us + delay * 1000000;
}

void decide_confirm(const struct payment_rec *p, const struct pg_result *res, int from_lookup, int64_t now_us,
		    int backoff_s, struct outcome *o, int *resend)
{
	memset(o, 0, sizeof *o);
	o->id = p->id;
	o->pg = &res->payment;
	o->code = res->code;
	o->message = res->message;
	*resend = 0;
	/* A refused look-up (bad key, forbidden, throttled) says nothing about
	 * the payment: only a refused confirm fails it. */
	if (res->outcome == PG_REFUSED && !from_lookup) {
		o->kind = OUT_FAILED;
		return;
	}
	if (res->outcome != PG_OK) {
		o->kind = OUT_DOUBT;
		o->next_check_us = decide_next_check(now_us, backoff_s, p->doubt_count);
		return;
	}
	switch (res->payment.status) {
	case PG_ST_DONE:
		/* The tamper check: the PG must have taken exactly the order's amount. */
		if (res->payment.total_amount != p->amount || strcmp(res->payment.currency[0] ? res->payment.currency
											      : p->currency,
								     p->currency)) {
			o->kind = OUT_DOUBT;
			o->code = "AMOUNT_MISMATCH";
			o->charged = 1;
			o->message = "the PG reports a different amount than the order; needs an operator";
			o->next_check_us = decide_next_check(now_us, backoff_s, p->doubt_count);
			return;
		}
		o->kind = OUT_CAPTURED;
		return;
	case PG_ST_WAITING_FOR_DEPOSIT:
		o->kind = OUT_AWAIT_DEPOSIT;
		return;
	case PG_ST_ABORTED:
	case PG_ST_CANCELED:
	case PG_ST_EXPIRED:
		o->kind = p->status == PAY_WAITING_FOR_DEPOSIT ? OUT_EXPIRED : OUT_FAILED;
		o->code = o->code && *o->code ? o->code : pg_status_name(res->payment.status);
		o->message = o->message && *o->message ? o->message : "the PG reports the payment did not complete";
		return;
	case PG_ST_READY:
	case PG_ST_IN_PROGRESS:
	case PG_ST_NOT_FOUND:
		if (from_lookup && p->status == PAY_CONFIRMING) {
			/* The confirm never reached the PG: send it again. */
			*resend = 1;
			o->kind = OUT_DOUBT;
			o->next_check_us = decide_next_check(now_us, backoff_s, p->doubt_count);
			return;
		}
		/* fall through */
	default:
		o->kind = OUT_DOUBT;
		o->code = "UNEXPECTED_STATUS";
		o->message = pg_status_name(res->payment.status);
		o->next_check_us = decide_next_check(now_us, backoff_s, p->doubt_count);
		return;
	}
}
