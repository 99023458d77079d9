/* pay-refund --policy: the amount by date from the payment's policy and
 * how it was reached, --dry-run, overrides with their reason, named
 * policies loaded with the pods, and every refusal changing nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/payfix.h"

#define POLICY                                                                                                      \
	"[refund]\npolicy = 2020-01-01: ..start 100%, start.. 0%; "                                                  \
	"2026-01-01: ..start-7 100%, start-7..start 90%, start..end+1 prorata-10%, end+1.. 0%\n"

/* Korea dates, at noon KST; pod-algo-101 runs 2026-12-01..2027-01-31 (62 days). */
#define BEFORE_START "SETTLE_NOW=2026-11-28T03:00:00Z" /* 3 days before: 90 % */
#define DAY_11 "SETTLE_NOW=2026-12-11T03:00:00Z"       /* 10 run, 52 of 62 unrun */
#define AFTER_END "SETTLE_NOW=2027-02-01T03:00:00Z"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, POLICY);
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_pay_refund_policy, .init = setup, .fini = teardown, .timeout = 90);

static void paid(const char *pod, const char *user, char *pid, size_t len)
{
	char order[80];

	pf_paid(&f, pod, user, NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, len);
}

static void refund(const char *now, const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, (const char *[]){now, NULL}, r);
}

/* Refused with status and a one-line error holding expect; nothing changed. */
static void refused(const char *now, const char *const *argv, int status, const char *expect)
{
	char before[4096];
	struct run_result r;

	testdb_fingerprint(&f.t, before, sizeof before);
	refund(now, argv, &r);
	cr_assert_eq(r.status, status, "%s %s: %d %s", argv[1], argv[2], r.status, r.err);
	cr_assert(pf_one_error(r.err, argv[0]), "%s", r.err);
	cr_assert(strstr(r.err, expect), "want \"%s\": %s", expect, r.err);
	testdb_assert_unchanged(&f.t, before, expect);
}

