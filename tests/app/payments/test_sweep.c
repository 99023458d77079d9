/*
 * pay_sweep against the fakes, no database: the outcomes of each queue.
 * CONFIRMING orders are looked up (captured, or the confirm resent with
 * the same key when the PG never got it, or left in doubt); a deposit
 * still awaited is looked at again later and is not a doubt; PENDING
 * orders past the PG's window expire; a refund in doubt is settled from
 * the PG's balance (landed, never landed → resent with the same key,
 * neither → stays in doubt); participation confirms are done, retried or
 * refused (then refunded). Work another live sweeper holds is counted and
 * the run ends EX_TEMPFAIL; a batch whose apply fails is applied one by
 * one, so one bad item does not block the rest.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;
static struct fake_pg *pg;

static void setup(void)
{
	fw = fake_world_new();
	pg = &fw->pg[0];
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_sweep, .init = setup, .fini = teardown);

static int sweep(struct sweep_report *r, struct settle_err *err)
{
	err_clear(err);
	return pay_sweep(&fw->ctx, r, err);
}

/* An order of user left CONFIRMING by a confirm in doubt. */
static void confirming(const char *user, const char *key, struct payment_rec *p)
{
	struct payment_rec out;
	struct settle_err err = {0};
	char amount[32];

	fake_world_order(fw, "pod-1", user, p);
	fake_pg_push_doubt(pg, FAKE_PG_CONFIRM);
	snprintf(amount, sizeof amount, "%lld", (long long)p->amount);
	cr_assert_eq(pay_capture(&fw->ctx, p->order_id, key, amount, &out, &err), -1);
	cr_assert_eq(out.status, PAY_CONFIRMING);
}

static void assert_no_claims(void)
{
	for (size_t i = 0; i < fw->store.db.n_payments; i++)
		cr_assert_eq(fw->store.db.payments[i].claimed_by[0], '\0', "payment %zu still claimed", i);
	for (size_t i = 0; i < fw->store.db.n_refunds; i++)
		cr_assert_eq(fw->store.db.refunds[i].claimed_by[0], '\0', "refund %zu still claimed", i);
	for (size_t i = 0; i < fw->store.db.n_participation; i++)
		cr_assert_eq(fw->store.db.participation[i].claimed_by[0], '\0', "confirm %zu still claimed", i);
}

Test(app_sweep, nothing_to_do_is_a_quiet_success)
{
	struct sweep_report r;
	struct settle_err err = {0};

	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.looked_at, 0);
	cr_assert_eq(r.held_by_others, 0);
}

Test(app_sweep, a_confirming_order_is_captured_once_old_enough)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 10);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.looked_at, 0, "younger than confirm_sweep_age_s: a live capture may still finish it");

	fake_world_advance(fw, 51);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 1);
	cr_assert_eq(r.in_doubt, 0);
	cr_assert_eq(r.participation_done, 1, "the confirm queued by the capture is told in the same run");
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_COMPLETED);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 1, "looked up, not confirmed again");
	cr_assert_not_null(fake_escrow_of(&fw->store, p.id));
	cr_assert_eq(fw->store.db.n_entries, 1);
	cr_assert_eq(fw->study.n_calls, 1);
	assert_no_claims();
	cr_assert_eq(pg->unexpected, 0);
	cr_assert_eq(pg->opens, pg->closes);
}

Test(app_sweep, a_confirm_that_never_arrived_is_resent_with_the_same_key)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_NOT_FOUND, 0, 0);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CONFIRM), 2);
	cr_assert_str_eq(fake_pg_request(pg, FAKE_PG_CONFIRM, 1)->idempotency_key,
			 fake_pg_request(pg, FAKE_PG_CONFIRM, 0)->idempotency_key);
	cr_assert_eq(fake_pg_request(pg, FAKE_PG_CONFIRM, 1)->amount, 50000);
}

Test(app_sweep, a_lookup_in_doubt_backs_off)
{
	struct payment_rec p, now;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 61);
	fake_pg_push_doubt(pg, FAKE_PG_LOOKUP);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.in_doubt, 1);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_CONFIRMING);
	cr_assert_eq(now.doubt_count, 2);
	/* the second doubt waits doubt_backoff_s doubled */
	cr_assert_eq(fake_ts_us(now.next_check_at), FAKE_T0_US + (61 + 60) * 1000000LL, "%s", now.next_check_at);
	cr_assert_eq(sweep(&r, &err), 0);
	cr_assert_eq(r.looked_at, 0, "not due again yet");
	assert_no_claims();
	/* the doubt counted against the PG's health */
	cr_assert_eq(fw->store.db.health[fw->store.db.n_health - 1].ok, 0);
}

