/*
 * The unit of work is the transaction (DESIGN.md §13): a use case whose
 * unit fails half-way leaves the store exactly as it was (compared byte
 * for byte), a deadlock re-runs the unit from the start without doing
 * anything twice, and no use case opens a unit inside another.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;
static struct fake_db *before;

static void setup(void)
{
	fw = fake_world_new();
	before = malloc(sizeof *before);
	cr_assert_not_null(before);
}

static void teardown(void)
{
	cr_assert_eq(fw->uow.nested, 0, "a unit of work was opened inside another");
	free(before);
	fake_world_free(fw);
}

TestSuite(app_uow, .init = setup, .fini = teardown);

static void remember(void)
{
	memcpy(before, &fw->store.db, sizeof *before);
}

static int unchanged(void)
{
	return memcmp(before, &fw->store.db, sizeof *before) == 0;
}

Test(app_uow, an_order_failing_at_any_write_leaves_the_store_as_it_was)
{
	/* order's unit: pods.refresh, payments.insert, payments.add_event */
	for (int k = 1; k <= 3; k++) {
		struct payment_rec p;
		struct settle_err err = {0};
		int existing;

		remember();
		fw->store.fail_write_in = k;
		cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-1", NULL, NULL, &p, &existing, &err), -1, "write %d", k);
		cr_assert(strstr(err.msg, "injected"), "%s", err.msg);
		cr_assert(unchanged(), "write %d left something", k);
	}
	cr_assert_eq(fw->store.db.n_payments, 0);
}

Test(app_uow, a_deadlocked_order_is_rerun_and_takes_one_place)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	fw->uow.deadlocks = 2;
	cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-1", NULL, NULL, &p, &existing, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->uow.attempts, 3);
	cr_assert_eq(fw->uow.rollbacks, 2);
	cr_assert_eq(fw->store.db.n_payments, 1);
	cr_assert_eq(fw->store.db.n_events, 1);
	cr_assert_eq(fw->store.db.n_pods, 1);
}

Test(app_uow, an_order_that_keeps_deadlocking_gives_up_and_leaves_nothing)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	remember();
	fw->uow.deadlocks = 100;
	cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-1", NULL, NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert_eq(fw->uow.attempts, FAKE_UOW_ATTEMPTS);
	cr_assert(unchanged());
}

Test(app_uow, a_refund_outcome_failing_at_any_write_leaves_the_store_as_it_was)
{
	/* refunded(): refunds.save, payments.save, add_event, escrows.save, ledger.post */
	for (int k = 1; k <= 5; k++) {
		struct payment_rec p;
		struct refund_rec rf;
		struct outcome o;
		struct pg_result res;
		struct settle_err err = {0};

		fake_world_free(fw);
		fw = fake_world_new();
		fake_world_captured(fw, "pod-1", "user-1", "pk-1", &p);
		cr_assert_eq(refund_begin(&fw->ctx, &p, 0, "asked", 0, &rf, &err), 0, "%s", err.msg);
		memset(&res, 0, sizeof res);
		res.outcome = PG_OK;
		decide_refund(&rf, &res, fw->clock.now_us, 30, &o);
		cr_assert_eq(o.kind, OUT_REFUNDED);
		remember();
		fw->store.fail_write_in = k;
		cr_assert_eq(outcomes_apply(&fw->ctx, &o, 1, NULL, NULL, &err), -1, "write %d", k);
		cr_assert(unchanged(), "write %d left something", k);
		/* and once the store answers again, the same outcome applies */
		cr_assert_eq(outcomes_apply(&fw->ctx, &o, 1, NULL, NULL, &err), 0, "%s", err.msg);
		cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_REFUNDED);
	}
}

Test(app_uow, applying_an_outcome_twice_changes_nothing_the_second_time)
{
	struct payment_rec p;
	struct refund_rec rf;
	struct outcome o[2];
	struct pg_result res;
	struct settle_err err = {0};

	fake_world_captured(fw, "pod-1", "user-1", "pk-1", &p);
	memset(o, 0, sizeof o);
	o[0].kind = OUT_CAPTURED;
	o[0].id = p.id;
	remember();
	cr_assert_eq(outcomes_apply(&fw->ctx, o, 1, NULL, NULL, &err), 0, "%s", err.msg);
	cr_assert(unchanged(), "a capture applied again did something");

	cr_assert_eq(refund_begin(&fw->ctx, &p, 0, "asked", 0, &rf, &err), 0, "%s", err.msg);
	memset(&res, 0, sizeof res);
	res.outcome = PG_OK;
	decide_refund(&rf, &res, fw->clock.now_us, 30, &o[0]);
	cr_assert_eq(outcomes_apply(&fw->ctx, o, 1, NULL, NULL, &err), 0, "%s", err.msg);
	remember();
	cr_assert_eq(outcomes_apply(&fw->ctx, o, 1, NULL, NULL, &err), 0, "%s", err.msg);
	cr_assert(unchanged(), "a refund applied again did something");
	cr_assert_eq(fw->store.db.n_entries, 2);
}
