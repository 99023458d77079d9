/*
 * pay_capture against the fakes, no database: every branch of the capture
 * state machine. PENDING → CONFIRMING (intent with the confirm key
 * confirm-{orderId}, committed before the PG is called) → COMPLETED with
 * its escrow HOLDING, one capture entry capture:{pay} (pg_clearing +amount,
 * escrow:{pod} −amount) and the participation confirm; → FAILED on a
 * refusal (the key is then nobody's); in doubt → EX_TEMPFAIL, left
 * CONFIRMING; a CONFIRMING order is looked up first and its confirm resent
 * with the same key only when the PG never got it; a virtual account waits
 * for its deposit; the tamper checks (amount typed, amount the PG took);
 * the Study Service refusing the place refunds the payment; a transient
 * Study failure queues the confirm. A unit of work that fails half-way
 * leaves nothing, and a re-run finishes the job.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;
static struct fake_pg *pg; /* the default PG, "alpha" */

static void setup(void)
{
	fw = fake_world_new();
	pg = &fw->pg[0];
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_capture, .init = setup, .fini = teardown);

static int capture(const struct payment_rec *p, const char *key, struct payment_rec *out, struct settle_err *err)
{
	char amount[32];

	snprintf(amount, sizeof amount, "%lld", (long long)p->amount);
	err_clear(err);
	return pay_capture(&fw->ctx, p->order_id, key, amount, out, err);
}

static int owner_of_key(const char *key, struct payment_rec *out)
{
	struct settle_err err = {0};

	return fw->payments.find(fw->payments.self, NULL, PAY_BY_KEY, key, out, &err);
}

Test(app_capture, pending_to_completed_holds_the_escrow_posts_one_entry_and_confirms_the_place)
{
	struct payment_rec p, out, owner;
	struct settle_err err = {0};
	const struct fake_pg_request *rq;
	const struct fake_entry_row *e;
	const struct escrow *esc;
	const struct fake_participation_row *part;
	char key[160], escrow_acct[80];

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_str_eq(out.payment_key, "pk-1");
	cr_assert(out.approved_at[0]);

	/* the PG got one confirm, with the order's amount and the derived key */
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1);
	rq = fake_pg_request(pg, FAKE_PG_CONFIRM, 0);
	snprintf(key, sizeof key, "confirm-%s", p.order_id);
	cr_assert_str_eq(rq->idempotency_key, key);
	cr_assert_str_eq(rq->payment_key, "pk-1");
	cr_assert_str_eq(rq->order_id, p.order_id);
	cr_assert_eq(rq->amount, 50000);
	cr_assert_str_eq(out.confirm_key, key);

	/* the escrow holds the whole amount */
	esc = fake_escrow_of(&fw->store, p.id);
	cr_assert_not_null(esc);
	cr_assert_eq(esc->status, ESCROW_HOLDING);
	cr_assert_eq(esc->amount, 50000);
	cr_assert_eq(esc->refunded, 0);
	cr_assert_str_eq(esc->pod_id, "pod-1");
	cr_assert_str_eq(out.escrow_status, "HOLDING");

	/* one balanced capture entry */
	cr_assert_eq(fw->store.db.n_entries, 1);
	snprintf(key, sizeof key, "capture:%s", p.public_id);
	e = fake_world_entry(fw, key);
	cr_assert_not_null(e, "entry %s", key);
	cr_assert_str_eq(e->entry.kind, "capture");
	cr_assert_eq(e->entry.n, 2);
	cr_assert_eq(fake_world_balance(fw, "pg_clearing:alpha"), 50000);
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), -50000);
	snprintf(escrow_acct, sizeof escrow_acct, "escrow:%s", "pod-1");
	for (size_t i = 0; i < e->entry.n; i++)
		cr_assert(!strcmp(e->entry.postings[i].account, "pg_clearing:alpha") ||
			  !strcmp(e->entry.postings[i].account, escrow_acct));
	cr_assert_eq(fake_world_ledger_ok(fw, &err), 0, "%s", err.msg);

	/* the participation confirm was queued and told at once */
	part = fake_participation_row(&fw->store, p.id);
	cr_assert_not_null(part);
	cr_assert(part->done_at[0]);
	cr_assert_eq(part->rec.attempts, 1);
	cr_assert_eq(fw->study.n_calls, 1);
	cr_assert_str_eq(fw->study.calls[0].payment_id, p.public_id);
	cr_assert_str_eq(fw->study.calls[0].user_id, "user-1");

	/* the key is now the payment's own; the history says how */
	cr_assert_eq(owner_of_key("pk-1", &owner), 1);
	cr_assert_eq(owner.id, p.id);
	cr_assert_eq(fw->store.db.n_events, 3);
	cr_assert_str_eq(fw->store.db.events[1].from, "PENDING");
	cr_assert_str_eq(fw->store.db.events[1].to, "CONFIRMING");
	cr_assert_str_eq(fw->store.db.events[2].to, "COMPLETED");
	/* the PG answered: healthy */
	cr_assert_eq(fw->store.db.n_health, 1);
	cr_assert_eq(fw->store.db.health[0].ok, 1);
	cr_assert_eq(pg->unexpected, 0);
	cr_assert_eq(pg->opens, pg->closes);
}

