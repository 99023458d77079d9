/*
 * escrow-release --completed end to end: the Study Service (sandbox)
 * reports a pod completed; the run records the completion date the
 * service gave and, once the hold after it has passed, releases; the
 * cursor in job_cursors means a second run reads nothing new; a malformed
 * answer changes nothing and fails with one line.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

TestSuite(cmd_escrow_completions, .init = setup, .fini = teardown, .timeout = 90);

/* Completes pod in the sandbox days_ago days ago; its ISO time in at. */
static void study_complete(const char *pod, int days_ago, char *at, size_t len)
{
	time_t t = time(NULL) - (time_t)days_ago * 86400;
	char path[128], body[128], resp[1024];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(at, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(path, sizeof path, "/_sandbox/pods/%s/complete", pod);
	snprintf(body, sizeof body, "{\"completedAt\":\"%s\"}", at);
	cr_assert_eq(sandbox_post(&f.sp, path, body, resp, sizeof resp), 200, "%s", resp);
}

static void release_completed(struct run_result *r)
{
	run_program(&f.t, (const char *[]){"escrow-release", "--completed", NULL}, NULL, r);
}

Test(cmd_escrow_completions, records_then_releases_once)
{
	char o1[80], o2[80], at[32], sql_at[32], got[64], cursor[64];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o2, sizeof o2);
	study_complete("pod-algo-101", 9, at, sizeof at);

	release_completed(&r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "recorded 1 completion(s)"), "%s", r.out);
	cr_assert(strstr(r.out, "released 1 escrow(s), 50000 KRW"), "%s", r.out);
	snprintf(sql_at, sizeof sql_at, "%.10s %.8s", at, at + 11);
	pf_string(&f, got, sizeof got,
		  "SELECT CONCAT(status, ' ', DATE_FORMAT(completed_at, '%%Y-%%m-%%d %%H:%%i:%%s')) FROM pods "
		  "WHERE pod_id = 'pod-algo-101'");
	cr_assert_str_eq(got, (snprintf(cursor, sizeof cursor, "COMPLETED %s", sql_at), cursor));
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE pod_id = 'pod-algo-101' AND status = 'RELEASED'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE pod_id = 'pod-sql-201' AND status = 'HOLDING'"), 1);
	pf_string(&f, cursor, sizeof cursor, "SELECT position FROM job_cursors WHERE name = 'study.completions'");
	cr_assert_str_eq(cursor, "1");

	/* a second run: nothing new from the service, nothing released again */
	release_completed(&r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "recorded 0 completion(s)"), "%s", r.out);
	cr_assert(strstr(r.out, "released 0 escrow(s)"), "%s", r.out);
	pf_string(&f, cursor, sizeof cursor, "SELECT position FROM job_cursors WHERE name = 'study.completions'");
	cr_assert_str_eq(cursor, "1");

	/* completed 2 days ago: recorded, still inside its hold */
	study_complete("pod-sql-201", 2, at, sizeof at);
	release_completed(&r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "recorded 1 completion(s)"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pods WHERE pod_id = 'pod-sql-201' AND status = 'COMPLETED'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE pod_id = 'pod-sql-201' AND status = 'HOLDING'"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_escrow_completions, unknown_pod_skipped)
{
	char at[32], resp[1024];
	struct run_result r;

	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-new-1\",\"leaderId\":\"leader-kim\",\"title\":\"t\",\"fee\":1000,"
					     "\"capacity\":3,\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	study_complete("pod-new-1", 9, at, sizeof at);
	release_completed(&r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "recorded 0 completion(s), some of unknown pods skipped"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pods WHERE pod_id = 'pod-new-1'"), 0);
	(void)resp;
}

Test(cmd_escrow_completions, malformed_answer_changes_nothing)
{
	char o1[80], at[32], cursor[64];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	study_complete("pod-algo-101", 9, at, sizeof at);
	pf_fault(&f, "{\"op\":\"study\",\"fault\":\"malformed\"}");
	release_completed(&r);
	cr_assert_neq(r.status, 0, "%s", r.out);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "escrow-release"), "%s", r.err);
	cr_assert(strstr(r.err, "study service completions"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pods WHERE pod_id = 'pod-algo-101' AND status = 'COMPLETED'"), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 0);
	pf_string(&f, cursor, sizeof cursor, "SELECT COALESCE(MAX(position), 'none') FROM job_cursors");
	cr_assert_str_eq(cursor, "none");

	/* the fault spent, the next run records and releases */
	release_completed(&r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 1);
}
