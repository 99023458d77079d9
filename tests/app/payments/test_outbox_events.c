/*
 * The payments use cases' other outbox events (issue 14), against the
 * fakes: a customer charged for a payment settle cannot complete (the PG
 * took another amount; the place was refused and its refund failed, or no
 * refund is started by itself) is told, and so are the operators, once
 * per payment however often it is met; a dispute's opening and resolution
 * go to the pod's leader (read from the pod) and to the operators, in the
 * unit that makes them, and a unit that fails leaves neither.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "domain/notify_tmpl.h"
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

TestSuite(app_outbox_events, .init = setup, .fini = teardown);

static int capture(const struct payment_rec *p, struct payment_rec *out, struct settle_err *err)
{
	err_clear(err);
	return pay_capture(&fw->ctx, p->order_id, "pk-1", "50000", out, err);
}

/* Every note in the outbox carries every fact its template may name (but
 * the recipient's name, added when it is sent), with room for that. */
static void all_facts_carried(void)
{
	for (size_t i = 0; i < fw->store.db.n_notes; i++) {
		const struct fake_note_row *n = &fw->store.db.notes[i];

		for (const char *const *f = notify_template_facts(n->template_name); *f; f++)
			cr_assert(!strcmp(*f, "name") || fake_note_fact(n, *f), "%s lacks %s", n->key, *f);
		cr_assert_lt(n->n_facts, OUTBOX_FACTS_MAX, "%s", n->key);
	}
}

/* Both notes of a charged failure exist once, to the payer and to ops. */
static void assert_charged_failed(const struct payment_rec *p, const char *reason_part)
{
	char key[160];
	const struct fake_note_row *n;

	snprintf(key, sizeof key, "payment.failed_charged:%s", p->public_id);
	n = fake_note(&fw->store, key);
	cr_assert_not_null(n, "no note %s", key);
	cr_assert_str_eq(n->recipient_kind, "user");
	cr_assert_str_eq(n->recipient_id, p->user_id);
	cr_assert_str_eq(fake_note_fact(n, "amount"), "50000");
	cr_assert_str_eq(fake_note_fact(n, "payment"), p->public_id);
	cr_assert(strstr(fake_note_fact(n, "reason"), reason_part), "%s", fake_note_fact(n, "reason"));
	snprintf(key, sizeof key, "payment.failed_charged.ops:%s", p->public_id);
	n = fake_note(&fw->store, key);
	cr_assert_not_null(n, "no note %s", key);
	cr_assert_str_eq(n->recipient_kind, "operator");
	cr_assert_str_eq(n->recipient_id, "ops");
	cr_assert_str_eq(fake_note_fact(n, "user"), p->user_id);
	cr_assert_eq(fake_notes_of(&fw->store, "payment.failed_charged"), 1);
	cr_assert_eq(fake_notes_of(&fw->store, "payment.failed_charged.ops"), 1);
	all_facts_carried();
}

Test(app_outbox_events, the_pg_taking_another_amount_tells_the_payer_and_ops_once)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 49000, 49000);
	cr_assert_eq(capture(&p, &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	out = fake_world_payment(fw, p.id);
	assert_charged_failed(&out, "different amount");
	/* Met again (a second capture looks the order up): nothing new. */
	fake_pg_push_ok(pg, FAKE_PG_LOOKUP, PG_ST_DONE, 49000, 49000);
	cr_assert_eq(capture(&p, &out, &err), -1);
	cr_assert_str_eq(fake_world_payment(fw, p.id).pg_code, "AMOUNT_MISMATCH");
	assert_charged_failed(&out, "different amount");
	cr_assert_eq(fake_notes_of(&fw->store, "payment.completed"), 0);
}

Test(app_outbox_events, a_refused_place_whose_refund_the_pg_refused_tells_the_payer_and_ops)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fake_pg_push_refused(pg, FAKE_PG_CANCEL, "NOT_CANCELABLE_PAYMENT");
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	cr_assert_eq(capture(&p, &out, &err), -1);
	cr_assert_eq(fw->store.db.refunds[0].rec.status, REFUND_FAILED);
	assert_charged_failed(&out, fw->store.db.refunds[0].rec.public_id);
	assert_charged_failed(&out, "NOT_CANCELABLE_PAYMENT");
}

Test(app_outbox_events, a_refused_place_left_unrefunded_by_the_settings_tells_the_payer_and_ops)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fw->ctx.set.refund_on_place_refused = 0;
	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	cr_assert_eq(capture(&p, &out, &err), -1);
	cr_assert_eq(fw->store.db.n_refunds, 0);
	assert_charged_failed(&out, "no refund");
}

Test(app_outbox_events, a_refused_place_refunded_at_once_is_no_failure)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	struct pg_result cxl;

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, 50000, 50000);
	memset(&cxl, 0, sizeof cxl);
	cxl.outcome = PG_OK;
	cxl.payment.status = PG_ST_CANCELED;
	cxl.payment.total_amount = 50000;
	fake_pg_push(pg, FAKE_PG_CANCEL, &cxl);
	fake_study_push(&fw->study, SETTLE_EX_DATAERR);
	cr_assert_eq(capture(&p, &out, &err), -1);
	cr_assert_eq(out.status, PAY_REFUNDED);
	cr_assert_eq(fake_notes_of(&fw->store, "payment.failed_charged"), 0);
	cr_assert_eq(fake_notes_of(&fw->store, "place.refused"), 1);
	cr_assert_eq(fake_notes_of(&fw->store, "refund.completed"), 1);
}