Test(app_capture, a_different_amount_is_refused_before_any_pg_call)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "49000", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "nothing was sent to the PG"), "%s", err.msg);
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "0", &out, &err), -1);
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "fifty", &out, &err), -1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 0);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_PENDING);
}

Test(app_capture, bad_input_is_refused)
{
	struct payment_rec out;
	struct settle_err err = {0};

	cr_assert_eq(pay_capture(&fw->ctx, "ord-nope01", "pk-1", "50000", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "unknown order"), "%s", err.msg);
	cr_assert_eq(pay_capture(&fw->ctx, "x", "pk-1", "50000", &out, &err), -1);
	cr_assert_eq(pay_capture(&fw->ctx, "ord-nope01", "", "50000", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
}

Test(app_capture, a_refusal_fails_the_order_and_frees_its_key_for_the_order_it_belongs_to)
{
	struct payment_rec a, b, out, owner;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &a);
	fake_pg_push_refused(pg, FAKE_PG_CONFIRM, "REJECT_CARD_PAYMENT");
	cr_assert_eq(capture(&a, "pk-x", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_str_eq(err.pg_code, "REJECT_CARD_PAYMENT");
	cr_assert_eq(out.status, PAY_FAILED);
	cr_assert_str_eq(out.pg_code, "REJECT_CARD_PAYMENT");
	cr_assert_eq(owner_of_key("pk-x", &owner), 0, "a refused key is nobody's");
	cr_assert_null(fake_escrow_of(&fw->store, a.id));
	cr_assert_eq(fw->store.db.n_entries, 0);
	cr_assert_eq(fw->store.db.n_participation, 0);

	/* the key's real order captures with it */
	fake_world_order(fw, "pod-1", "user-2", &b);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&b, "pk-x", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(owner_of_key("pk-x", &owner), 1);
	cr_assert_eq(owner.id, b.id);
}

Test(app_capture, a_key_another_order_owns_is_refused_before_the_pg)
{
	struct payment_rec a, b, out;
	struct settle_err err = {0};

	fake_world_captured(fw, "pod-1", "user-1", "pk-1", &a);
	fake_world_order(fw, "pod-1", "user-2", &b);
	cr_assert_eq(capture(&b, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "already used by another order"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1, "only a's confirm");
	cr_assert_eq(fake_world_payment(fw, b.id).status, PAY_PENDING);
}

Test(app_capture, in_doubt_is_tempfail_and_left_confirming_for_the_sweep)
{
	struct payment_rec p, out, owner;
	struct settle_err err = {0};
	struct payment_rec now;

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_doubt(pg, FAKE_PG_CONFIRM);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert_str_eq(err.pg_code, "TIMEOUT");
	cr_assert(strstr(err.msg, "left CONFIRMING"), "%s", err.msg);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_CONFIRMING);
	cr_assert_eq(now.doubt_count, 1);
	cr_assert(now.next_check_at[0], "a next check is scheduled");
	cr_assert_str_eq(now.payment_key, "pk-1", "the attempted key is kept");
	cr_assert_eq(owner_of_key("pk-1", &owner), 0, "but not owned while CONFIRMING");
	cr_assert_null(fake_escrow_of(&fw->store, p.id));
	cr_assert_eq(fw->store.db.n_health, 1);
	cr_assert_eq(fw->store.db.health[0].ok, 0, "a doubt counts against the PG's health");
}

Test(app_capture, a_completed_order_captured_again_with_its_key_changes_nothing)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_captured(fw, "pod-1", "user-1", "pk-1", &p);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(capture(&p, "pk-2", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "different payment key"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1);
	cr_assert_eq(fw->store.db.n_entries, 1);
	cr_assert_eq(fw->store.db.n_escrows, 1);
}

Test(app_capture, a_failed_or_expired_order_needs_a_new_order)
{
	struct payment_rec a, b, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &a);
	fake_pg_push_refused(pg, FAKE_PG_CONFIRM, "REJECT_CARD_PAYMENT");
	cr_assert_eq(capture(&a, "pk-1", &out, &err), -1);
	cr_assert_eq(capture(&a, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "FAILED: REJECT_CARD_PAYMENT; create a new order"), "%s", err.msg);
	cr_assert_str_eq(err.pg_code, "REJECT_CARD_PAYMENT");

	fake_world_order(fw, "pod-1", "user-2", &b);
	fake_payment_row(&fw->store, b.id)->rec.status = PAY_EXPIRED;
	cr_assert_eq(capture(&b, "pk-2", &out, &err), -1);
	cr_assert(strstr(err.msg, "EXPIRED; create a new order"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1, "neither was sent again");
}

/* An order left CONFIRMING by a confirm in doubt. */
static void confirming(struct payment_rec *p)
{
	struct payment_rec out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", p);
	fake_pg_push_doubt(pg, FAKE_PG_CONFIRM);
	cr_assert_eq(capture(p, "pk-1", &out, &err), -1);
	cr_assert_eq(out.status, PAY_CONFIRMING);
}

Test(app_capture, a_confirming_order_is_looked_up_first_and_not_confirmed_again_when_done)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	const struct fake_pg_request *rq;

	confirming(&p);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 1, "no second confirm");
	rq = fake_pg_request(pg, FAKE_PG_LOOKUP, 0);
	cr_assert_not_null(rq);
	cr_assert_str_eq(rq->order_id, p.order_id);
	cr_assert_str_eq(rq->payment_key, "pk-1");
	cr_assert_str_eq(rq->order_date, "20261124", "the order's Korea-time date");
	cr_assert_eq(fake_world_payment(fw, p.id).doubt_count, 0, "a capture clears the doubts");
}

Test(app_capture, a_confirm_that_never_reached_the_pg_is_resent_with_the_same_key)
{
	static const enum pg_status never[] = {PG_ST_IN_PROGRESS, PG_ST_READY, PG_ST_NOT_FOUND};

	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
		struct payment_rec p, out;
		struct settle_err err = {0};
		char key[160];

		fake_world_free(fw);
		setup();
		confirming(&p);
		fake_pg_push_ok(pg, FAKE_PG_LOOKUP, never[i], 50000, 50000);
		fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
		cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s: %s", pg_status_name(never[i]), err.msg);
		cr_assert_eq(out.status, PAY_COMPLETED);
		cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 2);
		snprintf(key, sizeof key, "confirm-%s", p.order_id);
		cr_assert_str_eq(fake_pg_request(pg, FAKE_PG_CONFIRM, 0)->idempotency_key, key);
		cr_assert_str_eq(fake_pg_request(pg, FAKE_PG_CONFIRM, 1)->idempotency_key, key,
				 "the resend carries the same idempotency key");
		cr_assert_eq(fw->store.db.n_entries, 1);
	}
}

