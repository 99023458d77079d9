/*
 * The fakes keep the contract of the real adapters (adapters/mysql/), so
 * that what the app tests prove holds against the database too: lock of a
 * missing id is EX_DATAERR, save writes the mutable columns only, a PG key
 * is owned only once confirmed and never by two payments, entry keys are
 * unique and entries balanced, claims are leases (due, age, state, owner),
 * the unit of work rolls back, and the scripted PG answers in order and
 * flags a call nobody scripted.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;

static void setup(void)
{
	fw = fake_world_new();
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_fakes, .init = setup, .fini = teardown);

Test(app_fakes, payments_lock_find_and_save_mirror_the_adapter)
{
	struct payment_rec p, q;
	struct settle_err err = {0};
	struct new_payment np = {"pod-1", "user-1", "CARD", "alpha", 50000, "KRW"};
	char now[TIME_SQL_LEN];

	pay_now(&fw->ctx, now);
	cr_assert_eq(fw->payments.lock(fw->payments.self, NULL, 42, &p, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(fw->payments.find(fw->payments.self, NULL, PAY_BY_ORDER_ID, "ord-none", &p, &err), 0);
	cr_assert_eq(fw->payments.insert(fw->payments.self, NULL, &np, now, &p, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->payments.find(fw->payments.self, NULL, PAY_BY_ORDER_ID, p.order_id, &q, &err), 1);
	cr_assert_eq(q.id, p.id);
	cr_assert_eq(fw->payments.insert(fw->payments.self, NULL, &np, now, &q, &err), -1, "one live place per user");

	/* save writes the mutable columns only */
	q = p;
	q.amount = 1;
	snprintf(q.pod_id, sizeof q.pod_id, "pod-x");
	q.status = PAY_CONFIRMING;
	snprintf(q.payment_key, sizeof q.payment_key, "pk-1");
	cr_assert_eq(fw->payments.save(fw->payments.self, NULL, &q, now, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->payments.lock(fw->payments.self, NULL, p.id, &q, &err), 0);
	cr_assert_eq(q.amount, 50000);
	cr_assert_str_eq(q.pod_id, "pod-1");
	cr_assert_str_eq(q.payment_key, "pk-1", "the attempted key reads back");
	cr_assert_eq(fw->payments.find(fw->payments.self, NULL, PAY_BY_KEY, "pk-1", &q, &err), 0,
		     "but is not owned while CONFIRMING");
}

