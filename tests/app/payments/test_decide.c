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

Test(app_decide, a_canceled_or_aborted_confirming_order_fails_with_the_pg_status_as_code)
{
	struct payment_rec p = pay(PAY_CONFIRMING);
	struct pg_result r = answer(PG_OK, PG_ST_CANCELED, 50000, "");
	struct outcome o;
	int resend;

	decide_confirm(&p, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_FAILED);
	cr_assert_str_eq(o.code, "CANCELED");
	cr_assert(o.message && *o.message);
	r = answer(PG_OK, PG_ST_ABORTED, 50000, "REJECT_CARD_COMPANY");
	decide_confirm(&p, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_FAILED);
	cr_assert_str_eq(o.code, "REJECT_CARD_COMPANY", "the PG's own code wins");
}

Test(app_decide, another_currency_is_a_mismatch_and_none_means_the_orders)
{
	struct payment_rec p = pay(PAY_CONFIRMING);
	struct pg_result r = answer(PG_OK, PG_ST_DONE, 50000, "");
	struct outcome o;
	int resend;

	snprintf(r.payment.currency, sizeof r.payment.currency, "USD");
	decide_confirm(&p, &r, 0, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_DOUBT);
	cr_assert_str_eq(o.code, "AMOUNT_MISMATCH");
	r.payment.currency[0] = '\0';
	decide_confirm(&p, &r, 0, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_CAPTURED);
}

Test(app_decide, a_status_that_makes_no_sense_here_is_a_doubt)
{
	struct payment_rec p = pay(PAY_CONFIRMING), w = pay(PAY_WAITING_FOR_DEPOSIT);
	struct pg_result r = answer(PG_OK, PG_ST_PARTIAL_CANCELED, 50000, "");
	struct outcome o;
	int resend;

	decide_confirm(&p, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_DOUBT);
	cr_assert_str_eq(o.code, "UNEXPECTED_STATUS");
	cr_assert_eq(resend, 0);
	/* a waiting payment the PG calls IN_PROGRESS is never confirmed again */
	r = answer(PG_OK, PG_ST_IN_PROGRESS, 50000, "");
	decide_confirm(&w, &r, 1, 0, 30, &o, &resend);
	cr_assert_eq(resend, 0);
	cr_assert_eq(o.kind, OUT_DOUBT);
}

Test(app_decide, a_doubt_backs_off_from_the_payments_doubts)
{
	struct payment_rec p = pay(PAY_CONFIRMING);
	struct pg_result r = answer(PG_IN_DOUBT, 0, 0, "TIMEOUT");
	struct outcome o;
	int resend;

	p.doubt_count = 2;
	decide_confirm(&p, &r, 0, 1000, 30, &o, &resend);
	cr_assert_eq(o.kind, OUT_DOUBT);
	cr_assert_eq(o.next_check_us, 1000 + 120 * 1000000LL);
}

Test(app_decide, a_cancel_answer_decides_the_refund)
{
	struct refund_rec r;
	struct pg_result ok = answer(PG_OK, PG_ST_CANCELED, 50000, ""), no = answer(PG_REFUSED, 0, 0, "NOT_CANCELABLE"),
			 doubt = answer(PG_IN_DOUBT, 0, 0, "TIMEOUT");
	struct outcome o;

	memset(&r, 0, sizeof r);
	r.id = 9;
	r.doubt_count = 1;
	decide_refund(&r, &ok, 0, 30, &o);
	cr_assert_eq(o.kind, OUT_REFUNDED);
	cr_assert_eq(o.id, 9, "the outcome names the refund, not the payment");
	decide_refund(&r, &no, 0, 30, &o);
	cr_assert_eq(o.kind, OUT_REFUND_FAILED);
	cr_assert_str_eq(o.code, "NOT_CANCELABLE");
	decide_refund(&r, &doubt, 0, 30, &o);
	cr_assert_eq(o.kind, OUT_REFUND_DOUBT);
	cr_assert_eq(o.next_check_us, 60 * 1000000LL);
}

Test(app_decide, a_cancel_of_all_that_remains_is_sent_as_a_full_cancel)
{
	struct payment_rec p = pay(PAY_PARTIALLY_REFUNDED);
	struct refund_rec r;
	struct pg_cancel_req req;

	memset(&r, 0, sizeof r);
	snprintf(r.idempotency_key, sizeof r.idempotency_key, "refund:ref_1");
	snprintf(r.cancel_order_id, sizeof r.cancel_order_id, "cxl-1");
	p.refunded = 20000;
	refund_request(&p, &r, 30000, &req);
	cr_assert_eq(req.amount, 0);
	cr_assert_str_eq(req.idempotency_key, "refund:ref_1");
	cr_assert_str_eq(req.cancel_order_id, "cxl-1");
	refund_request(&p, &r, 10000, &req);
	cr_assert_eq(req.amount, 10000);
}