Test(app_capture, a_lookup_in_doubt_or_refused_sends_nothing_and_stays_in_doubt)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	confirming(&p);
	fake_pg_push_doubt(pg, FAKE_PG_LOOKUP);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	fake_pg_push_refused(pg, FAKE_PG_LOOKUP, "FORBIDDEN_REQUEST");
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL, "a refused look-up never fails the payment");
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 1);
	out = fake_world_payment(fw, p.id);
	cr_assert_eq(out.status, PAY_CONFIRMING);
	cr_assert_eq(out.doubt_count, 3);
}

Test(app_capture, a_confirming_order_with_another_key_is_refused)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	confirming(&p);
	cr_assert_eq(capture(&p, "pk-2", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "being confirmed with a different payment key"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1);
}

Test(app_capture, the_pg_confirming_a_canceled_payment_on_lookup_fails_it)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	confirming(&p);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_ABORTED, 50000, 0);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(out.status, PAY_FAILED);
	cr_assert_str_eq(out.pg_code, "ABORTED");
}

Test(app_capture, a_virtual_account_waits_for_its_deposit)
{
	struct payment_rec p, out, owner;
	struct settle_err err = {0};
	struct pg_result va;
	int existing;

	cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-1", "VIRTUAL_ACCOUNT", NULL, &p, &existing, &err), 0);
	memset(&va, 0, sizeof va);
	va.outcome = PG_OK;
	va.payment.status = PG_ST_WAITING_FOR_DEPOSIT;
	va.payment.total_amount = 50000;
	snprintf(va.payment.currency, sizeof va.payment.currency, "KRW");
	snprintf(va.payment.va_bank, sizeof va.payment.va_bank, "088");
	snprintf(va.payment.va_account, sizeof va.payment.va_account, "110-123-456789");
	snprintf(va.payment.va_due, sizeof va.payment.va_due, "2026-11-27T23:59:59+09:00");
	snprintf(va.payment.secret, sizeof va.payment.secret, "s3cr3t");
	fake_pg_push(pg, FAKE_PG_CONFIRM, &va);
	cr_assert_eq(capture(&p, "pk-va", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_WAITING_FOR_DEPOSIT);
	cr_assert_str_eq(out.va_bank, "088");
	cr_assert_str_eq(out.va_account, "110-123-456789");
	cr_assert_str_eq(out.va_due, "2026-11-27T23:59:59+09:00");
	cr_assert_str_eq(out.va_secret, "s3cr3t");
	cr_assert_eq(owner_of_key("pk-va", &owner), 1, "a deposit awaited owns its key");
	cr_assert_null(fake_escrow_of(&fw->store, p.id), "no money yet: no escrow");
	cr_assert_eq(fw->store.db.n_entries, 0);
	cr_assert_eq(fw->study.n_calls, 0);
	/* capturing again prints the state */
	cr_assert_eq(capture(&p, "pk-va", &out, &err), 0);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1);
}