Test(app_sweep, a_pg_refusing_the_order_on_lookup_fails_it)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_ABORTED, 50000, 0);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.failed, 1);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_FAILED);
}

/* A virtual-account order waiting for its deposit. */
static void waiting(struct payment_rec *p)
{
	struct payment_rec out;
	struct settle_err err = {0};
	int existing;

	cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-1", "VIRTUAL_ACCOUNT", NULL, p, &existing, &err), 0);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_WAITING_FOR_DEPOSIT, 50000, 50000);
	cr_assert_eq(pay_capture(&fw->ctx, p->order_id, "pk-va", "50000", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out.status, PAY_WAITING_FOR_DEPOSIT);
}

Test(app_sweep, a_deposit_still_awaited_is_rechecked_later_and_is_no_doubt)
{
	struct payment_rec p, now;
	struct sweep_report r;
	struct settle_err err = {0};

	waiting(&p);
	fake_world_advance(fw, 1);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_WAITING_FOR_DEPOSIT, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.looked_at, 1);
	cr_assert_eq(r.in_doubt, 0);
	cr_assert_eq(r.awaiting, 0);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_WAITING_FOR_DEPOSIT);
	cr_assert_eq(now.doubt_count, 0);
	cr_assert_eq(fake_ts_us(now.next_check_at), FAKE_T0_US + (1 + 300) * 1000000LL, "deposit_recheck_s later: %s",
		     now.next_check_at);

	cr_assert_eq(sweep(&r, &err), 0);
	cr_assert_eq(r.looked_at, 0, "not asked again before the recheck");

	fake_world_advance(fw, 300);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 1, "the deposit arrived");
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_COMPLETED);
	cr_assert_not_null(fake_escrow_of(&fw->store, p.id));
	cr_assert_eq(fw->store.db.n_entries, 1);
}

Test(app_sweep, a_deposit_that_never_came_expires)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	waiting(&p);
	fake_world_advance(fw, 1);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_EXPIRED, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.expired, 1);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_EXPIRED);
	cr_assert_null(fake_escrow_of(&fw->store, p.id));
}

Test(app_sweep, pending_orders_expire_after_the_pgs_window_without_asking_it)
{
	struct payment_rec a, b, c, again;
	struct sweep_report r;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &a);
	fake_world_order(fw, "pod-1", "user-2", &b);
	fake_world_order(fw, "pod-1", "user-3", &c);
	fake_world_advance(fw, 1000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.expired, 0);
	fake_world_advance(fw, 801);
	fw->ctx.set.sweep_batch = 2; /* two batches */
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.expired, 3);
	cr_assert_eq(r.looked_at, 3);
	cr_assert_eq(fake_world_payment(fw, a.id).status, PAY_EXPIRED);
	cr_assert_str_eq(fake_world_payment(fw, c.id).pg_code, "PAYMENT_WINDOW_EXPIRED");
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 0);
	assert_no_claims();
	/* the place is free again */
	fake_world_order(fw, "pod-1", "user-1", &again);
	cr_assert_neq(again.id, a.id);
}

/* A captured payment with a refund of amount left in doubt. */
static void refund_in_doubt(int64_t amount, struct payment_rec *p, struct refund_rec *rf)
{
	struct settle_err err = {0};
	char text[32];

	fake_world_captured(fw, "pod-1", "user-1", "pk-1", p);
	fake_pg_push_doubt(pg, FAKE_PG_CANCEL);
	snprintf(text, sizeof text, "%lld", (long long)amount);
	cr_assert_eq(pay_refund(&fw->ctx, p->public_id, text, "asked", rf, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	fake_world_advance(fw, 61);
}

Test(app_sweep, a_refund_the_pg_balance_shows_landed_is_completed_without_resending)
{
	struct payment_rec p;
	struct refund_rec rf;
	struct sweep_report r;
	struct settle_err err = {0};

	refund_in_doubt(20000, &p, &rf);
	fake_pg_push_ok(pg, FAKE_PG_GET_BY_KEY, PG_ST_PARTIAL_CANCELED, 50000, 30000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.refunded, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 1, "not sent again");
	cr_assert_str_eq(fake_pg_request(pg, FAKE_PG_GET_BY_KEY, 0)->payment_key, "pk-1");
	cr_assert_eq(fake_world_refund(fw, rf.id).status, REFUND_COMPLETED);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_PARTIALLY_REFUNDED);
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), -30000);
	assert_no_claims();
}

