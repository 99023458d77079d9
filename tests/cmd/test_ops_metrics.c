/* Job metrics for Prometheus' textfile collector and settle-db status
 * --jobs (issue 11): written atomically at the end of every run; a
 * directory that cannot be written is one warning line and changes neither
 * the work nor the exit status. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/testdb.h"

static struct testdb t;
static char dir[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/settle-metrics-%d", (int)getpid());
	cr_assert_eq(mkdir(dir, 0755), 0);
	testdb_create(&t);
	snprintf(t.extra_conf, sizeof t.extra_conf, "[metrics]\ntextfile_dir = %s\n", dir);
	testdb_write_config(&t);
}

static void teardown(void)
{
	char cmd[200];

	testdb_drop(&t);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(cmd_ops_metrics, .init = setup, .fini = teardown, .timeout = 60);

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 16384);

	cr_assert(f && buf, "%s", path);
	fread(buf, 1, 16383, f);
	fclose(f);
	return buf;
}

/* Only finished files: no temporary one left behind. */
static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
		else
			cr_assert(!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."), "left over: %s", e->d_name);
	closedir(d);
	return n;
}

Test(cmd_ops_metrics, every_job_writes_its_file_at_the_end_of_its_run)
{
	struct run_result r;
	char path[256], *text;

	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(path, sizeof path, "%s/settle_ledger-check.prom", dir);
	text = slurp(path);
	cr_assert(strstr(text, "# TYPE settle_job_last_success_timestamp_seconds gauge\n"), "%s", text);
	cr_assert(strstr(text, "settle_job_last_success_timestamp_seconds{job=\"ledger-check\"} 1"), "%s", text);
	cr_assert(strstr(text, "settle_job_duration_seconds{job=\"ledger-check\"} 0."), "%s", text);
	cr_assert(strstr(text, "settle_job_last_exit_status{job=\"ledger-check\"} 0\n"), "%s", text);
	cr_assert(strstr(text, "settle_job_items_total{job=\"ledger-check\",outcome=\"findings\"} 0\n"), "%s", text);
	cr_assert(strstr(text, "\nsettle_ledger_findings 0\n"), "%s", text);
	free(text);

	run_program(&t, (const char *[]){"escrow-release", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&t, (const char *[]){"payout-send", NULL}, NULL, &r);
	snprintf(path, sizeof path, "%s/settle_escrow-release.prom", dir);
	text = slurp(path);
	cr_assert(strstr(text, "\nsettle_escrow_held_won 0\n"), "%s", text);
	cr_assert(strstr(text, "settle_job_items_total{job=\"escrow-release\",outcome=\"escrows\"} 0\n"), "%s", text);
	cr_assert_null(strstr(text, "outcome=\"total\""), "money is not an item count: %s", text);
	free(text);
	snprintf(path, sizeof path, "%s/settle_payout-send.prom", dir);
	text = slurp(path);
	cr_assert(strstr(text, "\nsettle_payouts_in_doubt 0\n"), "%s", text);
	free(text);
	cr_assert_eq(files_in_dir(), 3);

	/* a dry run writes no metrics */
	run_program(&t, (const char *[]){"settle-run", "--dry-run", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(files_in_dir(), 3);
}

Test(cmd_ops_metrics, a_failed_run_keeps_the_last_success_time)
{
	struct run_result r;
	char path[256], *text, *at, ok1[32];

	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(path, sizeof path, "%s/settle_ledger-check.prom", dir);
	text = slurp(path);
	at = strstr(text, "settle_job_last_success_timestamp_seconds{job=\"ledger-check\"} ");
	cr_assert_not_null(at);
	snprintf(ok1, sizeof ok1, "%.*s", (int)strcspn(at + 64, "\n"), at + 64);
	free(text);
	sleep(1);
	run_program(&t, (const char *[]){"ledger-check", NULL}, (const char *[]){"SETTLE_FAILPOINT=cli.internal", NULL},
		    &r);
	cr_assert_eq(r.status, 70, "%s", r.err);
	text = slurp(path);
	cr_assert(strstr(text, "settle_job_last_exit_status{job=\"ledger-check\"} 70\n"), "%s", text);
	at = strstr(text, "settle_job_last_success_timestamp_seconds{job=\"ledger-check\"} ");
	cr_assert_not_null(at, "%s", text);
	cr_assert(!strncmp(at + 64, ok1, strlen(ok1)), "last success moved: %s vs %s", at + 64, ok1);
	free(text);
}

Test(cmd_ops_metrics, a_directory_that_cannot_be_written_is_one_warning_and_the_job_runs)
{
	struct run_result r;
	char file[160];
	FILE *f;

	/* a regular file where the directory should be: no one can write in
	 * it, root included */
	snprintf(file, sizeof file, "%s/not-a-dir", dir);
	f = fopen(file, "w");
	cr_assert_not_null(f);
	fclose(f);
	snprintf(t.extra_conf, sizeof t.extra_conf, "[metrics]\ntextfile_dir = %s\n", file);
	testdb_write_config(&t);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "ok: "), "%s", r.out);
	cr_assert(strstr(r.err, "metrics.not_written"), "%s", r.err);
	cr_assert(strstr(r.err, "not-a-dir"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM job_runs WHERE job = 'ledger-check' AND status = 'DONE'"), 1);
	/* -q: not even the warning */
	run_program(&t, (const char *[]){"ledger-check", "-q", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
}

Test(cmd_ops_metrics, status_jobs_shows_the_last_runs_and_what_is_overdue)
{
	struct run_result r;

	run_program(&t, (const char *[]){"settle-db", "status", "--jobs", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "ledger-check    never"), "%s", r.out);
	cr_assert(strstr(r.out, "7 job(s), 7 overdue"), "%s", r.out);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&t, (const char *[]){"settle-db", "status", "--jobs", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "ledger-check    DONE "), "%s", r.out);
	cr_assert(strstr(r.out, "7 job(s), 6 overdue"), "%s", r.out);
	cr_assert(test_terminal_safe(r.out));
	run_program(&t, (const char *[]){"settle-db", "--json", "status", "--jobs", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"job\":\"ledger-check\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"status\":\"DONE\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"overdue\":false"), "%s", r.out);
	cr_assert(strstr(r.out, "\"job\":\"settle-run\",\"timer\":\"settle-run.timer\",\"status\":null"), "%s", r.out);
	/* --jobs belongs to status */
	run_program(&t, (const char *[]){"settle-db", "migrate", "--jobs", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
}
