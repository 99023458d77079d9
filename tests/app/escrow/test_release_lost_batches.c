/*
 * escrow-release when other runners take its batches: on a Galera cluster
 * runners do not see each other's row locks, so a runner's batch is lost
 * at certification (1213) and retried. The retried unit jumps elsewhere in
 * the backlog (domain/walk.h); whatever the jumps, every due escrow is
 * released exactly once, with its entry. The losses are injected by a unit
 * of work around the real one (the real database underneath). The
 * leaders' notices go with their units: what is kept adds up per pod.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "app/escrow/escrow.h"
#include "lib/losing_uow.h"
#include "lib/testdb.h"

static struct testdb t;

static void setup(void)
{
	testdb_create(&t);
}

static void teardown(void)
{
	testdb_drop(&t);
}

TestSuite(app_escrow_release_lost_batches, .init = setup, .fini = teardown, .timeout = 120);

static void world(int n_escrows)
{
	char sql[600];

	cr_assert_eq(testdb_sql(&t, "INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, "
				    "starts_on, ends_on, completed_at, refreshed_at) SELECT CONCAT('pod-', seq), 'leader-x', "
				    "'P', 100, 'KRW', 5000, 'COMPLETED', '2026-01-01', '2026-02-01', '2026-02-01', "
				    "'2026-02-01' FROM seq_1_to_20"),
		     0u);
	snprintf(sql, sizeof sql,
		 "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, status, "
		 "created_at, updated_at) SELECT CONCAT('pay_', seq), CONCAT('ord-', seq), CONCAT('pod-', 1 + seq %% 20), "
		 "CONCAT('u', seq), 100, 'KRW', 'CARD', 'toss', 'COMPLETED', '2026-01-01', '2026-01-01' "
		 "FROM seq_1_to_%d",
		 n_escrows);
	cr_assert_eq(testdb_sql(&t, sql), 0u);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO escrows (public_id, payment_id, pod_id, amount, refunded_amount, "
				    "currency, status, held_at, updated_at) SELECT CONCAT('esc_', id), id, pod_id, 100, 0, "
				    "'KRW', 'HOLDING', '2026-01-01', '2026-01-01' FROM payments"),
		     0u);
}

static void release_losing_every(int lose_every)
{
	struct losing_uow l;
	struct release_repo repo;
	struct ledger_repo ledger;
	struct outbox_port outbox;
	struct release_opts o = {0};
	struct release_report rep;
	struct settle_err err = {0};

	world(1000);
	losing_uow_init(&l, t.db, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'", lose_every);
	mysql_release_repo(&repo, t.db);
	mysql_ledger_repo(&ledger, t.db);
	mysql_outbox(&outbox, t.db);
	struct escrow_ctx c = {&l.port, &repo, &ledger, clock_system(), "test", 7, 37, &outbox};

	cr_assert_eq(escrow_release_run(&c, &o, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_gt(l.lost, 3, "only %d batches lost", l.lost);
	cr_assert_eq(rep.escrows, 1000, "released %lld", (long long)rep.escrows);
	cr_assert_eq(rep.total, 100000);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED' AND released_amount = 100"),
		     1000);
	/* one release entry per escrow, each exactly once */
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'"), 1000);
	/* each pod's released account holds exactly its escrows (50 of 100) */
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM (SELECT account FROM postings WHERE account LIKE 'released:%' "
				      "GROUP BY account HAVING -SUM(amount) = 5000) x"),
		     20);
	cr_assert_eq(testdb_count(&t, "SELECT COALESCE(SUM(amount), 0) FROM postings"), 0);
	/* the leaders' notices (issue 14): a lost unit's went with it; those
	 * kept add up to each pod's escrows, none twice */
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM (SELECT JSON_VALUE(facts, '$.pod') AS pod, "
				      "SUM(JSON_VALUE(facts, '$.amount')) AS s, SUM(JSON_VALUE(facts, '$.participants')) AS k "
				      "FROM notifications WHERE template = 'escrow.released' GROUP BY pod "
				      "HAVING s = 5000 AND k = 50) x"),
		     20);
}

Test(app_escrow_release_lost_batches, every_escrow_once_when_every_third_batch_is_lost)
{
	release_losing_every(3);
}

Test(app_escrow_release_lost_batches, every_escrow_once_when_every_other_batch_is_lost)
{
	release_losing_every(2);
}