Test(app_sweep, a_refund_that_never_landed_is_resent_with_the_same_key)
{
	struct payment_rec p;
	struct refund_rec rf;
	struct sweep_report r;
	struct settle_err err = {0};
	const struct fake_pg_request *first, *again;

	refund_in_doubt(50000, &p, &rf);
	fake_pg_push_ok(pg, FAKE_PG_GET_BY_KEY, PG_ST_DONE, 50000, 50000);
	fake_pg_push_ok(pg, FAKE_PG_CANCEL, PG_ST_CANCELED, 50000, 0);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.refunded, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 2);
	first = fake_pg_request(pg, FAKE_PG_CANCEL, 0);
	again = fake_pg_request(pg, FAKE_PG_CANCEL, 1);
	cr_assert_str_eq(again->idempotency_key, first->idempotency_key);
	cr_assert_str_eq(again->cancel_order_id, first->cancel_order_id);
	cr_assert_eq(again->amount, first->amount);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_REFUNDED);
	cr_assert_eq(fake_escrow_of(&fw->store, p.id)->status, ESCROW_REFUNDED);
}

Test(app_sweep, a_resent_refund_the_pg_refuses_fails)
{
	struct payment_rec p;
	struct refund_rec rf;
	struct sweep_report r;
	struct settle_err err = {0};

	refund_in_doubt(50000, &p, &rf);
	fake_pg_push_ok(pg, FAKE_PG_GET_BY_KEY, PG_ST_DONE, 50000, 50000);
	fake_pg_push_refused(pg, FAKE_PG_CANCEL, "NOT_CANCELABLE_PAYMENT");
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.refund_failed, 1);
	cr_assert_eq(fake_world_refund(fw, rf.id).status, REFUND_FAILED);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_COMPLETED);
}

Test(app_sweep, a_balance_that_fits_neither_side_stays_in_doubt)
{
	struct payment_rec p;
	struct refund_rec rf, now;
	struct sweep_report r;
	struct settle_err err = {0};

	refund_in_doubt(50000, &p, &rf);
	fake_pg_push_ok(pg, FAKE_PG_GET_BY_KEY, PG_ST_PARTIAL_CANCELED, 50000, 30000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.refund_doubt, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 1, "never resent blindly");
	now = fake_world_refund(fw, rf.id);
	cr_assert_eq(now.status, REFUND_REQUESTED);
	cr_assert_str_eq(now.pg_code, "BALANCE_MISMATCH");
	cr_assert_eq(now.doubt_count, 2);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_COMPLETED);
}

Test(app_sweep, a_lookup_that_finds_no_payment_says_nothing_about_the_refund)
{
	struct payment_rec p;
	struct refund_rec rf;
	struct sweep_report r;
	struct settle_err err = {0};

	refund_in_doubt(50000, &p, &rf);
	fake_pg_push_ok(pg, FAKE_PG_GET_BY_KEY, PG_ST_NOT_FOUND, 0, 0);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.refund_doubt, 1);
	cr_assert_str_eq(fake_world_refund(fw, rf.id).pg_code, "NOT_FOUND");
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_CANCEL), 1);
}

/* A captured payment whose participation confirm was queued (the Study
 * Service was unavailable at capture), now due. */
static void queued(struct payment_rec *p)
{
	fake_study_push(&fw->study, SETTLE_EX_UNAVAILABLE);
	fake_world_captured(fw, "pod-1", "user-1", "pk-1", p);
	cr_assert_eq(fake_participation_row(&fw->store, p->id)->done_at[0], '\0');
	fake_world_advance(fw, 31);
}

