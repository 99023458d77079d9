/*
 * escrow-release's notices (issue 14) with in-memory ports: one note per
 * pod a unit of work releases, not per escrow, to the pod's leader, with
 * the pod, the amount released and the participants it came from; keyed
 * by the pod and its first escrow released, so a unit retried after a
 * deadlock adds it once; a unit that fails leaves no note; a dry run adds
 * none. The escrows and pods live in the fake store, so the fake unit of
 * work rolls them back with the notes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/escrow/escrow.h"
#include "fakes/fakes.h"

static struct fake_world *fw;
static struct release_repo rel;
static struct escrow_ctx ctx;

/* ---- the release repository over the fake store's escrows and pods ---- */

static const char *leader_of(const struct fake_store *s, const char *pod_id)
{
	for (size_t i = 0; i < s->db.n_pods; i++)
		if (!strcmp(s->db.pods[i].pod.pod_id, pod_id))
			return s->db.pods[i].pod.leader_id;
	return "";
}

/* Every HOLDING escrow is due here (the hold is the adapter's SQL, tested
 * against MariaDB in tests/adapters/mysql/test_release_repo.c). */
static int due(void *self, struct uow *tx, const struct release_filter *f, struct release_row *rows, size_t limit,
	       size_t *n, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx, (void)err;
	*n = 0;
	for (size_t i = 0; i < s->db.n_escrows && *n < limit; i++) {
		const struct escrow *e = &s->db.escrows[i];

		int named = f->n_pods == 0;

		for (size_t k = 0; k < f->n_pods; k++)
			named |= !strcmp(f->pods[k], e->pod_id);
		if (e->status != ESCROW_HOLDING || e->id <= f->after_id || (f->upto_id && e->id > f->upto_id) || !named)
			continue;
		memset(&rows[*n], 0, sizeof rows[*n]);
		rows[*n].e = *e;
		snprintf(rows[*n].leader_id, sizeof rows[*n].leader_id, "%s", leader_of(s, e->pod_id));
		(*n)++;
	}
	return 0;
}

/* The (r mod n)-th of the n HOLDING escrows (a runner that lost its batch
 * walks on from there). */
static int pick_holding(void *self, struct uow *tx, uint64_t r, int64_t *id, struct settle_err *err)
{
	struct fake_store *s = self;
	size_t n = 0, k;

	(void)tx, (void)err;
	*id = 0;
	for (size_t i = 0; i < s->db.n_escrows; i++)
		n += s->db.escrows[i].status == ESCROW_HOLDING;
	if (!n)
		return 0;
	k = (size_t)(r % n);
	for (size_t i = 0; i < s->db.n_escrows; i++)
		if (s->db.escrows[i].status == ESCROW_HOLDING && k-- == 0) {
			*id = s->db.escrows[i].id;
			break;
		}
	return 0;
}

static int released(void *self, struct uow *tx, const struct release_row *rows, size_t n, const char *now,
		    struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx, (void)now;
	if (fake_store_write(s, "release.released", err) < 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < s->db.n_escrows; i++)
			if (s->db.escrows[i].id == rows[k].e.id) {
				s->db.escrows[i].status = ESCROW_RELEASED;
				s->db.escrows[i].released = rows[k].e.released;
			}
	return 0;
}

static void pod(const char *pod_id, const char *leader_id)
{
	struct fake_pod_row *r = &fw->store.db.pods[fw->store.db.n_pods++];

	memset(r, 0, sizeof *r);
	snprintf(r->pod.pod_id, sizeof r->pod.pod_id, "%s", pod_id);
	snprintf(r->pod.leader_id, sizeof r->pod.leader_id, "%s", leader_id);
}

static void escrow(const char *pod_id, int64_t amount)
{
	struct escrow *e = &fw->store.db.escrows[fw->store.db.n_escrows++];

	memset(e, 0, sizeof *e);
	e->id = ++fw->store.db.next_id;
	e->payment_id = e->id;
	snprintf(e->public_id, sizeof e->public_id, "esc_%04lld", (long long)e->id);
	snprintf(e->pod_id, sizeof e->pod_id, "%s", pod_id);
	snprintf(e->currency, sizeof e->currency, "KRW");
	e->amount = amount;
	e->status = ESCROW_HOLDING;
}

static void setup(void)
{
	fw = fake_world_new();
	rel = (struct release_repo){.self = &fw->store, .due = due, .released = released, .pick_holding = pick_holding};
	ctx = (struct escrow_ctx){&fw->uow_port, &rel, &fw->ledger, &fw->clock_port, "test", 7, 500, &fw->outbox};
	pod("pod-a", "leader-kim");
	pod("pod-b", "leader-lee");
	/* interleaved by id, as payments arrive */
	escrow("pod-a", 50000);
	escrow("pod-b", 30000);
	escrow("pod-a", 50000);
	escrow("pod-a", 40000);
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_release_notes, .init = setup, .fini = teardown);

static int run(int dry_run, struct release_report *rep, struct settle_err *err)
{
	struct release_opts o = {NULL, 0, 0, dry_run};

	err_clear(err);
	return escrow_release_run(&ctx, &o, NULL, NULL, rep, err);
}