/* A captured payment of pod-1 (led by "leader-of-pod-1") and its escrow's id. */
static void held_escrow(struct payment_rec *p, char escrow_id[41])
{
	fake_world_captured(fw, "pod-1", "user-1", "pk-1", p);
	snprintf(escrow_id, 41, "%s", fake_escrow_of(&fw->store, p->id)->public_id);
}

Test(app_outbox_events, a_dispute_opened_tells_the_pods_leader_and_ops)
{
	struct payment_rec p;
	struct dispute_rec d;
	struct settle_err err = {0};
	char esc[41], key[160];
	const struct fake_note_row *n;

	held_escrow(&p, esc);
	cr_assert_eq(dispute_open(&fw->ctx, esc, "the study never met", &d, &err), 0, "%s", err.msg);
	snprintf(key, sizeof key, "dispute.opened:%s", d.public_id);
	n = fake_note(&fw->store, key);
	cr_assert_not_null(n, "no note %s", key);
	cr_assert_str_eq(n->recipient_kind, "leader");
	cr_assert_str_eq(n->recipient_id, "leader-of-pod-1");
	cr_assert_str_eq(fake_note_fact(n, "pod"), "pod-1");
	cr_assert_str_eq(fake_note_fact(n, "escrow"), esc);
	cr_assert_str_eq(fake_note_fact(n, "amount"), "50000");
	cr_assert_str_eq(fake_note_fact(n, "reason"), "the study never met");
	snprintf(key, sizeof key, "dispute.opened:%s:ops", d.public_id);
	n = fake_note(&fw->store, key);
	cr_assert_not_null(n, "no note %s", key);
	cr_assert_str_eq(n->recipient_kind, "operator");
	/* A second opening is refused and adds nothing. */
	cr_assert_eq(dispute_open(&fw->ctx, esc, "again", &d, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(fake_notes_of(&fw->store, "dispute.opened"), 2);
}

Test(app_outbox_events, a_dispute_resolved_tells_the_leader_and_ops_what_went_where)
{
	struct payment_rec p;
	struct dispute_rec d, r;
	struct refund_rec rf;
	struct settle_err err = {0};
	char esc[41], key[160];
	const struct fake_note_row *n;

	held_escrow(&p, esc);
	cr_assert_eq(dispute_open(&fw->ctx, esc, "late start", &d, &err), 0, "%s", err.msg);
	cr_assert_eq(dispute_resolve(&fw->ctx, esc, DISPUTE_RELEASE, NULL, &r, &rf, &err), 0, "%s", err.msg);
	snprintf(key, sizeof key, "dispute.resolved:%s", d.public_id);
	n = fake_note(&fw->store, key);
	cr_assert_not_null(n, "no note %s", key);
	cr_assert_str_eq(n->recipient_id, "leader-of-pod-1");
	cr_assert_str_eq(fake_note_fact(n, "resolution"), "RELEASE");
	cr_assert_str_eq(fake_note_fact(n, "released"), "50000");
	cr_assert_str_eq(fake_note_fact(n, "refunded"), "0");
	cr_assert_str_eq(fake_note_fact(n, "amount"), "50000");
	snprintf(key, sizeof key, "dispute.resolved:%s:ops", d.public_id);
	cr_assert_not_null(fake_note(&fw->store, key));
	/* Resolved once: a second resolution is refused and adds nothing. */
	cr_assert_eq(dispute_resolve(&fw->ctx, esc, DISPUTE_RELEASE, NULL, &r, &rf, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(fake_notes_of(&fw->store, "dispute.resolved"), 2);
	all_facts_carried();
}

Test(app_outbox_events, a_dispute_whose_unit_fails_leaves_no_note_and_no_dispute)
{
	/* open's unit writes: escrows.save, disputes.open, add_step, the notes. */
	for (int k = 1; k <= 3; k++) {
		struct payment_rec p;
		struct dispute_rec d;
		struct settle_err err = {0};
		char esc[41];

		fake_world_free(fw);
		setup();
		held_escrow(&p, esc);
		fw->store.fail_write_in = k;
		cr_assert_eq(dispute_open(&fw->ctx, esc, "no show", &d, &err), -1, "write %d", k);
		cr_assert_eq(fake_notes_of(&fw->store, "dispute.opened"), 0, "write %d", k);
		cr_assert_eq(fw->store.db.n_disputes, 0, "write %d", k);
		cr_assert_eq(fake_escrow_of(&fw->store, p.id)->status, ESCROW_HOLDING, "write %d", k);
	}
}

Test(app_outbox_events, a_dispute_on_a_pod_settle_does_not_know_still_tells_ops)
{
	struct payment_rec p;
	struct dispute_rec d;
	struct settle_err err = {0};
	char esc[41];

	held_escrow(&p, esc);
	fw->store.db.n_pods = 0; /* the copy of the pod is gone */
	cr_assert_eq(dispute_open(&fw->ctx, esc, "no pod", &d, &err), 0, "%s", err.msg);
	cr_assert_eq(fake_notes_of(&fw->store, "dispute.opened"), 1);
	cr_assert_str_eq(fw->store.db.notes[fw->store.db.n_notes - 1].recipient_kind, "operator");
}
