/*
 * settle-watch as the timer runs it (issue 14): a burst of refused cards
 * from one user fires once per window (an alert row and one operator
 * notification), --json lists what fires now, --dry-run keeps nothing,
 * a low success rate and a refund rate per pod fire, bad thresholds are
 * configuration errors, and it writes nothing but alerts, notifications
 * and its run record.
 */
#include <criterion/criterion.h>
#include <stdio.h>
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

TestSuite(cmd_settle_watch, .init = setup, .fini = teardown, .timeout = 60);

static void payments(const char *user, const char *pod, const char *status, int n, int from)
{
	for (int i = 0; i < n; i++) {
		char sql[1024];

		snprintf(sql, sizeof sql,
			 "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, status, "
			 "created_at, updated_at) VALUES ('pay_w%s%d', 'ord-w%s-%d', '%s', '%s', 50000, 'KRW', 'CARD', "
			 "'toss', '%s', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
			 user, from + i, user, from + i, pod, user, status);
		cr_assert_eq(testdb_sql(&t, sql), 0, "%s", sql);
	}
}

Test(cmd_settle_watch, a_burst_of_refused_cards_from_one_user_alerts_once_per_window)
{
	struct run_result r;

	payments("mallory", "pod-1", "FAILED", 8, 0);
	run_program(&t, (const char *[]){"settle-watch", "--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\"rule\":\"user.failures\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"subject\":\"mallory\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"new\":true"), "%s", r.out);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM alerts WHERE rule = 'user.failures' AND subject = 'mallory'"),
		     1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE template = 'alert' AND recipient_kind = "
				      "'operator'"),
		     1);
	run_program(&t, (const char *[]){"settle-watch", "--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\"new\":false"), "%s", r.out);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM alerts"), 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications"), 1);
}

Test(cmd_settle_watch, dry_run_lists_what_fires_and_keeps_nothing)
{
	struct run_result r;

	payments("mallory", "pod-1", "FAILED", 8, 0);
	run_program(&t, (const char *[]){"settle-watch", "--dry-run", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "user.failures"), "%s", r.out);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM alerts"), 0);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications"), 0);
}

Test(cmd_settle_watch, low_success_rate_and_a_pods_refund_rate_fire)
{
	struct run_result r;
	char sql[512];

	t.extra_conf[0] = '\0';
	strcpy(t.extra_conf, "[watch]\nmin_payments = 10\nburst_count = 100\n");
	testdb_write_config(&t);
	for (int u = 0; u < 9; u++) {
		char user[16];

		snprintf(user, sizeof user, "u%d", u);
		payments(user, "pod-2", "COMPLETED", 1, 0);
		payments(user, "pod-2", "FAILED", 1, 1);
	}
	snprintf(sql, sizeof sql,
		 "INSERT INTO refunds (public_id, payment_id, amount, currency, status, reason, idempotency_key, "
		 "cancel_order_id, created_at, updated_at) SELECT CONCAT('ref_', id), id, 50000, 'KRW', 'COMPLETED', 'x', "
		 "CONCAT('k', id), CONCAT('c', id), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM payments WHERE status = "
		 "'COMPLETED' LIMIT 3");
	cr_assert_eq(testdb_sql(&t, sql), 0);
	run_program(&t, (const char *[]){"settle-watch", "--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\"rule\":\"payment.success_rate\""), "%s", r.out);
	(void)sql;
}

Test(cmd_settle_watch, nothing_fires_on_a_quiet_database_and_only_alerts_are_written)
{
	struct run_result r;
	char before[4096], after[4096];

	payments("alice", "pod-1", "COMPLETED", 1, 0);
	payments("bob", "pod-1", "COMPLETED", 1, 0);
	testdb_fingerprint(&t, before, sizeof before);
	run_program(&t, (const char *[]){"settle-watch", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "0 rule(s) firing"), "%s", r.out);
	testdb_fingerprint(&t, after, sizeof after);
	/* Only job_runs (its run record) may differ. */
	{
		char *b = strstr(before, "job_runs="), *a = strstr(after, "job_runs=");

		cr_assert(b && a);
		*b = *a = '\0';
		cr_assert_str_eq(before, after);
		cr_assert_str_eq(strchr(b + 1, ';'), strchr(a + 1, ';'));
	}
}

Test(cmd_settle_watch, a_bad_threshold_is_a_config_error_naming_it)
{
	static const char *const bad[] = {"[watch]\nmin_success_pct = 101\n", "[watch]\nwindow_s = ten\n",
					  "[watch]\nburst_count = -1\n", "[watch]\nmax_refund_pct = 5.5\n"};
	struct run_result r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(t.extra_conf, sizeof t.extra_conf, "%s", bad[i]);
		testdb_write_config(&t);
		run_program(&t, (const char *[]){"settle-watch", NULL}, NULL, &r);
		cr_assert_eq(r.status, 78, "%s: %s%s", bad[i], r.out, r.err);
		cr_assert(strstr(r.err, "[watch]") || strstr(r.err, "watch"), "%s", r.err);
		cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM alerts"), 0);
	}
}
