/*
 * test_register.c — seller_register (app/payouts/register.c) over the
 * in-memory fakes: the intent before the call, the outcome after; a
 * registration in doubt is looked up before it is sent again, with the
 * same key; refusals and incomplete leaders are listed once; a unit of
 * work retried after a deadlock counts and lists nothing twice; a unit
 * failing half-way leaves nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payouts/register.h"
#include "fakes/fakes.h"

struct world {
	struct fake_store store;
	struct fake_uow uow;
	struct fake_clock clock;
	struct fake_seller_registry reg;
	struct uow_port uow_port;
	struct sellers_repo sellers;
	struct claims_port claims;
	struct clock_port clock_port;
	struct seller_reg_ctx ctx;
	char notes[16][200];
	size_t n_notes;
};

static void note(void *arg, const char *leader_id, const char *what, const char *code, const char *message)
{
	struct world *w = arg;

	(void)message;
	if (w->n_notes < 16)
		snprintf(w->notes[w->n_notes++], sizeof w->notes[0], "%s %s %s", leader_id, what, code);
}

static struct world *world_new(void)
{
	struct world *w = calloc(1, sizeof *w);

	cr_assert_not_null(w);
	w->uow.store = &w->store;
	w->clock.now_us = FAKE_T0_US;
	fake_seller_registry_init(&w->reg);
	fake_uow_port(&w->uow_port, &w->uow);
	fake_sellers_repo(&w->sellers, &w->store);
	fake_claims(&w->claims, &w->store);
	fake_clock_port(&w->clock_port, &w->clock);
	w->ctx = (struct seller_reg_ctx){.uow = &w->uow_port,
					 .sellers = &w->sellers,
					 .claims = &w->claims,
					 .clock = &w->clock_port,
					 .registry = &w->reg.port,
					 .owner = "test",
					 .batch = 10,
					 .lease_s = 60,
					 .doubt_backoff_s = 30,
					 .recheck_s = 300,
					 .note = note,
					 .note_arg = w};
	return w;
}

static void later(struct world *w, int seconds)
{
	w->clock.now_us += (int64_t)seconds * 1000000;
}

static int run(struct world *w, struct seller_reg_report *rep)
{
	struct settle_err err = {0};
	int rc = seller_register(&w->ctx, rep, &err);

	cr_assert_eq(rc, 0, "%s", err.msg);
	return rc;
}

Test(app_payouts_register, new_leaders_registered_incomplete_listed)
{
	struct world *w = world_new();
	struct seller_reg_report rep;

	fake_leader_add(&w->store, "l1", 1);
	fake_leader_add(&w->store, "l2", 0);
	fake_leader_add(&w->store, "l3", 1);
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_OK, SELLER_ST_APPROVAL_REQUIRED, "seller_1", NULL);
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_OK, SELLER_ST_PARTIALLY_APPROVED, "seller_3", NULL);
	run(w, &rep);
	cr_assert_eq(rep.registered, 2);
	cr_assert_eq(rep.waiting, 1);
	cr_assert_eq(rep.ready, 1);
	cr_assert_eq(rep.incomplete, 1);
	cr_assert_eq(w->reg.unexpected, 0);
	cr_assert_eq(fake_seller_count(&w->reg, FAKE_SELLER_REGISTER), 2);
	cr_assert_str_eq(w->reg.calls[0].ref, "l1");
	cr_assert_str_eq(w->reg.calls[0].key, "seller-l1-1");
	cr_assert_str_eq(w->reg.calls[0].account, "12345678901", "the account goes to the call");
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.reg, SELLER_REG_WAITING);
	cr_assert_str_eq(fake_leader(&w->store, "l1")->rec.seller_id, "seller_1");
	cr_assert_str_eq(fake_leader(&w->store, "l1")->rec.seller_status, "APPROVAL_REQUIRED");
	cr_assert_eq(fake_leader(&w->store, "l3")->rec.reg, SELLER_REG_READY);
	cr_assert_eq(fake_leader(&w->store, "l2")->rec.reg, SELLER_REG_NONE);
	cr_assert_str_eq(fake_leader(&w->store, "l2")->rec.code, "INCOMPLETE");
	cr_assert_eq(fake_leader(&w->store, "l2")->rec.attempt, 0);
	cr_assert_eq(w->n_notes, 1);
	cr_assert_str_eq(w->notes[0], "l2 incomplete INCOMPLETE");
	/* every claim given back */
	for (size_t i = 0; i < w->store.db.n_leaders; i++)
		cr_assert_eq(w->store.db.leaders[i].claimed_until[0], '\0');
	/* again at once: nothing is due (the incomplete one waits recheck_s) */
	run(w, &rep);
	cr_assert_eq(w->reg.n_calls, 2);
	cr_assert_eq(rep.incomplete, 0);
	free(w);
}

