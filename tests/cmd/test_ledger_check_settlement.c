/*
 * ledger-check's settlement invariants (issue 9 §8): a settlement whose
 * split breaks the rules, a payout whose gross is not what it carries, and
 * a leader's payable that the business rows do not explain are each found
 * and named, with exit 65.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[escrow]\nhold_days = 7\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_ledger_check_settlement, .init = setup, .fini = teardown, .timeout = 60);

static void settled(void)
{
	char o[80], path[512];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run_program(&f.t, (const char *[]){"escrow-release", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&f.t,
		    (const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path),
				     NULL},
		    NULL, &r);
	run_program(&f.t, (const char *[]){"settle-run", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_ledger_ok(&f);
}

static void broken(const char *sql, const char *check, const char *needle)
{
	struct run_result r;

	cr_assert_eq(testdb_sql(&f.t, sql), 0u, "%s", sql);
	run_program(&f.t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s: %d %s %s", check, r.status, r.out, r.err);
	cr_assert(strstr(r.out, check) && strstr(r.out, needle), "%s: %s", check, r.out);
}

Test(cmd_ledger_check_settlement, split_rules)
{
	settled();
	broken("UPDATE settlements SET fee_bps = 1000", "settlement", "split does not follow the rules");
}

Test(cmd_ledger_check_settlement, payout_carries_its_gross)
{
	settled();
	broken("UPDATE payouts SET gross = gross + 10, amount = amount + 10", "payout", "but its items carry");
}

Test(cmd_ledger_check_settlement, leader_payable_explained)
{
	char sql[512];

	settled();
	/* a balanced entry nobody can explain: the leader is owed less */
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) "
				      "VALUES ('manual:x', 'manual', 'x', UTC_TIMESTAMP(6))"),
		     0u);
	snprintf(sql, sizeof sql,
		 "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, 'leader_payable:leader-kim', 100, 'KRW' "
		 "FROM journal_entries WHERE entry_key = 'manual:x' UNION ALL SELECT id, 'pg_clearing', -100, 'KRW' "
		 "FROM journal_entries WHERE entry_key = 'manual:x'");
	broken(sql, "leader_payable", "leader_payable:leader-kim");
}
