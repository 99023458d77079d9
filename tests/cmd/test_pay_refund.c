/* pay-refund: partial then full, refusals that change nothing, and a
 * cancel in doubt finished by the sweep. */
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

TestSuite(cmd_pay_refund, .init = setup, .fini = teardown, .timeout = 60);

static int64_t escrow_col(const char *order, const char *col)
{
	return pf_count(&f, "SELECT e.%s FROM escrows e JOIN payments p ON p.id = e.payment_id WHERE p.order_id = '%s'",
			col, order);
}

Test(cmd_pay_refund, partial_then_full)
{
	char order[80], pid[64], st[32], pod[72];
	struct run_result r;
	int64_t sum;

	pf_paid(&f, "pod-algo-101", "user-ana", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	pf_string(&f, pod, sizeof pod, "SELECT pod_id FROM payments WHERE order_id = '%s'", order);

	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "20000", "--reason", "left after week one", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "20000 KRW COMPLETED"), "%s", r.out);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "PARTIALLY_REFUNDED");
	cr_assert_eq(pf_count(&f, "SELECT refunded_amount FROM payments WHERE order_id = '%s'", order), 20000);
	cr_assert_eq(escrow_col(order, "refunded_amount"), 20000);
	cr_assert_eq(pf_refund_entries(&f, order, &sum), 1);
	cr_assert_eq(sum, 20000);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'escrow:%s'", pod), -30000);
	pf_ledger_ok(&f);

	/* more than remains: refused, nothing changed, nothing sent */
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "30001", "--reason", "too much", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "pay-refund"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel", order), 1);

	/* the rest: a full refund */
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--reason", "pod cancelled", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "30000 KRW COMPLETED"), "%s", r.out);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "REFUNDED");
	cr_assert_eq(pf_count(&f, "SELECT refunded_amount FROM payments WHERE order_id = '%s'", order), 50000);
	cr_assert_eq(escrow_col(order, "refunded_amount"), 50000);
	cr_assert_eq(pf_count(&f,
			      "SELECT COUNT(*) FROM escrows e JOIN payments p ON p.id = e.payment_id "
			      "WHERE p.order_id = '%s' AND e.status = 'REFUNDED'",
			      order),
		     1);
	cr_assert_eq(pf_refund_entries(&f, order, &sum), 2);
	cr_assert_eq(sum, 50000);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'escrow:%s'", pod), 0);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account LIKE 'pg\\_clearing%%'"), 0);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 2);

	/* nothing remains: another refund is refused */
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "1", "--reason", "again", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 2);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel", order), 2);
	pf_ledger_ok(&f);
}

Test(cmd_pay_refund, refusals_change_nothing)
{
	char order[80], pid[64], failed[80], fpid[64], key[128];
	struct run_result r;
	struct {
		const char *what;
		const char *argv[8];
		int status;
		const char *expect;
	} cases[] = {
		{"unknown payment", {"pay-refund", "pay_no_such_payment_1", "--reason", "x", NULL}, 65, "unknown payment"},
		{"negative", {"pay-refund", pid, "--amount", "-1", "--reason", "x", NULL}, 65, "--amount"},
		{"zero", {"pay-refund", pid, "--amount", "0", "--reason", "x", NULL}, 65, "--amount"},
		{"non-numeric", {"pay-refund", pid, "--amount", "abc", "--reason", "x", NULL}, 65, "--amount"},
		{"exponent", {"pay-refund", pid, "--amount", "1e3", "--reason", "x", NULL}, 65, "--amount"},
		{"empty", {"pay-refund", pid, "--amount", "", "--reason", "x", NULL}, 65, "--amount"},
		{"more than paid", {"pay-refund", pid, "--amount", "50001", "--reason", "x", NULL}, 65, "exceeds"},
		{"failed payment", {"pay-refund", fpid, "--reason", "x", NULL}, 65, fpid},
		{"missing --reason", {"pay-refund", pid, "--amount", "100", NULL}, 64, "--reason"},
		{"no payment id", {"pay-refund", "--reason", "x", NULL}, 64, "PAYMENT_ID"},
		{"two payment ids", {"pay-refund", pid, pid, "--reason", "x", NULL}, 64, "PAYMENT_ID"},
	};

	pf_paid(&f, "pod-algo-101", "user-ben", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	pf_order(&f, "pod-algo-101", "user-rej", NULL, failed, sizeof failed);
	pf_checkout(&f, failed, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"refuse\",\"orderId\":\"%s\",\"op\":\"confirm\",\"code\":\"REJECT_CARD_PAYMENT\"}",
		 failed);
	pf_capture(&f, failed, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	pf_payment_id(&f, failed, fpid, sizeof fpid);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char st[32];

		run_program(&f.t, cases[i].argv, NULL, &r);
		cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].what, r.status, r.err);
		cr_assert(strstr(r.err, cases[i].expect), "%s: expected '%s' in %s", cases[i].what, cases[i].expect, r.err);
		cr_assert(pf_one_error(r.err, "pay-refund"), "%s: %s", cases[i].what, r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 0, "%s", cases[i].what);
		cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "COMPLETED", "%s", cases[i].what);
		cr_assert_str_eq(pf_status(&f, failed, st, sizeof st), "FAILED", "%s", cases[i].what);
		cr_assert_eq(sandbox_stat(&f.sp, "cancel", NULL), 0, "%s: a cancel was sent", cases[i].what);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'refund'"), 0);
	pf_assert_captured(&f, order, "COMPLETED");
	pf_ledger_ok(&f);
}