Test(app_capture, the_pg_taking_another_amount_is_a_doubt_never_a_capture)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 49000, 49000);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "AMOUNT_MISMATCH"), "%s", err.msg);
	out = fake_world_payment(fw, p.id);
	cr_assert_eq(out.status, PAY_CONFIRMING);
	cr_assert_str_eq(out.pg_code, "AMOUNT_MISMATCH");
	cr_assert_null(fake_escrow_of(&fw->store, p.id));
	cr_assert_eq(fw->store.db.n_entries, 0);
}

Test(app_capture, a_place_the_study_service_refuses_is_refunded_at_once)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	struct pg_result cxl;
	const struct fake_pg_request *rq;
	const struct fake_refund_row *rf;
	const struct fake_participation_row *part;
	char key[160];

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	memset(&cxl, 0, sizeof cxl);
	cxl.outcome = PG_OK;
	cxl.payment.status = PG_ST_CANCELED;
	cxl.payment.total_amount = 50000;
	snprintf(cxl.payment.last_transaction_key, sizeof cxl.payment.last_transaction_key, "tx-cancel-1");
	fake_pg_push(pg, FAKE_PG_CANCEL, &cxl);
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);

	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "refused the place"), "%s", err.msg);
	cr_assert_eq(out.status, PAY_REFUNDED, "%s", payment_status_name(out.status));
	cr_assert_eq(out.refunded, 50000);

	cr_assert_eq(fw->store.db.n_refunds, 1);
	rf = &fw->store.db.refunds[0];
	cr_assert_eq(rf->rec.status, REFUND_COMPLETED);
	cr_assert_eq(rf->rec.amount, 50000);
	cr_assert_str_eq(rf->rec.pg_transaction_key, "tx-cancel-1");
	rq = fake_pg_request(pg, FAKE_PG_CANCEL, 0);
	cr_assert_not_null(rq);
	cr_assert_eq(rq->amount, 0, "everything that remains goes as a full cancel");
	snprintf(key, sizeof key, "refund:%s", rf->rec.public_id);
	cr_assert_str_eq(rq->idempotency_key, key);
	cr_assert_str_eq(rq->cancel_order_id, rf->rec.cancel_order_id);

	cr_assert_eq(fake_escrow_of(&fw->store, p.id)->status, ESCROW_REFUNDED);
	cr_assert_not_null(fake_world_entry(fw, key), "the refund entry refund:{ref}");
	cr_assert_eq(fake_world_balance(fw, "pg_clearing:alpha"), 0);
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), 0);
	cr_assert_eq(fake_world_ledger_ok(fw, &err), 0, "%s", err.msg);
	part = fake_participation_row(&fw->store, p.id);
	cr_assert(part->refused_at[0] && part->done_at[0], "the refusal is final");
}

