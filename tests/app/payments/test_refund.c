/*
 * pay_refund against the fakes, no database: every branch of the refund
 * state machine. The refund row (REQUESTED, idempotency key refund:{ref})
 * is committed before the PG is asked to cancel; a full refund makes the
 * payment REFUNDED, the escrow REFUNDED and posts refund:{ref} (escrow:{pod}
 * +amount, pg_clearing −amount); a partial one PARTIALLY_REFUNDED with the
 * escrow still holding; refusals before any PG call (more than remains,
 * not completed, escrow released, another refund in flight → EX_TEMPFAIL);
 * a PG refusal fails the refund only; a doubt leaves it REQUESTED; a unit
 * of work failing half-way leaves nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;
static struct fake_pg *pg;
static struct payment_rec paid; /* captured: 50000 KRW, pod-1, key pk-1 */

static void setup(void)
{
	fw = fake_world_new();
	pg = &fw->pg[0];
	fake_world_captured(fw, "pod-1", "user-1", "pk-1", &paid);
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_refund, .init = setup, .fini = teardown);

static void push_cancel_ok(int64_t balance, const char *tx)
{
	struct pg_result r;

	memset(&r, 0, sizeof r);
	r.outcome = PG_OK;
	r.payment.status = balance ? PG_ST_PARTIAL_CANCELED : PG_ST_CANCELED;
	r.payment.total_amount = 50000;
	r.payment.balance_amount = balance;
	snprintf(r.payment.currency, sizeof r.payment.currency, "KRW");
	snprintf(r.payment.last_transaction_key, sizeof r.payment.last_transaction_key, "%s", tx);
	fake_pg_push(pg, FAKE_PG_CANCEL, &r);
}

static int refund(const char *amount, struct refund_rec *out, struct settle_err *err)
{
	err_clear(err);
	return pay_refund(&fw->ctx, paid.public_id, amount, "customer asked", out, err);
}

Test(app_refund, a_full_refund_refunds_payment_and_escrow_and_posts_its_entry)
{
	struct refund_rec r;
	struct settle_err err = {0};
	const struct fake_pg_request *rq;
	const struct fake_entry_row *e;
	struct payment_rec p;
	char key[160];

	push_cancel_ok(0, "tx-1");
	cr_assert_eq(refund(NULL, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.status, REFUND_COMPLETED);
	cr_assert_eq(r.amount, 50000);
	cr_assert_str_eq(r.pg_transaction_key, "tx-1");
	snprintf(key, sizeof key, "refund:%s", r.public_id);
	cr_assert_str_eq(r.idempotency_key, key);

	rq = fake_pg_request(pg, FAKE_PG_CANCEL, 0);
	cr_assert_not_null(rq);
	cr_assert_eq(rq->amount, 0, "all that remains goes as a full cancel");
	cr_assert_str_eq(rq->idempotency_key, key);
	cr_assert_str_eq(rq->payment_key, "pk-1");
	cr_assert_str_eq(rq->order_id, paid.order_id);
	cr_assert_str_eq(rq->cancel_order_id, r.cancel_order_id);

	p = fake_world_payment(fw, paid.id);
	cr_assert_eq(p.status, PAY_REFUNDED);
	cr_assert_eq(p.refunded, 50000);
	cr_assert_eq(p.refund_pending, 0);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->status, ESCROW_REFUNDED);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->refunded, 50000);

	e = fake_world_entry(fw, key);
	cr_assert_not_null(e, "entry %s", key);
	cr_assert_str_eq(e->entry.kind, "refund");
	for (size_t i = 0; i < e->entry.n; i++) {
		const struct posting *po = &e->entry.postings[i];

		if (!strcmp(po->account, "escrow:pod-1"))
			cr_assert_eq(po->amount, 50000);
		else
			cr_assert(!strcmp(po->account, "pg_clearing:alpha") && po->amount == -50000, "%s %lld", po->account,
				  (long long)po->amount);
	}
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), 0);
	cr_assert_eq(fake_world_balance(fw, "pg_clearing:alpha"), 0);
	cr_assert_eq(fake_world_ledger_ok(fw, &err), 0, "%s", err.msg);
	cr_assert_eq(pg->unexpected, 0);
}

