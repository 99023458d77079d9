/*
 * escrow-release against the real database: completed pods past their
 * hold are released (escrow:{pod} → released:{pod}, one entry each), once;
 * pods inside the hold, disputed escrows and escrows with a refund in
 * flight wait; named pods that cannot be released are refused with the
 * reason and nothing changes; --dry-run commits nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[escrow]\nhold_days = 7\nbatch = 2\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_escrow_release, .init = setup, .fini = teardown, .timeout = 60);

/* Completes a pod in settle's pods table days_ago days ago (UTC now). */
static void complete(const char *pod, int days_ago)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL %d DAY WHERE pod_id = '%s'",
		 days_ago, pod);
	cr_assert_eq(testdb_sql(&f.t, sql), 0u, "%s", sql);
}

static void release(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static int64_t released_balance(const char *pod)
{
	return pf_count(&f, "SELECT COALESCE(-SUM(amount), 0) FROM postings WHERE account = 'released:%s'", pod);
}

/* A digest of every row of the tables release touches. */
static void digest(char *out, size_t len)
{
	pf_string(&f, out, len,
		  "SELECT CONCAT((SELECT COUNT(*) FROM journal_entries), '/', (SELECT COUNT(*) FROM postings), '/', "
		  "(SELECT GROUP_CONCAT(CONCAT(id, status, released_amount, COALESCE(released_at, '')) ORDER BY id) "
		  "FROM escrows))");
}

Test(cmd_escrow_release, releases_completed_pods_once)
{
	char o1[80], o2[80], o3[80], o4[80];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o2, sizeof o2);
	pf_paid(&f, "pod-algo-101", "user-c", NULL, o3, sizeof o3);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o4, sizeof o4);
	complete("pod-algo-101", 8);
	complete("pod-sql-201", 2); /* inside its hold */

	release((const char *[]){"escrow-release", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "\"escrows\":3") && strstr(r.out, "\"total\":150000"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE pod_id = 'pod-algo-101' AND status = 'RELEASED'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE pod_id = 'pod-sql-201' AND status = 'HOLDING'"), 1);
	cr_assert_eq(released_balance("pod-algo-101"), 150000);
	cr_assert_eq(pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = 'escrow:pod-algo-101'"), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'"), 3);
	pf_ledger_ok(&f);

	/* a second run releases nothing */
	release((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "released 0 escrow(s)"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'"), 3);
	pf_ledger_ok(&f);
}

Test(cmd_escrow_release, named_pods_refused_with_reason)
{
	static const struct {
		const char *pod, *why;
	} bad[] = {
		{"pod-nope-999", "unknown pod pod-nope-999"},
		{"pod-rust-301", "is not completed"},
		{"pod-sql-201", "inside its hold of 7 days"},
	};
	char o1[80], o2[80], before[4096], after[4096];
	struct run_result r;

	pf_paid(&f, "pod-sql-201", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-a", NULL, o2, sizeof o2);
	complete("pod-sql-201", 1);
	complete("pod-algo-101", 30);
	/* settle knows pod-rust-301 from the fixtures, not completed */
	run_program(&f.t, (const char *[]){"pay-order", "--pod", "pod-rust-301", "--user", "user-z", NULL}, NULL, &r);
	digest(before, sizeof before);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* a good pod beside a bad one: all or nothing */
		release((const char *[]){"escrow-release", "--pod", "pod-algo-101", "--pod", bad[i].pod, NULL}, &r);
		cr_assert_eq(r.status, 65, "%s: %d %s", bad[i].pod, r.status, r.err);
		cr_assert(strstr(r.err, bad[i].why), "%s: %s", bad[i].pod, r.err);
		cr_assert(pf_one_error(r.err, "escrow-release"), "%s", r.err);
		digest(after, sizeof after);
		cr_assert_str_eq(before, after, "%s changed something", bad[i].pod);
	}
	/* usage errors */
	release((const char *[]){"escrow-release", "--now", NULL}, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	release((const char *[]){"escrow-release", "stray", NULL}, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	release((const char *[]){"escrow-release", "--pod", "bad pod!", NULL}, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after);

	/* an operator's --now releases inside the hold */
	release((const char *[]){"escrow-release", "--pod", "pod-sql-201", "--now", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(released_balance("pod-sql-201"), 30000);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE pod_id = 'pod-algo-101' AND status = 'HOLDING'"), 1,
		     "--pod released another pod");
	pf_ledger_ok(&f);
}

Test(cmd_escrow_release, disputed_and_refunding_escrows_wait)
{
	char o1[80], o2[80], o3[80], pay[64];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o2, sizeof o2);
	pf_paid(&f, "pod-algo-101", "user-c", NULL, o3, sizeof o3);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE escrows SET status = 'DISPUTED' WHERE id = (SELECT MIN(id) FROM escrows)"), 0u);
	/* a refund in doubt on the second payment */
	pf_payment_id(&f, o2, pay, sizeof pay);
	pf_fault(&f, "{\"fault\":\"http500\",\"op\":\"cancel\"}");
	run_program(&f.t, (const char *[]){"pay-refund", pay, "--amount", "1000", "--reason", "test", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	complete("pod-algo-101", 10);

	release((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 1);
	cr_assert_eq(released_balance("pod-algo-101"), 50000);
	pf_ledger_ok(&f);

	/* the refund lands: then its escrow is released, less the refund */
	pf_clear_faults(&f);
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	release((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(released_balance("pod-algo-101"), 50000 + 49000);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'DISPUTED'"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_escrow_release, dry_run_commits_nothing)
{
	char o1[80], o2[80], o3[80], before[4096], after[4096], whole[8192];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o2, sizeof o2);
	pf_paid(&f, "pod-algo-101", "user-c", NULL, o3, sizeof o3);
	complete("pod-algo-101", 9);
	digest(before, sizeof before);
	testdb_fingerprint(&f.t, whole, sizeof whole);
	/* three escrows over batches of two: the listing pages */
	release((const char *[]){"escrow-release", "--dry-run", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"dryRun\":true") && strstr(r.out, "\"escrows\":3") &&
			  strstr(r.out, "\"total\":150000"),
		  "%s", r.out);
	digest(after, sizeof after);
	cr_assert_str_eq(before, after, "--dry-run changed the database");
	testdb_assert_unchanged(&f.t, whole, "escrow-release --dry-run");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs"), 0, "a dry run left a job_runs row");
	release((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(released_balance("pod-algo-101"), 150000);
	pf_ledger_ok(&f);
}

/* Killed after a committed batch: the re-run finishes, nothing twice. A
 * unit takes the rest of its pods' escrows with its batch, so the three
 * escrows are of three pods: the first unit (batch = 2) releases two. */
Test(cmd_escrow_release, killed_then_rerun)
{
	char o1[80], o2[80], o3[80];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-sql-201", "user-b", NULL, o2, sizeof o2);
	pf_paid(&f, "pod-rust-301", "user-c", NULL, o3, sizeof o3);
	complete("pod-algo-101", 9);
	complete("pod-sql-201", 9);
	complete("pod-rust-301", 9);
	run_program(&f.t, (const char *[]){"escrow-release", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=release.after_batch", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 2);
	/* a killed run stays RUNNING on record: visibly stale */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs WHERE job = 'escrow-release' AND status = 'RUNNING' "
				  "AND finished_at IS NULL"),
		     1);
	pf_ledger_ok(&f);
	release((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'"), 3);
	cr_assert_eq(released_balance("pod-algo-101"), 50000);
	cr_assert_eq(released_balance("pod-rust-301"), 70000);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs WHERE job = 'escrow-release' AND status = 'DONE' "
				  "AND counts = 'escrows=1 total=70000 dry_run=0'"),
		     1);
	/* one notice per pod, none twice */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'escrow.released'"), 3);
	pf_ledger_ok(&f);
}

/* settle-db complete-pod: the pods table as the completion source. */
Test(cmd_escrow_release, settle_db_complete_pod)
{
	char o1[80], st[64];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	run_program(&f.t, (const char *[]){"settle-db", "complete-pod", "pod-nope-1", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "unknown pod pod-nope-1"), "%s", r.err);
	run_program(&f.t, (const char *[]){"settle-db", "complete-pod", "pod-algo-101", "--at", "2026-02-30 10:00:00", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "--at"), "%s", r.err);
	{
		char whole[8192];

		testdb_fingerprint(&f.t, whole, sizeof whole);
		run_program(&f.t, (const char *[]){"settle-db", "--dry-run", "complete-pod", "pod-algo-101", NULL}, NULL, &r);
		cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
		testdb_assert_unchanged(&f.t, whole, "settle-db --dry-run complete-pod");
	}
	cr_assert_str_eq(pf_string(&f, st, sizeof st, "SELECT status FROM pods WHERE pod_id = 'pod-algo-101'"), "OPEN");
	run_program(&f.t, (const char *[]){"settle-db", "complete-pod", "pod-algo-101", "--at", "2020-01-02 03:04:05", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "COMPLETED at 2020-01-02 03:04:05"), "%s", r.out);
	release((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(released_balance("pod-algo-101"), 50000);
	pf_ledger_ok(&f);
}