Test(app_capture, a_refused_place_whose_refund_is_in_doubt_is_left_for_the_sweep)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fake_pg_push_doubt(pg, FAKE_PG_CANCEL);
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "left for `pay-capture --sweep`"), "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(out.refund_pending, 50000);
	cr_assert_eq(fw->store.db.refunds[0].rec.status, REFUND_REQUESTED);
	cr_assert_eq(fw->store.db.refunds[0].rec.doubt_count, 1);
}

Test(app_capture, with_refund_on_place_refused_off_the_payment_stays_completed)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fw->ctx.set.refund_on_place_refused = 0;
	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(fw->store.db.n_refunds, 0);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 0);
}

Test(app_capture, a_transient_study_failure_queues_the_confirm_and_the_capture_succeeds)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	const struct fake_participation_row *part;

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fake_study_push(&fw->study, SETTLE_EX_UNAVAILABLE);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	part = fake_participation_row(&fw->store, p.id);
	cr_assert_not_null(part);
	cr_assert_eq(part->done_at[0], '\0', "still owed");
	cr_assert_eq(part->rec.attempts, 1);
	cr_assert(part->rec.last_error[0]);
	cr_assert_eq(fake_ts_us(part->next_attempt_at), FAKE_T0_US + 30 * 1000000LL,
		     "retried after doubt_backoff_s: %s", part->next_attempt_at);
	cr_assert_eq(fw->store.db.n_refunds, 0);
}

Test(app_capture, deadlocks_are_retried_and_nothing_is_done_twice)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fw->uow.deadlocks = 3;
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(fw->uow.rollbacks, 3);
	cr_assert_eq(fw->store.db.n_escrows, 1);
	cr_assert_eq(fw->store.db.n_entries, 1);
	cr_assert_eq(fw->store.db.n_participation, 1);
	cr_assert_eq(fw->store.db.n_events, 3);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 1);
}

Test(app_capture, an_intent_that_cannot_commit_calls_no_pg)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fw->uow.deadlocks = FAKE_UOW_ATTEMPTS;
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "gave up"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 0);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_PENDING);
}

Test(app_capture, an_outcome_that_fails_half_way_leaves_nothing_and_a_rerun_finishes)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fw->store.fail_next_post = 1; /* the journal insert, after payment, escrow and queue were written */
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	out = fake_world_payment(fw, p.id);
	cr_assert_eq(out.status, PAY_CONFIRMING, "the intent stays; the outcome was rolled back");
	cr_assert_null(fake_escrow_of(&fw->store, p.id));
	cr_assert_eq(fw->store.db.n_participation, 0);
	cr_assert_eq(fw->store.db.n_entries, 0);
	cr_assert_eq(fw->store.db.n_events, 2, "PENDING and CONFIRMING only");

	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 1, "the re-run asked, it did not charge again");
	cr_assert_eq(fw->store.db.n_entries, 1);
}