Test(app_fakes, a_pg_key_has_one_owner)
{
	struct payment_rec a, b;
	struct settle_err err = {0};
	char now[TIME_SQL_LEN];

	fake_world_order(fw, "pod-1", "user-1", &a);
	fake_world_order(fw, "pod-1", "user-2", &b);
	pay_now(&fw->ctx, now);
	a.status = PAY_COMPLETED;
	b.status = PAY_COMPLETED;
	snprintf(a.payment_key, sizeof a.payment_key, "pk-1");
	snprintf(b.payment_key, sizeof b.payment_key, "pk-1");
	cr_assert_eq(fw->payments.save(fw->payments.self, NULL, &a, now, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->payments.key_owned_elsewhere(fw->payments.self, NULL, "alpha", "pk-1", b.id, &err), 1);
	cr_assert_eq(fw->payments.key_owned_elsewhere(fw->payments.self, NULL, "alpha", "pk-1", a.id, &err), 0);
	cr_assert_eq(fw->payments.key_owned_elsewhere(fw->payments.self, NULL, "beta", "pk-1", b.id, &err), 0,
		     "keys are unique per PG");
	cr_assert_eq(fw->payments.save(fw->payments.self, NULL, &b, now, &err), -1);
	cr_assert(strstr(err.msg, "already used by another order"), "%s", err.msg);
	b.status = PAY_FAILED;
	cr_assert_eq(fw->payments.save(fw->payments.self, NULL, &b, now, &err), 0, "a failed attempt owns nothing");
}

Test(app_fakes, the_ledger_refuses_a_second_post_of_one_event_and_an_unbalanced_entry)
{
	struct journal_entry e;
	struct settle_err err = {0};
	struct money m = {1000, "KRW"};
	const char *keys[2] = {"capture:x", "capture:x"};

	journal_init(&e, "capture", "x");
	cr_assert_eq(journal_move(&e, "pg_clearing", "escrow:pod-1", m, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->ledger.post(fw->ledger.self, NULL, keys, &e, 1, "2026-11-24 10:00:00", &err), 0, "%s",
		     err.msg);
	cr_assert_eq(fw->ledger.post(fw->ledger.self, NULL, keys, &e, 1, "2026-11-24 10:00:00", &err), -1);
	cr_assert(strstr(err.msg, "already posted"), "%s", err.msg);
	e.postings[0].amount += 1;
	keys[0] = "capture:y";
	cr_assert_eq(fw->ledger.post(fw->ledger.self, NULL, keys, &e, 1, "2026-11-24 10:00:00", &err), -1);
	cr_assert(strstr(err.msg, "unbalanced"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_entries, 1);
}

static int fails_after_a_write(struct uow *tx, void *arg, struct settle_err *err)
{
	struct fake_world *w = arg;
	struct payment_rec p;
	struct new_payment np = {"pod-1", "user-1", "CARD", "alpha", 50000, "KRW"};

	if (w->payments.insert(w->payments.self, tx, &np, "2026-11-24 10:00:00", &p, err) < 0)
		return -1;
	return err_set(err, SETTLE_EX_DATAERR, "changed my mind");
}

Test(app_fakes, the_unit_of_work_rolls_back_what_fn_wrote)
{
	struct settle_err err = {0};

	cr_assert_eq(uow_run(&fw->uow_port, fails_after_a_write, fw, &err), -1);
	cr_assert_str_eq(err.msg, "changed my mind");
	cr_assert_eq(fw->store.db.n_payments, 0);
	cr_assert_eq(fw->store.db.next_id, 0, "even the sequence");
	cr_assert_eq(fw->uow.rollbacks, 1);
}

static const struct claim_queue pending_q = {"payments", "id", "status", "PENDING", NULL, "created_at",
					     "next_check_at"};

Test(app_fakes, claims_are_leases_on_due_rows_oldest_first)
{
	struct payment_rec p[3];
	struct settle_err err = {0};
	char now[TIME_SQL_LEN], until[32];
	struct claim_req me = {&pending_q, "me", now, 60, 30, 2}, other = {&pending_q, "other", now, 60, 30, 10};
	int64_t ids[10], held;
	size_t n;

	fake_world_order(fw, "pod-1", "user-1", &p[0]);
	fake_world_order(fw, "pod-1", "user-2", &p[1]);
	fake_world_advance(fw, 30);
	fake_world_order(fw, "pod-1", "user-3", &p[2]);
	fake_world_advance(fw, 31);
	pay_now(&fw->ctx, now);

	/* p[2] is too young; limit 2 */
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &me, ids, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 2);
	cr_assert_eq(ids[0], p[0].id);
	cr_assert_eq(ids[1], p[1].id);
	/* claimed rows are skipped by others while the lease lives */
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &other, ids, &n, &err), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(fw->claims.held_by_others(fw->claims.self, NULL, &other, &held, until, sizeof until, &err), 0);
	cr_assert_eq(held, 2);
	cr_assert_str_eq(until, "2026-11-24 10:01:31");
	cr_assert_eq(fw->claims.held_by_others(fw->claims.self, NULL, &me, &held, until, sizeof until, &err), 0);
	cr_assert_eq(held, 0, "my own claims are not someone else's");
	/* release gives back only what this owner holds */
	ids[0] = p[0].id;
	cr_assert_eq(fw->claims.release(fw->claims.self, NULL, &other, ids, 1, &err), 0);
	cr_assert_str_eq(fake_payment_row(&fw->store, p[0].id)->claimed_by, "me");
	cr_assert_eq(fw->claims.release(fw->claims.self, NULL, &me, ids, 1, &err), 0);
	cr_assert_eq(fake_payment_row(&fw->store, p[0].id)->claimed_until[0], '\0');
	/* a back-off in the future hides a row */
	snprintf(fake_payment_row(&fw->store, p[0].id)->rec.next_check_at, 32, "2026-11-24 11:00:00.000000");
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &other, ids, &n, &err), 0);
	cr_assert_eq(n, 0);
	/* an expired lease is taken over; renew pushes it */
	fake_world_advance(fw, 31);
	pay_now(&fw->ctx, now);
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &other, ids, &n, &err), 0);
	cr_assert_eq(n, 2, "p[1] (lease ran out) and p[2] (old enough now)");
	cr_assert_eq(ids[0], p[1].id);
	cr_assert_eq(fw->claims.renew(fw->claims.self, NULL, &other, ids, n, &err), 0);
	cr_assert_str_eq(fake_payment_row(&fw->store, p[1].id)->claimed_by, "other");
}