Test(app_refund, partial_refunds_draw_the_escrow_down_until_nothing_remains)
{
	struct refund_rec r;
	struct settle_err err = {0};
	struct payment_rec p;

	push_cancel_ok(30000, "tx-1");
	cr_assert_eq(refund("20000", &r, &err), 0, "%s", err.msg);
	cr_assert_eq(fake_pg_request(pg, FAKE_PG_CANCEL, 0)->amount, 20000);
	p = fake_world_payment(fw, paid.id);
	cr_assert_eq(p.status, PAY_PARTIALLY_REFUNDED);
	cr_assert_eq(p.refunded, 20000);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->status, ESCROW_HOLDING);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->refunded, 20000);
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), -30000);

	push_cancel_ok(0, "tx-2");
	cr_assert_eq(refund(NULL, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.amount, 30000);
	cr_assert_eq(fake_pg_request(pg, FAKE_PG_CANCEL, 1)->amount, 0, "the rest is a full cancel");
	cr_assert_str_neq(fake_pg_request(pg, FAKE_PG_CANCEL, 1)->idempotency_key,
			  fake_pg_request(pg, FAKE_PG_CANCEL, 0)->idempotency_key, "each refund its own key");
	p = fake_world_payment(fw, paid.id);
	cr_assert_eq(p.status, PAY_REFUNDED);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->status, ESCROW_REFUNDED);
	cr_assert_eq(fw->store.db.n_entries, 3);
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), 0);

	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR, "a refunded payment has nothing more: %s", err.msg);
}