Test(cmd_pay_refund_policy, by_date_with_dry_run)
{
	char pid[64], basis[64];
	struct run_result r;

	paid("pod-algo-101", "user-ana", pid, sizeof pid);

	/* a dry run prints the reasoning and changes nothing */
	{
		char before[4096];

		testdb_fingerprint(&f.t, before, sizeof before);
		refund(BEFORE_START, (const char *[]){"pay-refund", pid, "--policy", "--reason", "moved away", "--dry-run", NULL},
		       &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert(strstr(r.out, "policy default, version of 2026-01-01"), "%s", r.out);
		cr_assert(strstr(r.out, "3 day(s) before the start"), "%s", r.out);
		cr_assert(strstr(r.out, "step 2 \"start-7..start 90.00%\""), "%s", r.out);
		cr_assert(strstr(r.out, "would refund 45000 KRW"), "%s", r.out);
		testdb_assert_unchanged(&f.t, before, "dry run");
	}
	refund(BEFORE_START,
	       (const char *[]){"pay-refund", pid, "--policy", "--reason", "moved away", "--dry-run", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"policyAmount\":45000") && strstr(r.out, "\"step\":2"), "%s", r.out);

	/* day 11: floor(50000 × 52/62 × 0.9) = 37741 */
	refund(DAY_11, (const char *[]){"pay-refund", pid, "--policy", "--reason", "moved away", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "day 11 of 62"), "%s", r.out);
	cr_assert(strstr(r.out, "52 of 62 day(s) not yet run"), "%s", r.out);
	cr_assert(strstr(r.out, "37741 KRW COMPLETED"), "%s", r.out);
	{
		char p2[64];

		paid("pod-algo-101", "user-al2", p2, sizeof p2);
		refund(DAY_11, (const char *[]){"pay-refund", p2, "--policy", "--reason", "json", "--json", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert(strstr(r.out, "\"amount\":37741") && strstr(r.out, "\"basis\":\"POLICY\"") &&
				  strstr(r.out, "\"unrunDays\":52"),
			  "%s", r.out);
	}
	pf_string(&f, basis, sizeof basis,
		  "SELECT CONCAT_WS(' ', basis, policy_name, policy_from, policy_amount, COALESCE(override_reason, '-')) "
		  "FROM refunds WHERE reason = 'moved away'");
	cr_assert_str_eq(basis, "POLICY default 2026-01-01 37741 -");
	pf_ledger_ok(&f);

	/* the same day again: the policy gives nothing more */
	refused(DAY_11, (const char *[]){"pay-refund", pid, "--policy", "--reason", "again", NULL}, 65, "gives nothing more");
	refused(AFTER_END, (const char *[]){"pay-refund", pid, "--policy", "--reason", "late", NULL}, 65,
		"gives nothing more");
}

Test(cmd_pay_refund_policy, override_needs_reason_and_is_recorded)
{
	char pid[64], basis[128];
	struct run_result r;

	paid("pod-algo-101", "user-ben", pid, sizeof pid);
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--amount", "48000", "--reason", "x", NULL}, 65,
		"--override");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--reason", "all of it", NULL}, 65, "exceeds the 45000");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--amount", "1000", "--override", "--reason", "x", NULL},
		65, "not needed");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--amount", "48000", "--override", NULL}, 64,
		"--override needs --reason");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--override", "--reason", "x", NULL}, 64,
		"--override needs --amount");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--policy", "--amount", "100", "--reason", "x", NULL}, 64,
		"--policy takes no --amount");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--policy", "--override", "--reason", "x", NULL}, 64,
		"--policy takes no --override");

	/* within the policy: a manual refund, the policy's amount beside it */
	refund(BEFORE_START, (const char *[]){"pay-refund", pid, "--amount", "1000", "--reason", "goodwill", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	refund(BEFORE_START,
	       (const char *[]){"pay-refund", pid, "--amount", "48000", "--override", "--reason", "leader absent", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "basis OVERRIDE") && strstr(r.out, "48000 KRW COMPLETED"), "%s", r.out);
	pf_string(&f, basis, sizeof basis,
		  "SELECT GROUP_CONCAT(CONCAT_WS(' ', basis, policy_amount, COALESCE(override_reason, '-')) ORDER BY id "
		  "SEPARATOR '|') FROM refunds");
	cr_assert_str_eq(basis, "MANUAL 45000 -|OVERRIDE 44000 leader absent");
	pf_ledger_ok(&f);
}

Test(cmd_pay_refund_policy, pod_without_dates_or_with_unknown_policy)
{
	char pid[64], pid2[64];

	paid("pod-sql-201", "user-cy", pid, sizeof pid);
	paid("pod-rust-301", "user-cy", pid2, sizeof pid2);
	testdb_sql(&f.t, "DELETE FROM pods WHERE pod_id = 'pod-sql-201'");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--policy", "--reason", "x", NULL}, 65, "has no dates");
	testdb_sql(&f.t, "UPDATE pods SET refund_policy = 'nosuch' WHERE pod_id = 'pod-rust-301'");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid2, "--policy", "--reason", "x", NULL}, 65,
		"names refund policy \"nosuch\", which is not loaded");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid2, "--amount", "10", "--reason", "x", NULL}, 65,
		"not loaded");
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
}