Test(app_fakes, an_unknown_queue_fails_like_bad_sql)
{
	static const struct claim_queue bad = {"payouts", "id", "status", "PENDING", NULL, NULL, NULL};
	static const struct claim_queue bad_col = {"payments", "id", "state", "PENDING", NULL, NULL, NULL};
	struct settle_err err = {0};
	struct claim_req req = {&bad, "me", "2026-11-24 10:00:00", 0, 30, 10};
	int64_t ids[10];
	size_t n;
	struct payment_rec p;

	fake_world_order(fw, "pod-1", "user-1", &p);
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &req, ids, &n, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_SOFTWARE);
	req.queue = &bad_col;
	cr_assert_eq(fw->claims.claim(fw->claims.self, NULL, &req, ids, &n, &err), -1);
	cr_assert(strstr(err.msg, "unknown column state"), "%s", err.msg);
}

Test(app_fakes, the_pg_answers_in_order_and_flags_what_nobody_scripted)
{
	struct settle_err err = {0};
	struct pg_port *p = fw->pg_dir.open(fw->pg_dir.self, 0, &err);
	struct pg_confirm_req req = {"pk-1", "ord-000001", 50000, "KRW", "confirm-ord-000001"};
	struct pg_result res;

	cr_assert_not_null(p);
	fake_pg_push_ok(&fw->pg[0], FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(p->confirm(p->self, &req, &res), PG_OK);
	cr_assert_str_eq(res.payment.payment_key, "pk-1", "the PG echoes the payment");
	cr_assert_eq(p->confirm(p->self, &req, &res), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "FAKE_UNSCRIPTED");
	fake_pg_push_ok(&fw->pg[0], FAKE_PG_CANCEL, PG_ST_CANCELED, 50000, 0);
	cr_assert_eq(p->confirm(p->self, &req, &res), PG_IN_DOUBT, "a cancel answer does not answer a confirm");
	cr_assert_eq(fw->pg[0].unexpected, 2);
	cr_assert_eq(fake_pg_count(&fw->pg[0], FAKE_PG_CONFIRM), 3);
	cr_assert_str_eq(fake_pg_request(&fw->pg[0], FAKE_PG_CONFIRM, 2)->idempotency_key, "confirm-ord-000001");
	fw->pg_dir.close(fw->pg_dir.self, p);
	cr_assert_eq(fw->pg_dir.find(fw->pg_dir.self, "beta"), 1);
	cr_assert_eq(fw->pg_dir.find(fw->pg_dir.self, "toss"), -1, "the fakes name no real PG");
}

Test(app_fakes, the_breaker_counts_failures_since_the_last_good_answer)
{
	struct settle_err err = {0};
	int64_t n = -1;

	fw->breaker.record(fw->breaker.self, NULL, "alpha", 0, "T", "2026-11-24 09:59:00.000000", &err);
	fw->breaker.record(fw->breaker.self, NULL, "alpha", 1, NULL, "2026-11-24 09:59:10.000000", &err);
	fw->breaker.record(fw->breaker.self, NULL, "alpha", 0, "T", "2026-11-24 09:59:20.000000", &err);
	fw->breaker.record(fw->breaker.self, NULL, "beta", 0, "T", "2026-11-24 09:59:20.000000", &err);
	cr_assert_eq(fw->breaker.failures(fw->breaker.self, NULL, "alpha", 300, "2026-11-24 10:00:00.000000", &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(fw->breaker.failures(fw->breaker.self, NULL, "alpha", 30, "2026-11-24 10:00:00.000000", &n, &err), 0);
	cr_assert_eq(n, 0, "outside the window");
}