Test(app_refund, more_than_remains_is_refused_before_the_pg)
{
	struct refund_rec r;
	struct settle_err err = {0};

	cr_assert_eq(refund("50001", &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "exceeds what remains"), "%s", err.msg);
	cr_assert_eq(refund("0", &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(fw->store.db.n_refunds, 0);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 0);
}

Test(app_refund, bad_input_is_refused)
{
	struct refund_rec r;
	struct settle_err err = {0};

	cr_assert_eq(pay_refund(&fw->ctx, "pay_nope", NULL, "x", &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "unknown payment"), "%s", err.msg);
	cr_assert_eq(pay_refund(&fw->ctx, paid.public_id, NULL, "", &r, &err), -1, "a reason is needed");
	cr_assert_eq(pay_refund(&fw->ctx, "bad id!", NULL, "x", &r, &err), -1);
	cr_assert_eq(fw->store.db.n_refunds, 0);
}

Test(app_refund, only_a_completed_payment_is_refunded)
{
	struct payment_rec p;
	struct refund_rec r;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-2", &p);
	cr_assert_eq(pay_refund(&fw->ctx, p.public_id, NULL, "x", &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "only a completed payment"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_refunds, 0);
}

Test(app_refund, a_released_escrow_needs_a_clawback_not_a_refund)
{
	struct refund_rec r;
	struct settle_err err = {0};

	fake_escrow_of(&fw->store, paid.id)->status = ESCROW_RELEASED;
	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "clawback"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 0);
}

Test(app_refund, a_disputed_escrow_can_still_be_refunded)
{
	struct refund_rec r;
	struct settle_err err = {0};

	fake_escrow_of(&fw->store, paid.id)->status = ESCROW_DISPUTED;
	push_cancel_ok(0, "tx-1");
	cr_assert_eq(refund(NULL, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->status, ESCROW_REFUNDED);
}

Test(app_refund, in_doubt_is_tempfail_left_requested_and_blocks_a_second_refund)
{
	struct refund_rec r, r2;
	struct settle_err err = {0};
	struct payment_rec p;

	fake_pg_push_doubt(pg, FAKE_PG_CANCEL);
	cr_assert_eq(refund("10000", &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert_str_eq(err.pg_code, "TIMEOUT");
	cr_assert(strstr(err.msg, "left REQUESTED"), "%s", err.msg);
	cr_assert_eq(r.status, REFUND_REQUESTED, "*out is the refund as it stands");
	cr_assert_eq(r.doubt_count, 1);
	cr_assert(r.next_check_at[0]);
	p = fake_world_payment(fw, paid.id);
	cr_assert_eq(p.status, PAY_COMPLETED);
	cr_assert_eq(p.refund_pending, 10000);
	cr_assert_eq(fw->store.db.n_entries, 1, "only the capture");

	cr_assert_eq(refund("5000", &r2, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL, "another refund in flight: %s", err.msg);
	cr_assert(strstr(err.msg, "in flight"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_refunds, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 1);
}

Test(app_refund, a_pg_refusal_fails_the_refund_and_leaves_the_payment)
{
	struct refund_rec r;
	struct settle_err err = {0};
	struct payment_rec p;
	const struct fake_event_row *ev;

	fake_pg_push_refused(pg, FAKE_PG_CANCEL, "NOT_CANCELABLE_AMOUNT");
	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_str_eq(err.pg_code, "NOT_CANCELABLE_AMOUNT");
	cr_assert_eq(r.status, REFUND_FAILED);
	cr_assert_str_eq(r.pg_code, "NOT_CANCELABLE_AMOUNT");
	p = fake_world_payment(fw, paid.id);
	cr_assert_eq(p.status, PAY_COMPLETED);
	cr_assert_eq(p.refunded, 0);
	cr_assert_eq(p.refund_pending, 0, "a failed refund is no longer in flight");
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->status, ESCROW_HOLDING);
	ev = &fw->store.db.events[fw->store.db.n_events - 1];
	cr_assert_str_eq(ev->to, "REFUND_FAILED");
	cr_assert_str_eq(ev->code, "NOT_CANCELABLE_AMOUNT");

	/* and a new refund may start */
	push_cancel_ok(0, "tx-2");
	cr_assert_eq(refund(NULL, &r, &err), 0, "%s", err.msg);
}

Test(app_refund, an_outcome_failing_half_way_leaves_the_refund_requested)
{
	struct refund_rec r;
	struct settle_err err = {0};
	struct payment_rec p;

	push_cancel_ok(0, "tx-1");
	fw->store.fail_next_post = 1; /* after refund, payment and escrow were saved */
	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert_eq(fw->store.db.n_refunds, 1, "the intent was committed");
	cr_assert_eq(fw->store.db.refunds[0].rec.status, REFUND_REQUESTED);
	p = fake_world_payment(fw, paid.id);
	cr_assert_eq(p.status, PAY_COMPLETED);
	cr_assert_eq(p.refunded, 0);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->status, ESCROW_HOLDING);
	cr_assert_eq(fake_escrow_of(&fw->store, paid.id)->refunded, 0);
	cr_assert_eq(fw->store.db.n_entries, 1);
}

Test(app_refund, an_intent_that_fails_half_way_leaves_nothing_and_calls_no_pg)
{
	struct refund_rec r;
	struct settle_err err = {0};
	struct fake_db *before = malloc(sizeof *before);

	cr_assert_not_null(before);
	memcpy(before, &fw->store.db, sizeof *before);
	fw->store.fail_write_in = 2; /* refunds.insert, then add_event fails */
	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert(strstr(err.msg, "injected failure at payments.add_event"), "%s", err.msg);
	cr_assert_eq(memcmp(before, &fw->store.db, sizeof *before), 0, "the store is as it was");
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 0);
	free(before);
}

Test(app_refund, an_amount_that_is_not_money_is_refused)
{
	struct refund_rec r;
	struct settle_err err = {0};

	cr_assert_eq(refund("12.5", &r, &err), -1, "KRW has no minor unit");
	cr_assert_eq(refund("abc", &r, &err), -1);
	cr_assert(strstr(err.msg, "--amount"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_refunds, 0);
}

Test(app_refund, a_payment_with_no_escrow_has_nothing_held_to_refund)
{
	struct refund_rec r;
	struct settle_err err = {0};

	fw->store.db.n_escrows = 0;
	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "nothing is held"), "%s", err.msg);
}

Test(app_refund, a_refund_of_a_pg_not_configured_here_keeps_its_intent)
{
	struct refund_rec r;
	struct settle_err err = {0};

	snprintf(fake_payment_row(&fw->store, paid.id)->rec.pg, sizeof paid.pg, "gamma");
	cr_assert_eq(refund(NULL, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert_eq(fw->store.db.n_refunds, 1);
	cr_assert_eq(fw->store.db.refunds[0].rec.status, REFUND_REQUESTED, "left for a sweeper that can ask");
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 0);
}
