/*
 * The outbox in the payments use cases (issue 14), against the fakes: a
 * capture adds its receipt in the unit of work that completes the payment,
 * keyed payment.completed:{pay}, addressed to the payer; a second capture
 * of the same order adds nothing; a unit of work that fails half-way
 * leaves no note behind (the note is rolled back with the change).
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

TestSuite(app_outbox, .init = setup, .fini = teardown);

static int capture(const struct payment_rec *p, struct payment_rec *out, struct settle_err *err)
{
	err_clear(err);
	return pay_capture(&fw->ctx, p->order_id, "pk-1", "50000", out, err);
}

Test(app_outbox, a_capture_adds_one_receipt_for_the_payer_and_a_second_adds_nothing)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	char key[160];

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(&fw->pg[0], FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	cr_assert_eq(capture(&p, &out, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->store.db.n_notes, 1);
	snprintf(key, sizeof key, "payment.completed:%s", out.public_id);
	cr_assert_str_eq(fw->store.db.notes[0].key, key);
	cr_assert_str_eq(fw->store.db.notes[0].template_name, "payment.completed");
	cr_assert_str_eq(fw->store.db.notes[0].recipient_id, "user-1");
	cr_assert_eq(capture(&p, &out, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->store.db.n_notes, 1);
}

Test(app_outbox, a_unit_that_fails_anywhere_leaves_no_note)
{
	/* The outcome's unit writes: payments.save, add_event, escrows.insert,
	 * participation.enqueue, outbox.add, ledger.post. Fail each in turn. */
	for (int k = 1; k <= 6; k++) {
		struct payment_rec p, out;
		struct settle_err err = {0};

		fake_world_free(fw);
		setup();
		fake_world_order(fw, "pod-1", "user-1", &p);
		fake_pg_push_ok(&fw->pg[0], FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
		/* the intent takes two writes (save, add_event) */
		fw->store.fail_write_in = 2 + k;
		cr_assert_eq(capture(&p, &out, &err), -1, "write %d", k);
		cr_assert_eq(fw->store.db.n_notes, 0, "write %d failed, yet a note is left", k);
		cr_assert_eq(fw->store.db.n_entries, 0, "write %d", k);
	}
}
