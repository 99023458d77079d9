/*
 * settle-run against the real database: released money settles per pod
 * (fee floor(total × 20 %), VAT inside the fee, leader share the rest),
 * each leader gets one payout with withholding for individuals only, a
 * leader without an account gets a HELD payout, a second run settles
 * nothing twice, --dry-run commits nothing, four runners at once give
 * the same result as one, and the ledger stays clean.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	/* one leader per unit, so the kill test sees a unit boundary */
	payfix_setup(&f, "[escrow]\nhold_days = 7\n[settlement]\nbatch = 1\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_settle_run, .init = setup, .fini = teardown, .timeout = 60);

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static void load_leaders(void)
{
	char path[512];
	struct run_result r;

	run(( const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path),
			      NULL},
	    &r);
	cr_assert_eq(r.status, 0, "load-leaders: %s", r.err);
}

/* Pays, completes every pod 10 days ago and releases. */
static void released_world(void)
{
	char o[80];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o); /* leader-kim, INDIVIDUAL, 50 000 */
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);  /* leader-lee, INDIVIDUAL_BUSINESS, 30 000 */
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o); /* leader-park, CORPORATE, 70 000 */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "release: %s", r.err);
}

static int64_t balance(const char *account)
{
	return pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = '%s'", account);
}

/* Every table settle-run writes, as one string. */
static void digest(char *out, size_t len)
{
	pf_string(&f, out, len,
		  "SELECT CONCAT((SELECT COUNT(*) FROM journal_entries), '/', (SELECT COUNT(*) FROM postings), '/', "
		  "(SELECT COUNT(*) FROM settlements), '/', (SELECT COUNT(*) FROM payouts), '/', "
		  "(SELECT COUNT(*) FROM payout_items), '/', "
		  "(SELECT COALESCE(GROUP_CONCAT(CONCAT(id, ':', COALESCE(settlement_id, '-')) ORDER BY id), '') FROM escrows))");
}

Test(cmd_settle_run, splits_pays_and_withholds)
{
	struct run_result r;
	char st[32];

	released_world();
	load_leaders();
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "made 3 settlement(s): total 200000, fee 40000"), "%s", r.out);
	/* the run is on record: host, pid, times, counts, outcome */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs WHERE job = 'settle-run' AND status = 'DONE' "
				  "AND counts LIKE 'leaders=3 settlements=3 payouts=3%%' AND host IS NOT NULL AND pid > 0 "
				  "AND finished_at >= started_at"),
		     1);

	/* leader-kim: 100 000 → fee 20 000 (supply 18 181, VAT 1 819), share 80 000 */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements WHERE pod_id = 'pod-algo-101' AND total = 100000 "
				  "AND fee = 20000 AND supply = 18181 AND vat = 1819 AND leader_share = 80000"),
		     1);
	/* individual: 3 % + 10 % of it, each cut to ₩10: 2 400 + 240 */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-kim' AND gross = 80000 "
				  "AND income_tax = 2400 AND local_tax = 240 AND amount = 77360 AND status = 'PENDING'"),
		     1);
	/* businesses are not withheld */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-lee' AND gross = 24000 "
				  "AND withholding = 0 AND amount = 24000"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-park' AND gross = 56000 "
				  "AND withholding = 0"),
		     1);
	cr_assert_eq(balance("leader_payable:leader-kim"), -77360);
	cr_assert_eq(balance("withholding_payable"), -2640);
	cr_assert_eq(balance("platform_revenue"), -(18181 + 5454 + 12727));
	cr_assert_eq(balance("vat_payable"), -(1819 + 546 + 1273));
	cr_assert_eq(balance("released:pod-algo-101"), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE settlement_id IS NULL"), 0);
	pf_ledger_ok(&f);

	/* a second run settles nothing twice and pays nothing twice */
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "made 0 settlement(s)") && strstr(r.out, "0 payout(s)"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 3);
	cr_assert_str_eq(pf_string(&f, st, sizeof st, "SELECT COUNT(*) FROM settlements"), "3");
	pf_ledger_ok(&f);
}

