/* settle-report kpi: the design's success metrics beside their targets,
 * from real payments, refunds by policy and override, and a dispute; CSV
 * and JSON; bad and future periods refused, changing nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/payfix.h"

#define POLICY "[refund]\npolicy = 2020-01-01: ..start-7 100%, start-7.. 10%\n"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, POLICY);
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_settle_report_kpi, .init = setup, .fini = teardown, .timeout = 90);

/* This month in Korea time (the payments are made now), and a month ahead. */
static void months(char now[8], char ahead[8], char tomorrow[11])
{
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(now, 8, "%Y-%m", &tm);
	snprintf(ahead, 8, "%04d-%02d", tm.tm_year + 1900 + (tm.tm_mon == 11), tm.tm_mon == 11 ? 1 : tm.tm_mon + 2);
	t += 86400;
	gmtime_r(&t, &tm);
	strftime(tomorrow, 11, "%Y-%m-%d", &tm);
}

static const char *line_of(const char *csv, const char *prefix, char *out, size_t len)
{
	const char *p = strstr(csv, prefix), *e;

	cr_assert_not_null(p, "no line %s in\n%s", prefix, csv);
	e = strchr(p, '\n');
	snprintf(out, len, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	if (len && out[strlen(out) - 1] == '\r')
		out[strlen(out) - 1] = '\0';
	return out;
}

Test(cmd_settle_report_kpi, figures_beside_targets)
{
	char month[8], ahead[8], tomorrow[11], l[256], o1[80], o2[80], o3[80], p1[64], p2[64], key[128];
	struct run_result r;

	months(month, ahead, tomorrow);
	pf_paid(&f, "pod-algo-101", "user-k1", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-k2", NULL, o2, sizeof o2);
	pf_payment_id(&f, o1, p1, sizeof p1);
	pf_payment_id(&f, o2, p2, sizeof p2);
	/* a refused confirm: an attempt that did not complete */
	pf_order(&f, "pod-sql-201", "user-k3", NULL, o3, sizeof o3);
	pf_checkout(&f, o3, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"refuse\",\"orderId\":\"%s\",\"op\":\"confirm\",\"code\":\"REJECT_CARD_PAYMENT\"}", o3);
	pf_capture(&f, o3, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	/* one refund by policy (within a week of the start: 10 %), one override;
	 * now (the refunds' time counts), from 2026-11-24 on */
	run_program(&f.t, (const char *[]){"pay-refund", p1, "--policy", "--reason", "by policy", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&f.t, (const char *[]){"pay-refund", p2, "--amount", "6000", "--override", "--reason", "late", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);

	run_program(&f.t, (const char *[]){"settle-report", "kpi", "--month", month, NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"metric\",\"scope\",\"value\",\"numerator\",\"denominator\",\"target\",\"meets_target\""), "%s", r.out);
	/* 3 attempts, 2 completed */
	cr_assert_str_eq(line_of(r.out, "\"payment_success_rate\",\"overall\",", l, sizeof l),
			 "\"payment_success_rate\",\"overall\",\"66.66%\",2,3,\"> 95%\",\"no\"");
	cr_assert(strstr(r.out, "\"payment_success_rate\",\"pg:toss\",\"66.66%\",2,3,"), "%s", r.out);
	cr_assert(strstr(r.out, "\"payment_success_rate\",\"method:CARD\",\"66.66%\",2,3,"), "%s", r.out);
	cr_assert(strstr(r.out, "\"order_to_completion_avg\",\"overall\","), "%s", r.out);
	cr_assert(strstr(r.out, "\"< 3000 ms\",\"yes\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"order_to_completion_p95\",\"overall\","), "%s", r.out);
	cr_assert(strstr(r.out, "\"payment_conversion\",\"orders created\",\"66.66%\",2,3,"), "%s", r.out);
	cr_assert_str_eq(line_of(r.out, "\"transaction_volume\",\"overall\",", l, sizeof l),
			 "\"transaction_volume\",\"overall\",\"100000 KRW\",100000,2,\"\",\"\"");
	cr_assert(strstr(r.out, "\"average_ticket\",\"overall\",\"50000 KRW\",100000,2,"), "%s", r.out);
	cr_assert_str_eq(line_of(r.out, "\"refund_rate_count\",\"overall\",", l, sizeof l),
			 "\"refund_rate_count\",\"overall\",\"100.00%\",2,2,\"< 5%\",\"no\"");
	cr_assert_str_eq(line_of(r.out, "\"refund_rate_amount\",\"overall\",", l, sizeof l),
			 "\"refund_rate_amount\",\"overall\",\"11.00%\",11000,100000,\"< 5%\",\"no\"");
	cr_assert(strstr(r.out, "\"refund_rate_amount\",\"by policy\",\"5.00%\",5000,100000,"), "%s", r.out);
	cr_assert(strstr(r.out, "\"refund_rate_amount\",\"by override\",\"6.00%\",6000,100000,"), "%s", r.out);
	cr_assert(strstr(r.out, "\"refund_rate_count\",\"pod:pod-algo-101\",\"100.00%\",2,2,"), "%s", r.out);
	cr_assert(strstr(r.out, "\"disputes\",\"opened\",\"0\",0,0,"), "%s", r.out);

	run_program(&f.t, (const char *[]){"settle-report", "kpi", "--month", month, "--format", "json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"metric\"") && strstr(r.out, "payment_success_rate"), "%s", r.out);
	run_program(&f.t, (const char *[]){"settle-report", "kpi", "--month", month, "--lang", "ko", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "지표"), "%s", r.out);
}

Test(cmd_settle_report_kpi, bad_and_future_periods)
{
	char month[8], ahead[8], tomorrow[11], before[4096];
	struct run_result r;
	const struct {
		const char *argv[10];
		int status;
		const char *expect;
	} cases[] = {
		{{"settle-report", "kpi", "--month", "2026-13", NULL}, 65, "--month"},
		{{"settle-report", "kpi", "--month", "26-11", NULL}, 65, "--month"},
		{{"settle-report", "kpi", "--month", ahead, NULL}, 65, "in the future"},
		{{"settle-report", "kpi", "--from", "2026-11-01", "--to", tomorrow, NULL}, 65, "in the future"},
		{{"settle-report", "kpi", "--from", "2026-11-31", "--to", "2026-11-30", NULL}, 65, "--from"},
		{{"settle-report", "kpi", "--from", "2026-11-20", "--to", "2026-11-01", NULL}, 65, "after"},
		{{"settle-report", "kpi", NULL}, 64, "--month"},
		{{"settle-report", "kpi", "--from", "2026-11-01", NULL}, 64, "--month"},
		{{"settle-report", "kpi", "--month", "2026-11", "--from", "2026-11-01", "--to", "2026-11-02", NULL}, 64,
		 "one of them"},
		{{"settle-report", "kpi", "--month", "2026-11", "--detail", NULL}, 64, "--detail"},
	};

	months(month, ahead, tomorrow);
	testdb_fingerprint(&f.t, before, sizeof before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_program(&f.t, cases[i].argv, NULL, &r);
		cr_assert_eq(r.status, cases[i].status, "case %zu: %d %s", i, r.status, r.err);
		cr_assert(pf_one_error(r.err, "settle-report"), "case %zu: %s", i, r.err);
		cr_assert(strstr(r.err, cases[i].expect), "case %zu: want %s: %s", i, cases[i].expect, r.err);
		cr_assert_str_eq(r.out, "", "case %zu", i);
	}
	testdb_assert_unchanged(&f.t, before, "kpi refusals");
	/* a month with nothing in it: every rate n/a, no target judged */
	run_program(&f.t, (const char *[]){"settle-report", "kpi", "--month", "2020-01", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"payment_success_rate\",\"overall\",\"n/a\",0,0,\"> 95%\",\"\"\n") ||
		      strstr(r.out, "\"payment_success_rate\",\"overall\",\"n/a\",0,0,\"> 95%\",\"\"\r\n"),
		  "%s", r.out);
}