Test(app_sweep, a_queued_participation_confirm_is_done)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	queued(&p);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.participation_done, 1);
	cr_assert(fake_participation_row(&fw->store, p.id)->done_at[0]);
	cr_assert_eq(fake_participation_row(&fw->store, p.id)->rec.attempts, 2);
	cr_assert_eq(fw->study.n_calls, 2);
	cr_assert_str_eq(fw->study.calls[1].payment_id, p.public_id);
	assert_no_claims();
	cr_assert_eq(sweep(&r, &err), 0);
	cr_assert_eq(r.looked_at, 0, "done is done");
}

Test(app_sweep, a_participation_confirm_still_failing_is_retried_later_and_reported_stuck)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};
	const struct fake_participation_row *part;

	fw->ctx.set.participation_report_after = 2;
	queued(&p);
	fake_study_push(&fw->study, SETTLE_EX_UNAVAILABLE);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.participation_retry, 1);
	cr_assert_eq(r.participation_stuck, 1);
	part = fake_participation_row(&fw->store, p.id);
	cr_assert_eq(part->rec.attempts, 2);
	cr_assert_eq(part->done_at[0], '\0');
	/* backoff doubled per attempt: 30 s × 2² */
	cr_assert_eq(fake_ts_us(part->next_attempt_at), FAKE_T0_US + (31 + 120) * 1000000LL, "%s",
		     part->next_attempt_at);
	cr_assert_eq(sweep(&r, &err), 0);
	cr_assert_eq(r.looked_at, 0, "not before its next attempt");
}

Test(app_sweep, a_place_refused_later_is_refunded_by_the_sweep)
{
	struct payment_rec p, now;
	struct sweep_report r;
	struct settle_err err = {0};

	queued(&p);
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	fake_pg_push_ok(pg, FAKE_PG_CANCEL, PG_ST_CANCELED, 50000, 0);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.participation_refused, 1);
	cr_assert_eq(r.place_refunds, 1);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_REFUNDED);
	cr_assert_eq(fw->store.db.n_refunds, 1);
	cr_assert_eq(fw->store.db.refunds[0].rec.status, REFUND_COMPLETED);
	cr_assert_eq(fake_pg_request(pg, FAKE_PG_CANCEL, 0)->amount, 0);
	cr_assert(fake_participation_row(&fw->store, p.id)->refused_at[0]);
	cr_assert_eq(fake_world_balance(fw, "escrow:pod-1"), 0);
}

static const struct claim_queue confirming_queue = {"payments",   "id",           "status", "CONFIRMING", NULL,
						    "updated_at", "next_check_at"};

Test(app_sweep, work_another_sweeper_holds_is_counted_and_the_run_ends_tempfail)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};
	char now[TIME_SQL_LEN];
	struct claim_req other = {&confirming_queue, "other-host:2:x", now, 60, 30, 10};
	int64_t ids[10];
	size_t n = 0;

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 61);
	pay_now(&fw->ctx, now);
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &other, ids, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 1);

	cr_assert_eq(sweep(&r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "claimed by another sweeper"), "%s", err.msg);
	cr_assert_eq(r.held_by_others, 1);
	cr_assert_str_eq(r.held_until, "2026-11-24 10:01:31");
	cr_assert_eq(r.looked_at, 0);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_LOOKUP), 0, "this run did not touch it");

	/* the other sweeper died: its lease runs out and the work is taken up */
	fake_world_advance(fw, 31);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 1);
	cr_assert_eq(r.held_by_others, 0);
}

Test(app_sweep, a_batch_whose_apply_fails_is_applied_one_by_one)
{
	struct payment_rec a, b;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &a);
	confirming("user-2", "pk-2", &b);
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	fw->store.fail_next_post = 1; /* the batch's one journal insert */
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 2);
	cr_assert_eq(fake_world_payment(fw, a.id).status, PAY_COMPLETED);
	cr_assert_eq(fake_world_payment(fw, b.id).status, PAY_COMPLETED);
	cr_assert_eq(fw->store.db.n_entries, 2);
	cr_assert_eq(fw->store.db.n_escrows, 2);
	assert_no_claims();
}