Test(cmd_pay_refund_policy, named_policies_loaded_with_pods)
{
	char pid[64], dir[] = "/tmp/settle-policy-XXXXXX", pol[128], pods[128], basis[64];
	struct run_result r;
	static const struct {
		const char *what, *csv, *expect;
	} bad[] = {
		{"overlap", "policy,from,steps\nhalf,2020-01-01,\"..start 50%, start-1.. 0%\"\n", "overlaps"},
		{"gap", "policy,from,steps\nhalf,2020-01-01,\"..start-7 50%, start.. 0%\"\n", "gap"},
		{"backwards", "policy,from,steps\nhalf,2020-01-01,\"..start 50%, start..start-2 10%, start-2.. 0%\"\n",
		 "backwards"},
		{"over 100 %", "policy,from,steps\nhalf,2020-01-01,\"..start 150%, start.. 0%\"\n", "exceeds 100"},
		{"default", "policy,from,steps\ndefault,2020-01-01,\"..start 50%, start.. 0%\"\n", "settle.conf"},
		{"twice", "policy,from,steps\nhalf,2020-01-01,\"..start 50%, start.. 0%\"\nhalf,2020-01-01,\"..start 50%, "
			  "start.. 0%\"\n",
		 "duplicate"},
		{"bad name", "policy,from,steps\nHalf!,2020-01-01,\"..start 50%, start.. 0%\"\n", "policy name"},
		{"bad date", "policy,from,steps\nhalf,2020-02-30,\"..start 50%, start.. 0%\"\n", "from"},
	};

	cr_assert_not_null(mkdtemp(dir));
	snprintf(pol, sizeof pol, "%s/policies.csv", dir);
	snprintf(pods, sizeof pods, "%s/pods.csv", dir);
	write_file(pods, "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on,refund_policy\n"
			 "pod-algo-101,leader-kim,Algorithms,50000,KRW,8,OPEN,2026-12-01,2027-01-31,half\n");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char before[4096];

		write_file(pol, bad[i].csv);
		testdb_fingerprint(&f.t, before, sizeof before);
		run_program(&f.t, (const char *[]){"settle-db", "load-pods", "--policies", pol, pods, NULL}, NULL, &r);
		cr_assert_eq(r.status, 65, "%s: %d %s", bad[i].what, r.status, r.err);
		cr_assert(strstr(r.err, bad[i].expect), "%s: %s", bad[i].what, r.err);
		cr_assert(pf_one_error(r.err, "settle-db"), "%s", r.err);
		testdb_assert_unchanged(&f.t, before, bad[i].what);
	}
	/* a dry run checks the policies file the same way, with no database */
	write_file(pol, bad[0].csv);
	run_program(&f.t, (const char *[]){"settle-db", "--dry-run", "load-pods", "--policies", pol, pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "overlaps"), "%s", r.err);
	/* a pod naming a policy nobody loaded */
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "refund_policy \"half\" is not a loaded policy"), "%s", r.err);

	write_file(pol, "policy,from,steps\nhalf,2020-01-01,\"..start 50%, start.. 0%\"\n");
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", "--policies", pol, pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* the same version again is a no-op; changed steps are refused */
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", "--policies", pol, pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	write_file(pol, "policy,from,steps\nhalf,2020-01-01,\"..start 60%, start.. 0%\"\n");
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", "--policies", pol, pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "never changes"), "%s", r.err);
	write_file(pol, "policy,from,steps\nhalf,2021-01-01,\"..start 60%, start.. 0%\"\n");
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", "--policies", pol, pods, NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "not before today"), "%s", r.err);

	paid("pod-algo-101", "user-dee", pid, sizeof pid);
	refund(BEFORE_START, (const char *[]){"pay-refund", pid, "--policy", "--reason", "named", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "policy half, version of 2020-01-01") && strstr(r.out, "25000 KRW COMPLETED"), "%s",
		  r.out);
	pf_string(&f, basis, sizeof basis, "SELECT CONCAT_WS(' ', basis, policy_name, policy_amount) FROM refunds");
	cr_assert_str_eq(basis, "POLICY half 25000");
	/* a version edited in the database behind settle's back is refused, named */
	testdb_sql(&f.t, "UPDATE refund_policies SET steps = '..start 50%, start-1.. 0%' WHERE name = 'half'");
	refused(BEFORE_START, (const char *[]){"pay-refund", pid, "--amount", "1", "--reason", "x", NULL}, 65,
		"refund policy half version 2020-01-01 in the database");
	unlink(pol);
	unlink(pods);
	rmdir(dir);
}

TestSuite(cmd_pay_refund_policy_config, .timeout = 90);

Test(cmd_pay_refund_policy_config, none_or_malformed)
{
	struct payfix g;
	char order[80], pid[64];
	struct run_result r;

	payfix_setup(&g, NULL);
	pf_paid(&g, "pod-algo-101", "user-eve", NULL, order, sizeof order);
	pf_payment_id(&g, order, pid, sizeof pid);
	run_program(&g.t, (const char *[]){"pay-refund", pid, "--policy", "--reason", "x", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "[refund] policy is not set"), "%s", r.err);
	/* without a policy a plain refund is what it always was */
	run_program(&g.t, (const char *[]){"pay-refund", pid, "--amount", "100", "--reason", "x", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&g, "SELECT COUNT(*) FROM refunds WHERE basis = 'MANUAL' AND policy_name IS NULL"), 1);

	snprintf(g.t.extra_conf + strlen(g.t.extra_conf), sizeof g.t.extra_conf - strlen(g.t.extra_conf),
		 "[refund]\npolicy = 2026-01-01: ..start 100%%, start-1.. 0%%\n");
	testdb_write_config(&g.t);
	run_program(&g.t, (const char *[]){"pay-refund", pid, "--policy", "--reason", "x", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "[refund] policy") && strstr(r.err, "overlaps"), "%s", r.err);
	cr_assert_eq(pf_count(&g, "SELECT COUNT(*) FROM refunds"), 1);
	payfix_teardown(&g);
}