Test(app_release_notes, one_note_per_pod_to_its_leader_with_the_amount_and_the_participants)
{
	struct release_report rep;
	struct settle_err err = {0};
	const struct fake_note_row *a, *b;

	cr_assert_eq(run(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 4);
	cr_assert_eq(fake_notes_of(&fw->store, "escrow.released"), 2, "one per pod, not one per escrow");
	a = fake_note(&fw->store, "escrow.released:pod-a:esc_0001");
	b = fake_note(&fw->store, "escrow.released:pod-b:esc_0002");
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_str_eq(a->recipient_kind, "leader");
	cr_assert_str_eq(a->recipient_id, "leader-kim");
	cr_assert_str_eq(fake_note_fact(a, "pod"), "pod-a");
	cr_assert_str_eq(fake_note_fact(a, "amount"), "140000");
	cr_assert_str_eq(fake_note_fact(a, "currency"), "KRW");
	cr_assert_str_eq(fake_note_fact(a, "participants"), "3");
	cr_assert_str_eq(b->recipient_id, "leader-lee");
	cr_assert_str_eq(fake_note_fact(b, "amount"), "30000");
	cr_assert_str_eq(fake_note_fact(b, "participants"), "1");
	/* A second run has nothing due and adds nothing. */
	cr_assert_eq(run(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 0);
	cr_assert_eq(fake_notes_of(&fw->store, "escrow.released"), 2);
}

/* A unit lost to a deadlock is retried from elsewhere in the backlog
 * (domain/walk.h), so a pod's escrows may come in two units: its notices
 * then add up to what was released, and none is there twice. */
Test(app_release_notes, units_retried_after_deadlocks_tell_each_escrow_once)
{
	struct release_report rep;
	struct settle_err err = {0};
	int64_t sum = 0, participants = 0;

	fw->uow.deadlocks = 2;
	cr_assert_eq(run(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(fw->uow.rollbacks, 2);
	cr_assert_eq(rep.escrows, 4);
	for (size_t i = 0; i < fw->store.db.n_notes; i++)
		if (!strcmp(fake_note_fact(&fw->store.db.notes[i], "pod"), "pod-a")) {
			sum += atoll(fake_note_fact(&fw->store.db.notes[i], "amount"));
			participants += atoll(fake_note_fact(&fw->store.db.notes[i], "participants"));
		}
	cr_assert_eq(sum, 140000);
	cr_assert_eq(participants, 3);
	cr_assert_geq(fake_notes_of(&fw->store, "escrow.released"), 2);
	cr_assert_leq(fake_notes_of(&fw->store, "escrow.released"), 3);
}

Test(app_release_notes, a_unit_that_fails_leaves_no_note_and_nothing_released)
{
	/* the unit writes: release.released, ledger.post, the notes */
	for (int k = 1; k <= 3; k++) {
		struct release_report rep;
		struct settle_err err = {0};

		teardown();
		setup();
		fw->store.fail_write_in = k;
		cr_assert_eq(run(0, &rep, &err), -1, "write %d", k);
		cr_assert_eq(fw->store.db.n_notes, 0, "write %d", k);
		cr_assert_eq(fw->store.db.escrows[0].status, ESCROW_HOLDING, "write %d", k);
	}
}

Test(app_release_notes, a_dry_run_adds_no_note)
{
	struct release_report rep;
	struct settle_err err = {0};

	cr_assert_eq(run(1, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 4);
	cr_assert_eq(fw->store.db.n_notes, 0);
}

Test(app_release_notes, a_full_batch_takes_the_rest_of_its_pods_so_each_pod_is_told_once)
{
	struct release_report rep;
	struct settle_err err = {0};
	const struct fake_note_row *a;

	ctx.batch = 2; /* walks esc 1 (a), 2 (b); the rest of pod-a (3, 4) joins the unit */
	cr_assert_eq(run(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 4);
	cr_assert_eq(fw->uow.commits, 2, "one unit released all, the next found nothing");
	cr_assert_eq(fake_notes_of(&fw->store, "escrow.released"), 2);
	a = fake_note(&fw->store, "escrow.released:pod-a:esc_0001");
	cr_assert_str_eq(fake_note_fact(a, "amount"), "140000");
	cr_assert_str_eq(fake_note_fact(a, "participants"), "3");
}

Test(app_release_notes, past_a_batchs_worth_the_rest_of_a_pod_waits_for_the_next_unit)
{
	struct release_report rep;
	struct settle_err err = {0};

	ctx.batch = 1; /* esc 1 (a) + 3 (a) | esc 2 (b) | esc 4 (a) */
	cr_assert_eq(run(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 4, "%lld released, %d commits, %zu notes", (long long)rep.escrows, fw->uow.commits, fw->store.db.n_notes);
	cr_assert_str_eq(fake_note_fact(fake_note(&fw->store, "escrow.released:pod-a:esc_0001"), "amount"), "100000");
	cr_assert_str_eq(fake_note_fact(fake_note(&fw->store, "escrow.released:pod-b:esc_0002"), "amount"), "30000");
	cr_assert_str_eq(fake_note_fact(fake_note(&fw->store, "escrow.released:pod-a:esc_0004"), "amount"), "40000");
	cr_assert_eq(fake_notes_of(&fw->store, "escrow.released"), 3);
}

Test(app_release_notes, without_an_outbox_a_batch_is_only_what_it_walked)
{
	struct release_report rep;
	struct settle_err err = {0};

	ctx.outbox = NULL;
	ctx.batch = 2;
	cr_assert_eq(run(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 4);
	cr_assert_eq(fw->uow.commits, 3, "2 + 2 + the empty look");
	cr_assert_eq(fw->store.db.n_notes, 0);
}