/* A doubt is asked about by refSellerId first: not found → sent again
 * with the same key; found → recorded, never sent again. */
Test(app_payouts_register, in_doubt_looked_up_before_sending_again)
{
	struct world *w = world_new();
	struct seller_reg_report rep;

	fake_leader_add(&w->store, "l1", 1);
	fake_leader_add(&w->store, "l2", 1);
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, NULL, "TIMEOUT");
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, NULL, "CONNECTION_LOST");
	run(w, &rep);
	cr_assert_eq(rep.in_doubt, 2);
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.reg, SELLER_REG_IN_DOUBT);
	cr_assert_neq(fake_leader(&w->store, "l1")->rec.next_check_at[0], '\0');
	/* before the back-off: nothing is asked */
	run(w, &rep);
	cr_assert_eq(w->reg.n_calls, 2);
	later(w, 31);
	fake_seller_push(&w->reg, FAKE_SELLER_FIND, SELLER_OK, SELLER_ST_NOT_FOUND, NULL, "NOT_FOUND");
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_OK, SELLER_ST_APPROVAL_REQUIRED, "seller_1", NULL);
	fake_seller_push(&w->reg, FAKE_SELLER_FIND, SELLER_OK, SELLER_ST_APPROVED, "seller_2", NULL);
	run(w, &rep);
	cr_assert_eq(w->reg.unexpected, 0);
	cr_assert_eq(w->reg.calls[2].call, FAKE_SELLER_FIND);
	cr_assert_str_eq(w->reg.calls[2].ref, "l1");
	cr_assert_eq(w->reg.calls[3].call, FAKE_SELLER_REGISTER);
	cr_assert_str_eq(w->reg.calls[3].key, "seller-l1-1", "the same key: the same intent");
	cr_assert_eq(w->reg.calls[4].call, FAKE_SELLER_FIND);
	cr_assert_eq(w->reg.n_calls, 5, "l2 was found: never sent again");
	cr_assert_eq(rep.registered, 2);
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.reg, SELLER_REG_WAITING);
	cr_assert_eq(fake_leader(&w->store, "l2")->rec.reg, SELLER_REG_READY);
	cr_assert_str_eq(fake_leader(&w->store, "l2")->rec.seller_id, "seller_2");
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.attempt, 1);
	free(w);
}

/* A look-up that cannot tell keeps the doubt; a refusal is final and listed. */
Test(app_payouts_register, lookup_in_doubt_stays_refusal_final)
{
	struct world *w = world_new();
	struct seller_reg_report rep;

	fake_leader_add(&w->store, "l1", 1);
	fake_leader_add(&w->store, "l2", 1);
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, NULL, "HTTP_502");
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_REFUSED, SELLER_ST_UNKNOWN, NULL, "INVALID_BANK_ACCOUNT");
	run(w, &rep);
	cr_assert_eq(rep.refused, 1);
	cr_assert_eq(fake_leader(&w->store, "l2")->rec.reg, SELLER_REG_REFUSED);
	cr_assert_str_eq(fake_leader(&w->store, "l2")->rec.code, "INVALID_BANK_ACCOUNT");
	cr_assert_eq(w->n_notes, 2);
	cr_assert_str_eq(w->notes[1], "l2 refused INVALID_BANK_ACCOUNT");
	later(w, 31);
	fake_seller_push(&w->reg, FAKE_SELLER_FIND, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, NULL, "UNDECRYPTABLE_RESPONSE");
	run(w, &rep);
	cr_assert_eq(w->reg.n_calls, 3, "no register while the look-up is in doubt; nothing for the refused one");
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.reg, SELLER_REG_IN_DOUBT);
	cr_assert_eq(rep.in_doubt, 1);
	free(w);
}

/* Deadlocks: the claim unit and the outcome unit each retried; the counts,
 * the notes and the attempt number come out once. */