Test(app_sweep, one_bad_item_does_not_block_the_others_and_keeps_its_claim)
{
	struct payment_rec a, b;
	struct sweep_report r;
	struct settle_err err = {0};
	struct escrow stray;

	confirming("user-1", "pk-1", &a);
	confirming("user-2", "pk-2", &b);
	/* b already has an escrow (a broken row): its capture cannot apply */
	memset(&stray, 0, sizeof stray);
	stray.id = 9999;
	stray.payment_id = b.id;
	stray.amount = 50000;
	fw->store.db.escrows[fw->store.db.n_escrows++] = stray;
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(fake_world_payment(fw, a.id).status, PAY_COMPLETED);
	cr_assert_eq(fake_world_payment(fw, b.id).status, PAY_CONFIRMING);
	cr_assert_eq(fake_payment_row(&fw->store, a.id)->claimed_by[0], '\0', "a's claim was given back");
	cr_assert_str_eq(fake_payment_row(&fw->store, b.id)->claimed_by, fw->ctx.owner,
			 "b keeps its claim until the lease ends, so this run moves on");
	cr_assert_eq(fw->store.db.n_entries, 1);
}

/* BUG: the sweep counts each outcome into the report before it applies the
 * batch (sweep.c commit_batch: count() runs first), so an item whose apply
 * failed in the one-by-one fallback is still reported as captured. */
Test(app_sweep, the_report_counts_only_outcomes_that_were_applied)
{
	struct payment_rec a, b;
	struct sweep_report r;
	struct settle_err err = {0};
	struct escrow stray;

	confirming("user-1", "pk-1", &a);
	confirming("user-2", "pk-2", &b);
	memset(&stray, 0, sizeof stray);
	stray.id = 9999;
	stray.payment_id = b.id;
	stray.amount = 50000;
	fw->store.db.escrows[fw->store.db.n_escrows++] = stray;
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(fake_world_payment(fw, b.id).status, PAY_CONFIRMING);
	cr_assert_eq(r.captured, 1, "b was not captured, yet the report says %lld", (long long)r.captured);
}

Test(app_sweep, a_payment_of_a_pg_not_configured_here_stays_in_doubt)
{
	struct payment_rec p, now;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	snprintf(fake_payment_row(&fw->store, p.id)->rec.pg, sizeof p.pg, "gamma");
	fake_world_advance(fw, 61);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.in_doubt, 1);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_CONFIRMING);
	cr_assert_str_eq(now.pg_code, "PG_NOT_CONFIGURED");
	for (size_t i = 0; i < fw->store.db.n_health; i++)
		cr_assert_str_neq(fw->store.db.health[i].pg, "gamma", "no health for a PG nobody asked");
}

Test(app_sweep, deadlocks_during_a_sweep_are_retried_and_change_nothing)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	fw->uow.deadlocks = 4;
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 1);
	cr_assert_eq(fw->store.db.n_entries, 1);
	cr_assert_eq(fw->store.db.n_escrows, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_LOOKUP), 1);
	assert_no_claims();
}

Test(app_sweep, a_sweep_prunes_old_health_rows)
{
	struct sweep_report r;
	struct settle_err err = {0};
	char now[TIME_SQL_LEN];

	pay_now(&fw->ctx, now);
	cr_assert_eq(fw->breaker.record(fw->breaker.self, NULL, "alpha", 0, "TIMEOUT", now, &err), 0);
	fake_world_advance(fw, 86401);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->store.db.n_health, 0);
}

/* BUG: sweep.c work_one, PH_WAITING: every OUT_DOUBT whose look-up answered
 * PG_OK is turned into OUT_RECHECK ("still waiting"), and that includes
 * decide_confirm's AMOUNT_MISMATCH (the tamper check). A deposit the PG
 * reports for a different amount is then re-asked every deposit_recheck_s
 * forever: no doubt is noted, pg_code stays empty, the report's in_doubt
 * stays 0, so no operator ever hears of it. Only the "still waiting"
 * answers (OUT_AWAIT_DEPOSIT, and perhaps UNEXPECTED_STATUS) should become
 * a recheck. */
Test(app_sweep, a_deposit_of_another_amount_is_a_doubt_not_a_recheck)
{
	struct payment_rec p, now;
	struct sweep_report r;
	struct settle_err err = {0};

	waiting(&p);
	fake_world_advance(fw, 1);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 49000, 49000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_WAITING_FOR_DEPOSIT);
	cr_assert_null(fake_escrow_of(&fw->store, p.id), "never captured");
	cr_assert_eq(r.in_doubt, 1, "the tamper check's doubt is reported");
	cr_assert_str_eq(now.pg_code, "AMOUNT_MISMATCH");
	cr_assert_eq(now.doubt_count, 1);
}

