/* The PG-answer rules shared by capture, refund and the sweep. Pure: no
 * database, no network. A bug here charges twice or loses a payment. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/payments/decide.h"

static struct payment_rec pay(enum payment_status st)
{
	struct payment_rec p;

	memset(&p, 0, sizeof p);
	p.id = 7;
	p.amount = 50000;
	snprintf(p.currency, sizeof p.currency, "KRW");
	p.status = st;
	return p;
}

static struct pg_result answer(enum pg_outcome outcome, enum pg_status st, int64_t total, const char *code)
{
	struct pg_result r;

	memset(&r, 0, sizeof r);
	r.outcome = outcome;
	r.payment.status = st;
	r.payment.total_amount = total;
	snprintf(r.payment.currency, sizeof r.payment.currency, "KRW");
	snprintf(r.code, sizeof r.code, "%s", code);
	return r;
}

Test(app_decide, done_captures_and_refused_confirm_fails)
{
	struct payment_rec p = pay(PAY_CONFIRMING);
	struct pg_result ok = answer(PG_OK, PG_ST_DONE, 50000, ""), no = answer(PG_REFUSED, 0, 0, "REJECT_CARD_PAYMENT");
	struct outcome o;
	int resend;

	decide_confirm(&p, &ok, 0, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_CAPTURED);
	decide_confirm(&p, &no, 0, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_FAILED);
	cr_assert_str_eq(o.code, "REJECT_CARD_PAYMENT");
}

Test(app_decide, refused_lookup_is_doubt_never_failure)
{
	struct payment_rec p = pay(PAY_CONFIRMING), w = pay(PAY_WAITING_FOR_DEPOSIT);
	struct pg_result r = answer(PG_REFUSED, 0, 0, "UNAUTHORIZED_KEY");
	struct outcome o;
	int resend;

	decide_confirm(&p, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_DOUBT, "a refused look-up failed the payment");
	cr_assert_eq(resend, 0);
	decide_confirm(&w, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_DOUBT);
}

Test(app_decide, different_amount_is_never_captured)
{
	struct payment_rec p = pay(PAY_CONFIRMING);
	struct pg_result r = answer(PG_OK, PG_ST_DONE, 49000, "");
	struct outcome o;
	int resend;

	decide_confirm(&p, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_DOUBT);
	cr_assert_str_eq(o.code, "AMOUNT_MISMATCH");
}

Test(app_decide, confirm_that_never_arrived_is_resent_once_looked_up)
{
	struct payment_rec p = pay(PAY_CONFIRMING);
	struct pg_result r = answer(PG_OK, PG_ST_IN_PROGRESS, 50000, "");
	struct outcome o;
	int resend;

	decide_confirm(&p, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(resend, 1);
	/* the same answer to a confirm (not a look-up) is never a resend */
	decide_confirm(&p, &r, 0, 0, 30, &o, &resend);
	cr_assert_eq(resend, 0);
	cr_assert_eq(o.kind, OUT_DOUBT);
}

Test(app_decide, waiting_deposit_then_expiry)
{
	struct payment_rec p = pay(PAY_CONFIRMING), w = pay(PAY_WAITING_FOR_DEPOSIT);
	struct pg_result va = answer(PG_OK, PG_ST_WAITING_FOR_DEPOSIT, 50000, ""),
			 gone = answer(PG_OK, PG_ST_EXPIRED, 50000, "");
	struct outcome o;
	int resend;

	decide_confirm(&p, &va, 0, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_AWAIT_DEPOSIT);
	decide_confirm(&w, &gone, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_EXPIRED);
}

Test(app_decide, backoff_doubles_and_caps_at_an_hour)
{
	cr_assert_eq(decide_next_check(0, 30, 0), 30 * 1000000LL);
	cr_assert_eq(decide_next_check(0, 30, 1), 60 * 1000000LL);
	cr_assert_eq(decide_next_check(0, 30, 3), 240 * 1000000LL);
	cr_assert_eq(decide_next_check(0, 30, 40), 3600 * 1000000LL);
}
