/*
 * settle-run when runners on other Galera nodes take its units: a unit lost
 * at certification (1213) is retried from a random place among the leaders
 * (domain/walk.h). Whatever the jumps, every pod is settled exactly once and
 * every leader gets one payout. Losses are injected by a unit of work around
 * the real one, on the real database.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "app/escrow/escrow.h"
#include "app/settlement/settlement.h"
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

TestSuite(app_settlement_run_lost_units, .init = setup, .fini = teardown, .timeout = 120);

static void world(void)
{
	struct uow_port uow;
	struct release_repo repo;
	struct ledger_repo ledger;
	struct release_opts o = {0};
	struct release_report rep;
	struct settle_err err = {0};

	cr_assert_eq(testdb_sql(&t, "INSERT INTO leaders (leader_id, name, kind, business_number, email, bank_code, "
				    "account_enc, account_last4, holder_name, created_at, updated_at) SELECT "
				    "CONCAT('leader-', seq), 'L', 'CORPORATE', '1234567890', 'l@example.com', '004', "
				    "UNHEX('00'), '1234', 'L', '2026-01-01', '2026-01-01' FROM seq_1_to_12"),
		     0u);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, "
				    "starts_on, ends_on, completed_at, refreshed_at) SELECT CONCAT('pod-', seq), "
				    "CONCAT('leader-', 1 + seq % 12), 'P', 10000, 'KRW', 50, 'COMPLETED', '2026-01-01', "
				    "'2026-02-01', '2026-02-01', '2026-02-01' FROM seq_1_to_36"),
		     0u);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, "
				    "pg, status, created_at, updated_at) SELECT CONCAT('pay_', seq), CONCAT('ord-', seq), "
				    "CONCAT('pod-', 1 + seq % 36), CONCAT('u', seq), 10000, 'KRW', 'CARD', 'toss', "
				    "'COMPLETED', '2026-01-01', '2026-01-01' FROM seq_1_to_360"),
		     0u);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO escrows (public_id, payment_id, pod_id, amount, refunded_amount, "
				    "currency, status, held_at, updated_at) SELECT CONCAT('esc_', id), id, pod_id, 10000, 0, "
				    "'KRW', 'HOLDING', '2026-01-01', '2026-01-01' FROM payments"),
		     0u);
	mysql_uow(&uow, t.db);
	mysql_release_repo(&repo, t.db);
	mysql_ledger_repo(&ledger, t.db);
	struct escrow_ctx ec = {&uow, &repo, &ledger, clock_system(), "test", 7, 100, NULL};
	cr_assert_eq(escrow_release_run(&ec, &o, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.escrows, 360);
}

static void settle_losing_every(int lose_every)
{
	struct losing_uow l;
	struct settlement_repo settlements;
	struct payouts_repo payouts;
	struct ledger_repo ledger;
	struct outbox_port outbox;
	struct settle_opts o = {0};
	struct settle_report rep;
	struct settle_err err = {0};

	world();
	losing_uow_init(&l, t.db, "SELECT COUNT(*) FROM settlements", lose_every);
	mysql_settlement_repo(&settlements, t.db);
	mysql_payouts_repo(&payouts, t.db);
	mysql_ledger_repo(&ledger, t.db);
	mysql_outbox(&outbox, t.db);
	struct settle_ctx c = {.uow = &l.port, .settlements = &settlements, .payouts = &payouts, .ledger = &ledger,
			       .outbox = &outbox, .clock = clock_system(), .actor = "test", .fee_bps = 2000,
			       .leaders_per_unit = 2, .payout_minimum = 0, .channel = "bulk-file",
			       .channel_needs_account = 1};

	rates_default(&c.rates);
	cr_assert_eq(settle_run(&c, &o, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_gt(l.lost, 1, "only %d units lost", l.lost);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM settlements"), 36);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(DISTINCT pod_id) FROM settlements"), 36);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM settlements WHERE total = 100000"), 36);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM payouts"), 12);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(DISTINCT leader_id) FROM payouts"), 12);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM escrows WHERE settlement_id IS NULL"), 0);
	/* every released account emptied into its settlement, once */
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM (SELECT account FROM postings WHERE account LIKE 'released:%' "
				      "GROUP BY account HAVING SUM(amount) <> 0) x"),
		     0);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'settlement'"), 36);
}

Test(app_settlement_run_lost_units, every_pod_once_when_every_third_unit_is_lost)
{
	settle_losing_every(3);
}

Test(app_settlement_run_lost_units, every_pod_once_when_every_other_unit_is_lost)
{
	settle_losing_every(2);
}
