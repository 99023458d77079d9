/*
 * settle-run's set-based units of work: many leaders per unit (here 256),
 * one leader whose 1 100 pods cross the adapter's 1 000-row statement
 * chunks, and the rules still hold row by row — every settlement is the
 * split of exactly the escrows it took, every escrow is taken once, each
 * leader gets one payout carrying all of their settlements, a second run
 * does nothing, and the ledger is clean.
 *
 * The world is the benchmark's generator (scripts/bench-settlement-gen.sql)
 * at 12 000 payments: 1 200 pods, 600 leaders.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[escrow]\nhold_days = 7\nbatch = 5000\n[settlement]\nbatch = 256\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_settle_run_units, .init = setup, .fini = teardown, .timeout = 60);

/* Sources the generator statement by statement on the test's connection
 * (its session variables carry from one statement to the next). */
static void generate(int payments)
{
	char path[512], *sql, *stmt, *save = NULL, set[64];
	FILE *fp = fopen(test_repo_file("scripts/bench-settlement-gen.sql", path, sizeof path), "r");
	size_t len = 0, cap = 1 << 16;
	char line[4096];

	cr_assert(fp, "no generator at %s", path);
	sql = calloc(1, cap);
	cr_assert(sql);
	while (fgets(line, sizeof line, fp)) {
		size_t n = strlen(line);

		if (!strncmp(line, "--", 2))
			continue; /* comments hold semicolons */
		cr_assert(len + n < cap, "generator larger than the test's buffer");
		memcpy(sql + len, line, n + 1);
		len += n;
	}
	fclose(fp);
	snprintf(set, sizeof set, "SET @n = %d, @enc = UNHEX('00')", payments);
	cr_assert_eq(testdb_sql(&f.t, set), 0u);
	for (stmt = strtok_r(sql, ";", &save); stmt; stmt = strtok_r(NULL, ";", &save)) {
		if (strspn(stmt, " \t\n") == strlen(stmt))
			continue;
		cr_assert_eq(testdb_sql(&f.t, stmt), 0u, "generator statement failed: %.200s", stmt);
	}
	free(sql);
}

Test(cmd_settle_run_units, many_leaders_per_unit_and_chunks)
{
	struct run_result r;

	generate(12000);
	/* leader 1 takes 1 100 pods: one unit, more than one statement chunk */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET leader_id = 'bl-0000001' WHERE pod_id <= 'bp-0001100'"), 0u);
	run_program(&f.t, (const char *[]){"escrow-release", "-q", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "release: %s", r.err);
	run_program(&f.t, (const char *[]){"settle-run", "-q", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "settle-run: %s", r.err);

	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 1200);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements WHERE leader_id = 'bl-0000001'"), 1100);
	/* each settlement is the split of exactly the escrows tied to it */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements s WHERE s.total <> (SELECT SUM(e.released_amount) "
				  "FROM escrows e WHERE e.settlement_id = s.id AND e.pod_id = s.pod_id) "
				  "OR s.fee <> FLOOR(s.total * s.fee_bps / 10000) OR s.supply <> FLOOR(s.fee * 10 / 11) "
				  "OR s.vat <> s.fee - s.supply OR s.leader_share <> s.total - s.fee"),
		     0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED' AND settlement_id IS NULL"), 0);
	/* one payout a leader with pods (1 + the 50 leaders of the last 100 pods), carrying all of them */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 51);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payout_items WHERE live = 1"), 1200);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts p WHERE p.gross <> (SELECT SUM(s.leader_share) "
				  "FROM settlements s JOIN payout_items i ON i.item_kind = 'SETTLEMENT' AND i.item_id = s.id "
				  "WHERE i.payout_id = p.id) OR p.amount <> p.gross - p.withholding"),
		     0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'settlement'"), 1200);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs WHERE job = 'settle-run' AND status = 'DONE' "
				  "AND counts LIKE 'leaders=51 settlements=1200 payouts=51%%'"),
		     1);
	pf_ledger_ok(&f);

	run_program(&f.t, (const char *[]){"settle-run", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "made 0 settlement(s)"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 51);
}
