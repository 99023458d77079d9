/*
 * Every program that opened the database ends its run with one
 * `event=db.retries count=N` info line (libsettle/wire/wire_db.c): how many
 * transactions it retried on 1213/1205, which scripts/galera-check.sh and
 * scripts/bench-galera.sh add up over the runners on a Galera cluster. The
 * line is info: a default run (warnings only) and -q print nothing new.
 */
#include <criterion/criterion.h>
#include <string.h>

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

TestSuite(cmd_db_retries_log, .init = setup, .fini = teardown, .timeout = 60);

Test(cmd_db_retries_log, verbose_run_ends_with_the_count)
{
	struct run_result r;

	run_program(&t, (const char *[]){"settle-run", "-v", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "prog=settle-run"), "%s", r.err);
	cr_assert(strstr(r.err, "event=db.retries count=0"), "%s", r.err);
	/* once, at the end */
	cr_assert_null(strstr(strstr(r.err, "event=db.retries") + 1, "event=db.retries"), "%s", r.err);
}

Test(cmd_db_retries_log, default_and_quiet_runs_stay_silent)
{
	struct run_result r;

	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "db.retries"), "%s", r.err);
	run_program(&t, (const char *[]){"escrow-release", "-q", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "db.retries"), "%s", r.err);
}

Test(cmd_db_retries_log, no_database_no_line)
{
	struct run_result r;

	/* --help opens nothing: there is nothing to count */
	run_program(&t, (const char *[]){"settle-run", "-v", "--help", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "db.retries"), "%s", r.err);
}