Test(app_payouts_register, retried_units_count_once)
{
	struct world *w = world_new();
	struct seller_reg_report rep;

	fake_leader_add(&w->store, "l1", 1);
	fake_leader_add(&w->store, "l2", 0);
	fake_seller_push(&w->reg, FAKE_SELLER_REGISTER, SELLER_REFUSED, SELLER_ST_UNKNOWN, NULL, "INVALID_REQUEST");
	w->uow.deadlocks = 2;                    /* the claim unit, twice */
	w->reg.arm = &w->uow.deadlocks;          /* and the outcome unit, after the call */
	w->reg.arm_value = 3;
	run(w, &rep);
	cr_assert_eq(rep.refused, 1);
	cr_assert_eq(rep.incomplete, 1);
	cr_assert_eq(w->n_notes, 2, "%zu notes", w->n_notes);
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.attempt, 1);
	cr_assert_eq(fake_seller_count(&w->reg, FAKE_SELLER_REGISTER), 1);
	cr_assert_geq(w->uow.rollbacks, 5);
	free(w);
}

/* A write failing inside the claim unit: nothing claimed, nothing intended. */
Test(app_payouts_register, failing_unit_leaves_nothing)
{
	struct world *w = world_new();
	struct seller_reg_report rep;
	struct settle_err err = {0};

	fake_leader_add(&w->store, "l1", 1);
	fake_leader_add(&w->store, "l2", 1);
	w->store.fail_write_in = 3; /* the claim, l1's intent, then l2's intent fails */
	cr_assert_eq(seller_register(&w->ctx, &rep, &err), -1);
	cr_assert(strstr(err.msg, "injected"), "%s", err.msg);
	cr_assert_eq(w->reg.n_calls, 0);
	for (size_t i = 0; i < w->store.db.n_leaders; i++) {
		cr_assert_eq(w->store.db.leaders[i].rec.reg, SELLER_REG_NONE);
		cr_assert_eq(w->store.db.leaders[i].rec.attempt, 0);
		cr_assert_eq(w->store.db.leaders[i].claimed_until[0], '\0');
	}
	free(w);
}

/* WAITING sellers are asked about every recheck_s: approved → READY; a
 * seller Toss no longer has is listed. */
Test(app_payouts_register, waiting_sellers_refreshed)
{
	struct world *w = world_new();
	struct seller_reg_report rep;
	struct fake_leader_row *a = fake_leader_add(&w->store, "l1", 1), *b = fake_leader_add(&w->store, "l2", 1);

	a->rec.reg = b->rec.reg = SELLER_REG_WAITING;
	snprintf(a->rec.seller_id, sizeof a->rec.seller_id, "seller_a");
	snprintf(b->rec.seller_id, sizeof b->rec.seller_id, "seller_b");
	fake_seller_push(&w->reg, FAKE_SELLER_STATUS, SELLER_OK, SELLER_ST_APPROVED, "seller_a", NULL);
	fake_seller_push(&w->reg, FAKE_SELLER_STATUS, SELLER_OK, SELLER_ST_NOT_FOUND, NULL, "NOT_FOUND");
	run(w, &rep);
	cr_assert_eq(rep.refreshed, 2);
	cr_assert_eq(rep.ready, 1);
	cr_assert_eq(rep.not_found, 1);
	cr_assert_str_eq(w->reg.calls[0].seller_id, "seller_a");
	cr_assert_eq(fake_leader(&w->store, "l1")->rec.reg, SELLER_REG_READY);
	cr_assert_str_eq(fake_leader(&w->store, "l1")->rec.seller_status, "APPROVED");
	cr_assert_eq(fake_leader(&w->store, "l2")->rec.reg, SELLER_REG_WAITING);
	cr_assert_str_eq(fake_leader(&w->store, "l2")->rec.code, "SELLER_NOT_FOUND");
	cr_assert_str_eq(w->notes[0], "l2 seller not found NOT_FOUND");
	/* not again before recheck_s; the READY one never again */
	run(w, &rep);
	cr_assert_eq(w->reg.n_calls, 2);
	later(w, 301);
	fake_seller_push(&w->reg, FAKE_SELLER_STATUS, SELLER_OK, SELLER_ST_KYC_REQUIRED, "seller_b", NULL);
	run(w, &rep);
	cr_assert_eq(w->reg.n_calls, 3);
	cr_assert_str_eq(fake_leader(&w->store, "l2")->rec.seller_status, "KYC_REQUIRED");
	free(w);
}
