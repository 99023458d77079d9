/* fake_world.c — every fake wired into one struct pay_ctx, and the few
 * conveniences the app tests share. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fakes.h"

struct fake_world *fake_world_new(void)
{
	struct fake_world *fw = calloc(1, sizeof *fw);

	cr_assert_not_null(fw);
	fw->uow.store = &fw->store;
	fw->clock.now_us = FAKE_T0_US;
	fake_pg_init(&fw->pg[0], "alpha");
	fake_pg_init(&fw->pg[1], "beta");
	fw->dir = (struct fake_pg_directory){fw->pg, FAKE_MAX_PGS};
	fake_study_init(&fw->study);
	fake_study_pod(&fw->study, "pod-1", 50000, 10, 0, "OPEN");

	fake_uow_port(&fw->uow_port, &fw->uow);
	fake_payments_repo(&fw->payments, &fw->store);
	fake_refunds_repo(&fw->refunds, &fw->store);
	fake_escrows_repo(&fw->escrows, &fw->store);
	fake_participation_repo(&fw->participation, &fw->store);
	fake_pods_repo(&fw->pods, &fw->store);
	fake_ledger_repo(&fw->ledger, &fw->store);
	fake_breaker_repo(&fw->breaker, &fw->store);
	fake_claims(&fw->claims, &fw->store);
	fake_payment_queries(&fw->queries, &fw->store);
	fake_clock_port(&fw->clock_port, &fw->clock);
	fake_pg_directory_port(&fw->pg_dir, &fw->dir);
	fake_study_port(&fw->study_port, &fw->study);
	fake_outbox(&fw->outbox, &fw->store);
	fake_disputes_repo(&fw->disputes, &fw->store);
	fake_amount_refusals(&fw->refusals, &fw->store);

	fw->ctx.r = (struct pay_repos){&fw->uow_port,     &fw->payments, &fw->refunds, &fw->escrows,
				       &fw->participation, &fw->pods,     &fw->ledger,  &fw->breaker,
				       &fw->claims,        &fw->queries,  NULL /* no settlements in these tests */, &fw->disputes,
				       &fw->outbox,        &fw->refusals};
	fw->ctx.study = &fw->study_port;
	fw->ctx.clock = &fw->clock_port;
	fw->ctx.pgs = &fw->pg_dir;
	fw->ctx.actor = "test";
	fw->ctx.owner = "test-host:1:me";
	pay_settings_default(&fw->ctx.set);
	snprintf(fw->ctx.set.default_pg, sizeof fw->ctx.set.default_pg, "alpha");
	snprintf(fw->ctx.set.fallback_pg, sizeof fw->ctx.set.fallback_pg, "beta");
	fw->ctx.set.sweep_concurrency = 1; /* scripted answers are taken in order */
	return fw;
}

void fake_world_free(struct fake_world *fw)
{
	if (!fw)
		return;
	for (size_t i = 0; i < FAKE_MAX_PGS; i++)
		fake_pg_destroy(&fw->pg[i]);
	fake_study_destroy(&fw->study);
	free(fw);
}

void fake_world_advance(struct fake_world *fw, int64_t seconds)
{
	__atomic_add_fetch(&fw->clock.now_us, seconds * 1000000, __ATOMIC_SEQ_CST);
}

void fake_world_order(struct fake_world *fw, const char *pod_id, const char *user_id, struct payment_rec *out)
{
	struct settle_err err = {0};
	int existing = -1;

	cr_assert_eq(pay_order(&fw->ctx, pod_id, user_id, NULL, NULL, out, &existing, &err), 0, "order: %s",
		     err.msg);
	cr_assert_eq(out->status, PAY_PENDING);
}

void fake_world_captured(struct fake_world *fw, const char *pod_id, const char *user_id, const char *payment_key,
			 struct payment_rec *out)
{
	struct settle_err err = {0};
	struct payment_rec p;
	char amount[32];
	struct fake_pg *pg;

	fake_world_order(fw, pod_id, user_id, &p);
	pg = &fw->pg[fw->pg_dir.find(fw->pg_dir.self, p.pg)];
	fake_pg_push_ok(pg, FAKE_PG_CONFIRM, PG_ST_DONE, p.amount, p.amount);
	snprintf(amount, sizeof amount, "%lld", (long long)p.amount);
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, payment_key, amount, out, &err), 0, "capture: %s", err.msg);
	cr_assert_eq(out->status, PAY_COMPLETED);
}

struct payment_rec fake_world_payment(struct fake_world *fw, int64_t id)
{
	struct payment_rec p;
	const struct fake_payment_row *row = fake_payment_row(&fw->store, id);

	cr_assert_not_null(row, "payment %lld", (long long)id);
	fake_payment_view(&fw->store, row, &p);
	return p;
}

struct refund_rec fake_world_refund(struct fake_world *fw, int64_t id)
{
	const struct fake_refund_row *row = fake_refund_row(&fw->store, id);

	cr_assert_not_null(row, "refund %lld", (long long)id);
	return row->rec;
}

const struct fake_entry_row *fake_world_entry(struct fake_world *fw, const char *key)
{
	for (size_t i = 0; i < fw->store.db.n_entries; i++)
		if (!strcmp(fw->store.db.entries[i].key, key))
			return &fw->store.db.entries[i];
	return NULL;
}

int64_t fake_world_balance(struct fake_world *fw, const char *account)
{
	int64_t sum = 0;

	for (size_t i = 0; i < fw->store.db.n_entries; i++) {
		const struct journal_entry *e = &fw->store.db.entries[i].entry;

		for (size_t k = 0; k < e->n; k++)
			if (!strcmp(e->postings[k].account, account))
				sum += e->postings[k].amount;
	}
	return sum;
}

int fake_world_ledger_ok(struct fake_world *fw, struct settle_err *err)
{
	for (size_t i = 0; i < fw->store.db.n_entries; i++)
		if (journal_check(&fw->store.db.entries[i].entry, err) < 0)
			return -1;
	return 0;
}
