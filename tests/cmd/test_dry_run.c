/* --dry-run commits nothing (issue 7 §1), in every program that takes it:
 * settle-db here; escrow-release, settle-run and settle-db complete-pod in
 * their own test files (test_escrow_release.c, test_settle_run.c), with the
 * same whole-database fingerprint. Each case compares a checksum of every
 * table before and after. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/testdb.h"

static struct testdb t;
static char schema_copy[64];

static void setup(void)
{
	testdb_create(&t);
}

static void teardown(void)
{
	char cmd[128];

	testdb_drop(&t);
	if (schema_copy[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", schema_copy);
		cr_assert_eq(system(cmd), 0);
	}
}

TestSuite(cmd_dry_run, .init = setup, .fini = teardown, .timeout = 60);

static void dry(const char *const *argv, const char *expect_out)
{
	char before[4096];
	struct run_result r;

	testdb_fingerprint(&t, before, sizeof before);
	run_program(&t, argv, NULL, &r);
	cr_assert_eq(r.status, 0, "%s: %d %s", argv[2], r.status, r.err);
	cr_assert(strstr(r.out, expect_out), "%s: expected '%s' in %s", argv[2], expect_out, r.out);
	testdb_assert_unchanged(&t, before, argv[2]);
}

Test(cmd_dry_run, load_pods_and_leaders_write_nothing)
{
	char pods[512], leaders[512], before[4096], after[4096];
	struct run_result r;

	test_repo_file("fixtures/pods.csv", pods, sizeof pods);
	test_repo_file("fixtures/leaders.csv", leaders, sizeof leaders);
	dry((const char *[]){"settle-db", "--dry-run", "load-pods", pods, NULL}, "would load");
	dry((const char *[]){"settle-db", "--dry-run", "load-leaders", leaders, NULL}, "would load");
	dry((const char *[]){"settle-db", "--json", "--dry-run", "load-pods", pods, NULL}, "\"dry_run\":true");
	/* options after the verb, as getopt permits */
	dry((const char *[]){"settle-db", "load-pods", pods, "--dry-run", NULL}, "would load");
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM pods"), 0);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders"), 0);

	/* the same file without --dry-run does write: the fingerprint sees it */
	testdb_fingerprint(&t, before, sizeof before);
	run_program(&t, (const char *[]){"settle-db", "load-pods", pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	testdb_fingerprint(&t, after, sizeof after);
	cr_assert_str_neq(before, after);

	/* and a dry run over loaded rows changes none of them */
	dry((const char *[]){"settle-db", "--dry-run", "load-pods", pods, NULL}, "would load");
}

Test(cmd_dry_run, bad_file_is_still_refused)
{
	char before[4096], path[64];
	struct run_result r;
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-dry-%d.csv", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n"
	      "p1,l1,T,-1,KRW,3,OPEN,2026-01-01,2026-02-01\n", f);
	fclose(f);
	testdb_fingerprint(&t, before, sizeof before);
	run_program(&t, (const char *[]){"settle-db", "--dry-run", "load-pods", path, NULL}, NULL, &r);
	unlink(path);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, ":2: fee"), "%s", r.err);
	testdb_assert_unchanged(&t, before, "bad file");
}

Test(cmd_dry_run, migrate_lists_and_applies_nothing)
{
	char schema[512], cmd[1200], file[128];
	struct run_result r;
	FILE *f;

	snprintf(schema_copy, sizeof schema_copy, "/tmp/settle-schema-XXXXXX");
	cr_assert_not_null(mkdtemp(schema_copy));
	snprintf(cmd, sizeof cmd, "cp %s/*.sql '%s'/", test_repo_file("schema", schema, sizeof schema), schema_copy);
	cr_assert_eq(system(cmd), 0);
	snprintf(file, sizeof file, "%s/999_dry_run_probe.sql", schema_copy);
	f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs("CREATE TABLE dry_run_probe (id INT PRIMARY KEY);\nINSERT INTO dry_run_probe VALUES (1);\n", f);
	fclose(f);

	dry((const char *[]){"settle-db", "--dry-run", "--schema-dir", schema_copy, "migrate", NULL},
	    "would apply 1 migration");
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
				      "'dry_run_probe'"),
		     0);
	/* without --dry-run it is applied: the probe is a real migration */
	run_program(&t, (const char *[]){"settle-db", "--schema-dir", schema_copy, "migrate", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "applied 1"), "%s", r.out);
}

/* The other programs do not take --dry-run: they refuse it (64) rather
 * than run for real while the operator believes nothing is committed.
 * (pay-refund takes it since refunds by policy: tests/cmd/test_pay_refund_policy.c.) */
Test(cmd_dry_run, programs_without_it_refuse_it)
{
	static const char *const progs[] = {"pay-order", "pay-capture", "pay-show", "ledger-check", "payout-send"};
	char before[4096];
	struct run_result r;

	testdb_fingerprint(&t, before, sizeof before);
	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		run_program(&t, (const char *[]){progs[i], "--dry-run", NULL}, NULL, &r);
		cr_assert_eq(r.status, 64, "%s: %d %s", progs[i], r.status, r.err);
		cr_assert(strstr(r.err, "--dry-run"), "%s: %s", progs[i], r.err);
	}
	testdb_assert_unchanged(&t, before, "--dry-run refused");
}