Test(cmd_pay_refund, cancel_http500_then_sweep)
{
	char order[80], pid[64], st[32];
	struct run_result r;
	int64_t sum;

	pf_paid(&f, "pod-rust-301", "user-cho", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"cancel\",\"count\":-1}", order);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "5000", "--reason", "partial", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "pay-refund"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds WHERE status = 'REQUESTED' AND amount = 5000"), 1);
	cr_assert_eq(pf_refund_entries(&f, order, &sum), 0);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "COMPLETED");

	/* still failing: the sweep leaves it in doubt and says so */
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 75, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds WHERE status = 'REQUESTED'"), 1);

	pf_clear_faults(&f);
	/* the second doubt doubled the backoff (2 s) */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE refunds SET next_check_at = NULL"), 0);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds WHERE status = 'COMPLETED' AND amount = 5000"), 1);
	cr_assert_eq(pf_refund_entries(&f, order, &sum), 1);
	cr_assert_eq(sum, 5000);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "PARTIALLY_REFUNDED");
	cr_assert_eq(pf_count(&f, "SELECT refunded_amount FROM payments WHERE order_id = '%s'", order), 5000);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1);
	pf_ledger_ok(&f);
}

Test(cmd_pay_refund, nicepay_full_refund)
{
	char order[80], pid[64], st[32];
	struct run_result r;
	int64_t sum;

	pf_paid(&f, "pod-sql-201", "user-nice", (const char *const[]){"--pg", "nicepay", NULL}, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "10000", "--reason", "partial", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--reason", "rest", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "REFUNDED");
	cr_assert_eq(pf_refund_entries(&f, order, &sum), 2);
	cr_assert_eq(sum, 30000);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 2);
	pf_ledger_ok(&f);
}

/* A regression: a refused look-up (here 403 FORBIDDEN_REQUEST) during the
 * sweep must leave both the payment in CONFIRMING and the refund REQUESTED.
 * The sweep once read any refusal as a failed payment or refund, though the
 * PG may have taken or returned the money. */
Test(cmd_pay_refund, refused_lookup_leaves_refund_and_payment_in_doubt)
{
	char order[80], order2[80], key2[256], pid[64], st[32];
	struct run_result r;

	pf_paid(&f, "pod-rust-301", "user-cho", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"cancel\",\"count\":1}", order);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "5000", "--reason", "partial", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);

	pf_order(&f, "pod-algo-101", "user-ida", NULL, order2, sizeof order2);
	pf_checkout(&f, order2, "CARD", key2, sizeof key2);
	pf_fault(&f, "{\"fault\":\"drop_after_commit\",\"orderId\":\"%s\",\"op\":\"confirm\"}", order2);
	pf_capture(&f, order2, key2, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);

	pf_fault(&f, "{\"fault\":\"refuse\",\"op\":\"get\",\"count\":-1,\"code\":\"FORBIDDEN_REQUEST\",\"status\":403}");
	cr_assert_eq(testdb_sql(&f.t, "UPDATE refunds SET next_check_at = NULL"), 0);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payments SET next_check_at = NULL"), 0);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 75, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds WHERE status = 'REQUESTED'"), 1);
	cr_assert_str_eq(pf_status(&f, order2, st, sizeof st), "CONFIRMING");

	/* once the PG answers again, both finish exactly once */
	pf_clear_faults(&f);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE refunds SET next_check_at = NULL"), 0);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payments SET next_check_at = NULL"), 0);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds WHERE status = 'COMPLETED'"), 1);
	cr_assert_str_eq(pf_status(&f, order2, st, sizeof st), "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order2), 1);
	pf_ledger_ok(&f);
}

/* One refund in flight per payment: a second one while the first is in
 * doubt is refused with 75 (try again), and nothing is sent or written. */
Test(cmd_pay_refund, second_refund_waits_for_one_in_doubt)
{
	char order[80], pid[64];
	struct run_result r;

	pf_paid(&f, "pod-rust-301", "user-cho", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"cancel\",\"count\":1}", order);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "5000", "--reason", "first", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "1000", "--reason", "second", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "still in doubt"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel", order), 1);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE refunds SET next_check_at = NULL"), 0);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "1000", "--reason", "second", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT refunded_amount FROM payments WHERE order_id = '%s'", order), 6000);
	pf_ledger_ok(&f);
}