Test(app_sweep, a_deposit_of_another_amount_is_never_captured)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	waiting(&p);
	fake_world_advance(fw, 1);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 49000, 49000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 0);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_WAITING_FOR_DEPOSIT);
	cr_assert_null(fake_escrow_of(&fw->store, p.id));
	cr_assert_eq(fw->store.db.n_entries, 0);
}

Test(app_sweep, a_confirming_order_that_became_a_virtual_account_is_awaiting)
{
	struct payment_rec p;
	struct sweep_report r;
	struct settle_err err = {0};

	confirming("user-1", "pk-1", &p);
	fake_world_advance(fw, 61);
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_WAITING_FOR_DEPOSIT, 50000, 50000);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.awaiting, 1);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_WAITING_FOR_DEPOSIT);
}

Test(app_sweep, a_waiting_lookup_in_doubt_is_a_doubt)
{
	struct payment_rec p, now;
	struct sweep_report r;
	struct settle_err err = {0};

	waiting(&p);
	fake_world_advance(fw, 1);
	fake_pg_push_doubt(pg, FAKE_PG_LOOKUP);
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.in_doubt, 1);
	now = fake_world_payment(fw, p.id);
	cr_assert_eq(now.status, PAY_WAITING_FOR_DEPOSIT);
	cr_assert_eq(now.doubt_count, 1);
	cr_assert_str_eq(now.pg_code, "TIMEOUT");
}

Test(app_sweep, a_backlog_goes_batch_by_batch)
{
	struct payment_rec p[3];
	struct sweep_report r;
	struct settle_err err = {0};
	const char *users[3] = {"user-1", "user-2", "user-3"};
	const char *keys[3] = {"pk-1", "pk-2", "pk-3"};

	for (int i = 0; i < 3; i++)
		confirming(users[i], keys[i], &p[i]);
	fake_world_advance(fw, 61);
	for (int i = 0; i < 3; i++)
		fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 50000, 50000);
	fw->ctx.set.sweep_batch = 1;
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.captured, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(fake_world_payment(fw, p[i].id).status, PAY_COMPLETED);
		cr_assert_str_eq(fake_pg_request(pg, FAKE_PG_LOOKUP, (size_t)i)->order_id, p[i].order_id,
				 "oldest first");
	}
	cr_assert_eq(fw->store.db.n_entries, 3);
	cr_assert_eq(r.participation_done, 3);
	assert_no_claims();
}

Test(app_sweep, a_refund_of_a_pg_not_configured_here_stays_in_doubt)
{
	struct payment_rec p;
	struct refund_rec rf;
	struct sweep_report r;
	struct settle_err err = {0};

	refund_in_doubt(50000, &p, &rf);
	snprintf(fake_payment_row(&fw->store, p.id)->rec.pg, sizeof p.pg, "gamma");
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.refund_doubt, 1);
	cr_assert_str_eq(fake_world_refund(fw, rf.id).pg_code, "PG_NOT_CONFIGURED");
	cr_assert_eq(fake_world_refund(fw, rf.id).status, REFUND_REQUESTED);
}

/* BUG: sweep.c work_one, the "PG not configured here" branch: the next
 * check of a refund backs off by the payment's doubt_count
 * (it->pay.doubt_count) instead of the refund's own (it->refund.doubt_count,
 * which decide_refund uses everywhere else), so a refund stuck on an
 * unconfigured PG is re-asked every doubt_backoff_s forever instead of
 * backing off. */
Test(app_sweep, a_refund_of_an_unconfigured_pg_backs_off_by_its_own_doubts)
{
	struct payment_rec p;
	struct refund_rec rf, now;
	struct sweep_report r;
	struct settle_err err = {0};

	refund_in_doubt(50000, &p, &rf); /* the refund has 1 doubt, the payment none */
	snprintf(fake_payment_row(&fw->store, p.id)->rec.pg, sizeof p.pg, "gamma");
	cr_assert_eq(sweep(&r, &err), 0, "%s", err.msg);
	now = fake_world_refund(fw, rf.id);
	cr_assert_eq(now.doubt_count, 2);
	cr_assert_eq(fake_ts_us(now.next_check_at), fw->clock.now_us + 60 * 1000000LL,
		     "30 s doubled once for the refund's earlier doubt: %s", now.next_check_at);
}