Test(app_capture, a_write_failing_anywhere_in_the_outcome_rolls_all_of_it_back)
{
	/* The outcome's unit writes: payments.save, add_event, escrows.insert,
	 * participation.enqueue, ledger.post. Fail each in turn. */
	for (int k = 1; k <= 5; k++) {
		struct payment_rec p, out;
		struct settle_err err = {0};

		fake_world_free(fw);
		setup();
		fake_world_order(fw, "pod-1", "user-1", &p);
		fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
		/* the intent takes two writes (save, add_event) */
		fw->store.fail_write_in = 2 + k;
		cr_assert_eq(capture(&p, "pk-1", &out, &err), -1, "write %d", k);
		cr_assert(strstr(err.msg, "injected"), "%s", err.msg);
		out = fake_world_payment(fw, p.id);
		cr_assert_eq(out.status, PAY_CONFIRMING, "write %d", k);
		cr_assert_eq(fw->store.db.n_escrows, 0, "write %d", k);
		cr_assert_eq(fw->store.db.n_participation, 0, "write %d", k);
		cr_assert_eq(fw->store.db.n_entries, 0, "write %d", k);
		cr_assert_eq(fw->store.db.n_events, 2, "write %d", k);
	}
}

/* A concurrent pay-capture of the same order commits its intent between
 * this one's read and its own intent: the find below does that once. It
 * keeps the fake's self, so every other call goes to the fake unchanged. */
static int race_armed;

static int racing_find(void *self, struct uow *tx, enum payment_lookup by, const char *key, struct payment_rec *out,
		       struct settle_err *err)
{
	int rc = fw->payments.find(self, tx, by, key, out, err);

	if (rc == 1 && race_armed && out->status == PAY_PENDING) {
		struct fake_payment_row *row = fake_payment_row(&fw->store, out->id);

		race_armed = 0;
		row->rec.status = PAY_CONFIRMING;
		snprintf(row->attempt_key, sizeof row->attempt_key, "pk-1");
		snprintf(row->rec.confirm_key, sizeof row->rec.confirm_key, "confirm-%s", out->order_id);
	}
	return rc;
}

Test(app_capture, a_capture_that_loses_the_race_for_the_intent_carries_on_from_the_winners_state)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	struct payments_repo racing = fw->payments;

	fake_world_order(fw, "pod-1", "user-1", &p);
	racing.find = racing_find;
	fw->ctx.r.payments = &racing;
	race_armed = 1;
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(race_armed, 0, "the race happened");
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 0, "the winner confirmed; this one only asked");
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_LOOKUP), 1);
	cr_assert_eq(fw->store.db.n_entries, 1);
}

/* BUG: capture.c finish(): when the Study Service refuses the place and the
 * payment is not REFUNDED afterwards, the error always says "its refund is
 * left for `pay-capture --sweep`". That is only true while the refund is
 * REQUESTED (in doubt). When the PG refused the cancel (refund FAILED), or
 * no refund was written (refund_on_place_refused = 0, or another refund in
 * flight), no sweep queue holds it any more — the participation confirm is
 * final — and the customer's money stays taken with nobody told to act. */
Test(app_capture, a_refused_place_whose_refund_the_pg_refused_is_not_promised_to_the_sweep)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	struct sweep_report r;

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fake_pg_push_refused(pg, FAKE_PG_CANCEL, "NOT_CANCELABLE_PAYMENT");
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(out.status, PAY_COMPLETED);
	cr_assert_eq(fw->store.db.refunds[0].rec.status, REFUND_FAILED);
	fake_world_advance(fw, 3600);
	cr_assert_eq(pay_sweep(&fw->ctx, &r, &(struct settle_err){0}), 0);
	cr_assert_eq(r.looked_at, 0, "indeed no sweep queue holds it");
	cr_assert_null(strstr(err.msg, "left for `pay-capture --sweep`"), "the error promises what no sweep does: %s",
		       err.msg);
}

Test(app_capture, an_order_of_a_pg_not_configured_here_keeps_its_intent_and_calls_nothing)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	snprintf(fake_payment_row(&fw->store, p.id)->rec.pg, sizeof p.pg, "gamma");
	cr_assert_eq(capture(&p, "pk-1", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "gamma"), "%s", err.msg);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_CONFIRMING, "the intent was committed first");
	cr_assert_eq(fake_pg_count(&fw->pg[0], FAKE_PG_ANY) + fake_pg_count(&fw->pg[1], FAKE_PG_ANY), 0);
}
