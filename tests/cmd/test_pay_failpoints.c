/* A process killed at each step boundary (SETTLE_FAILPOINT, check build)
 * leaves a row that a re-run or the sweep finishes exactly once. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, NULL);
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_pay_failpoints, .init = setup, .fini = teardown, .timeout = 60);

static const char *const capture_points[] = {"capture.after_intent", "capture.after_pg", "capture.after_outcome"};

static void killed_capture(const char *point, const char *user, char *order, size_t len, char *key, size_t klen)
{
	char env[64];
	struct run_result r;

	pf_order(&f, "pod-algo-101", user, NULL, order, len);
	pf_checkout(&f, order, "CARD", key, klen);
	snprintf(env, sizeof env, "SETTLE_FAILPOINT=%s", point);
	pf_capture(&f, order, key, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%s: status %d %s", point, r.status, r.err);
	cr_assert_leq(sandbox_stat(&f.sp, "confirm_executed", order), 1, "%s", point);
}

static void finished_once(const char *point, const char *order)
{
	struct run_result r;

	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1, "%s", point);
	/* the participation owed to the Study Service is done too (by the sweep) */
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s: %s %s", point, r.out, r.err);
	cr_assert_eq(pf_count(&f,
			      "SELECT COUNT(*) FROM participation_confirms q JOIN payments p ON p.id = q.payment_id "
			      "WHERE p.order_id = '%s' AND q.done_at IS NOT NULL",
			      order),
		     1, "%s", point);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1, "%s", point);
	pf_assert_captured(&f, order, "COMPLETED");
}

Test(cmd_pay_failpoints, capture_killed_then_rerun)
{
	for (size_t i = 0; i < 3; i++) {
		char order[80], key[128], user[32];
		struct run_result r;

		snprintf(user, sizeof user, "user-rerun%zu", i);
		killed_capture(capture_points[i], user, order, sizeof order, key, sizeof key);
		pf_capture(&f, order, key, NULL, &r);
		cr_assert_eq(r.status, 0, "%s: re-run %d %s", capture_points[i], r.status, r.err);
		finished_once(capture_points[i], order);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows"), 3);
	pf_ledger_ok(&f);
}

Test(cmd_pay_failpoints, capture_killed_then_sweep)
{
	for (size_t i = 0; i < 3; i++) {
		char order[80], key[128], user[32];
		struct run_result r;

		snprintf(user, sizeof user, "user-sweep%zu", i);
		killed_capture(capture_points[i], user, order, sizeof order, key, sizeof key);
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s: sweep %d %s %s", capture_points[i], r.status, r.out, r.err);
		finished_once(capture_points[i], order);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows"), 3);
	pf_ledger_ok(&f);
}

Test(cmd_pay_failpoints, refund_killed_then_sweep)
{
	static const char *const points[] = {"refund.after_intent", "refund.after_pg", "refund.after_outcome"};

	for (size_t i = 0; i < 3; i++) {
		char order[80], user[32], pid[64], env[64], st[32];
		struct run_result r;
		int64_t sum;

		snprintf(user, sizeof user, "user-refund%zu", i);
		pf_paid(&f, "pod-sql-201", user, NULL, order, sizeof order);
		pf_payment_id(&f, order, pid, sizeof pid);
		snprintf(env, sizeof env, "SETTLE_FAILPOINT=%s", points[i]);
		run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "10000", "--reason", "changed plans", NULL},
			    (const char *[]){env, NULL}, &r);
		cr_assert_eq(r.status, 128 + 9, "%s: %d %s", points[i], r.status, r.err);
		cr_assert_eq(pf_count(&f,
				      "SELECT COUNT(*) FROM refunds r JOIN payments p ON p.id = r.payment_id "
				      "WHERE p.order_id = '%s'",
				      order),
			     1, "%s", points[i]);
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s: sweep %d %s %s", points[i], r.status, r.out, r.err);
		cr_assert_eq(pf_count(&f,
				      "SELECT COUNT(*) FROM refunds r JOIN payments p ON p.id = r.payment_id "
				      "WHERE p.order_id = '%s' AND r.status = 'COMPLETED' AND r.amount = 10000",
				      order),
			     1, "%s", points[i]);
		cr_assert_eq(pf_refund_entries(&f, order, &sum), 1, "%s", points[i]);
		cr_assert_eq(sum, 10000, "%s", points[i]);
		cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1, "%s", points[i]);
		cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "PARTIALLY_REFUNDED", "%s", points[i]);
		cr_assert_eq(pf_count(&f, "SELECT refunded_amount FROM payments WHERE order_id = '%s'", order), 10000);
		cr_assert_eq(pf_count(&f,
				      "SELECT e.refunded_amount FROM escrows e JOIN payments p ON p.id = e.payment_id "
				      "WHERE p.order_id = '%s'",
				      order),
			     10000, "%s", points[i]);
		/* a second sweep changes nothing */
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_eq(pf_refund_entries(&f, order, &sum), 1, "%s", points[i]);
		cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1, "%s", points[i]);
	}
	pf_ledger_ok(&f);
}