Test(cmd_settle_run, unknown_leaders_wait_and_held_without_account)
{
	struct run_result r;

	released_world();
	/* no leaders loaded: nothing settles, and it says why */
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "3 pod(s) of 3 leader(s) unknown to settle"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 0);
	load_leaders();
	/* leader-kim has no account on file yet: the payout waits, HELD */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET account_enc = NULL, bank_code = NULL, account_last4 = NULL "
				      "WHERE leader_id = 'leader-kim'"),
		     0u);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-kim' AND status = 'HELD'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PENDING'"), 2);
	pf_ledger_ok(&f);
}

Test(cmd_settle_run, dry_run_and_named_pods)
{
	struct run_result r;
	char before[2048], after[2048], whole[8192];

	released_world();
	load_leaders();
	digest(before, sizeof before);
	testdb_fingerprint(&f.t, whole, sizeof whole);
	run((const char *[]){"settle-run", "--dry-run", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"settlements\":3") && strstr(r.out, "\"withholding\":2640"), "%s", r.out);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after, "--dry-run changed the database");
	testdb_assert_unchanged(&f.t, whole, "settle-run --dry-run");

	run((const char *[]){"settle-run", "--pod", "bad pod", NULL}, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(pf_one_error(r.err, "settle-run"), "%s", r.err);
	run((const char *[]){"settle-run", "stray", NULL}, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	run((const char *[]){"settle-run", "--pod", "pod-nope-9", NULL}, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "unknown pod pod-nope-9"), "%s", r.err);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);

	/* the admin's "execute settlement" of one pod */
	run((const char *[]){"settle-run", "--pod", "pod-sql-201", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements WHERE pod_id = 'pod-sql-201'"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_settle_run, four_runners_equal_one)
{
	struct run_result r;
	int pids[4];
	char o[80];

	/* more leaders and pods than runners */
	for (int i = 0; i < 3; i++) {
		char user[32];

		snprintf(user, sizeof user, "user-p%d", i);
		pf_paid(&f, "pod-algo-101", user, NULL, o, sizeof o);
		pf_paid(&f, "pod-sql-201", user, NULL, o, sizeof o);
		pf_paid(&f, "pod-rust-301", user, NULL, o, sizeof o);
	}
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	load_leaders();
	for (int i = 0; i < 4; i++)
		pids[i] = pf_spawn(&f, (const char *[]){"settle-run", NULL}, NULL);
	for (int i = 0; i < 4; i++) {
		char err[4096];

		cr_assert_eq(pf_wait(pids[i], err, sizeof err), 0, "runner %d: %s", i, err);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 3);
	cr_assert_eq(pf_count(&f, "SELECT SUM(total) FROM settlements"), 3 * (50000 + 30000 + 70000));
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payout_items WHERE live = 1"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'settlement'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT SUM(withholding) FROM payouts"), 3600 + 360);
	pf_ledger_ok(&f);
}

Test(cmd_settle_run, killed_then_rerun)
{
	struct run_result r;

	released_world();
	load_leaders();
	run_program(&f.t, (const char *[]){"settle-run", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=settle.after_leader", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 1);
	pf_ledger_ok(&f);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 3);
	pf_ledger_ok(&f);
}

/* Dated rates that overlap or leave a gap, and an unknown channel, are
 * configuration errors (78) named with the file, before anything runs. */
Test(cmd_settle_run, bad_payout_config)
{
	static const struct {
		const char *conf, *why;
	} bad[] = {
		{"[payout]\nrates = 2019-01-01..2026-12-31 300 1000; 2026-06-01.. 300 1000\n", "overlap"},
		{"[payout]\nrates = 2019-01-01..2026-12-31 300 1000; 2027-02-01.. 300 1000\n", "a gap"},
		{"[payout]\nchannel = carrier-pigeon\n", "is not one of toss-payouts, bulk-file"},
		{"[settlement]\nfee_bps = 10001\n", "fee_bps"},
	};
	char base[2048];
	struct run_result r;

	snprintf(base, sizeof base, "%s", f.t.extra_conf);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(f.t.extra_conf, sizeof f.t.extra_conf, "%s%s", base, bad[i].conf);
		testdb_write_config(&f.t);
		run((const char *[]){"settle-run", NULL}, &r);
		cr_assert_eq(r.status, 78, "case %zu: %d %s", i, r.status, r.err);
		cr_assert(strstr(r.err, bad[i].why), "case %zu: %s", i, r.err);
		cr_assert(pf_one_error(r.err, "settle-run"), "case %zu: %s", i, r.err);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs"), 0);
}
