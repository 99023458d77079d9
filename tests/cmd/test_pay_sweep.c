/* PG faults on confirm, finished by `pay-capture --sweep`; duplicate
 * confirms; PENDING expiry; the multi-PG breaker. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[breaker]\nmax_failures = 3\nwindow_s = 600\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_pay_sweep, .init = setup, .fini = teardown, .timeout = 60);

/* Order, checkout, arm the fault, capture: exit 75, CONFIRMING, no money;
 * then clear, wait out the backoff, sweep: COMPLETED, confirmed once. */
static void doubt_then_sweep(const char *user, const char *fault)
{
	char order[80], key[128], st[32];
	struct run_result r;

	pf_order(&f, "pod-algo-101", user, NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"%s\",\"orderId\":\"%s\",\"op\":\"confirm\",\"count\":-1}", fault, order);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 75, "%s: %d %s", fault, r.status, r.err);
	cr_assert(pf_one_error(r.err, "pay-capture"), "%s: %s", fault, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "CONFIRMING", "%s", fault);
	pf_assert_no_money(&f, order);

	pf_clear_faults(&f);
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s: sweep %d %s %s", fault, r.status, r.out, r.err);
	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1, "%s", fault);
	/* a later sweep finds nothing to do */
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1, "%s", fault);
	pf_assert_captured(&f, order, "COMPLETED");
	pf_ledger_ok(&f);
}

Test(cmd_pay_sweep, http500_then_sweep)
{
	doubt_then_sweep("user-h500", "http500");
}

Test(cmd_pay_sweep, malformed_then_sweep)
{
	doubt_then_sweep("user-malf", "malformed");
}

Test(cmd_pay_sweep, drop_after_commit_then_sweep)
{
	doubt_then_sweep("user-drop", "drop_after_commit");
}

Test(cmd_pay_sweep, delay_past_timeout_then_sweep)
{
	char order[80], key[128], st[32];
	struct run_result r;

	pf_order(&f, "pod-algo-101", "user-slow", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"delay\",\"orderId\":\"%s\",\"op\":\"confirm\",\"delayMs\":3000}", order);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "CONFIRMING");
	pf_assert_no_money(&f, order);
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "sweep %d %s %s", r.status, r.out, r.err);
	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1);
	pf_ledger_ok(&f);
}

Test(cmd_pay_sweep, refused_card_fails_without_money)
{
	char order[80], key[128], st[32], code[64];
	struct run_result r;

	pf_order(&f, "pod-algo-101", "user-rej", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"refuse\",\"orderId\":\"%s\",\"op\":\"confirm\",\"code\":\"REJECT_CARD_PAYMENT\","
		     "\"message\":\"limit exceeded\",\"status\":403}",
		 order);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "REJECT_CARD_PAYMENT"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "pay-capture"), "%s", r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "FAILED");
	cr_assert_str_eq(pf_string(&f, code, sizeof code, "SELECT pg_code FROM payments WHERE order_id = '%s'", order),
			 "REJECT_CARD_PAYMENT");
	pf_assert_no_money(&f, order);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries"), 0);
	/* a sweep leaves it FAILED; capturing again is refused */
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "FAILED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 0);
	/* the user may order again */
	pf_order(&f, "pod-algo-101", "user-rej", NULL, code, sizeof code);
	cr_assert_str_neq(code, order);
	pf_ledger_ok(&f);
}

Test(cmd_pay_sweep, duplicate_confirms_charge_once)
{
	char order[80], key[128], amount[32], o2[80], k2[128], e1[4096], e2[4096];
	struct run_result r;
	int s1, s2;

	/* twice in a row */
	pf_order(&f, "pod-sql-201", "user-twice", NULL, o2, sizeof o2);
	pf_checkout(&f, o2, "CARD", k2, sizeof k2);
	pf_capture(&f, o2, k2, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_capture(&f, o2, k2, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_assert_captured(&f, o2, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", o2), 1);

	/* twice at once */
	pf_order(&f, "pod-algo-101", "user-dup", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	snprintf(amount, sizeof amount, "%lld", (long long)pf_amount(&f, order));
	{
		const char *argv[] = {"pay-capture", "--order", order, "--payment-key", key, "--amount", amount, NULL};
		int p1 = pf_spawn(&f, argv, NULL), p2 = pf_spawn(&f, argv, NULL);

		s1 = pf_wait(p1, e1, sizeof e1);
		s2 = pf_wait(p2, e2, sizeof e2);
	}
	cr_assert((s1 == 0 || s1 == 75) && (s2 == 0 || s2 == 75) && (s1 == 0 || s2 == 0), "statuses %d %d\n%s\n%s", s1,
		  s2, e1, e2);
	if (s1 || s2) {
		pf_backoff();
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
	}
	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 2);
	pf_ledger_ok(&f);
}

/* Many confirms in doubt at once: the sweep's workers finish them (and
 * the participation confirms owed to the Study Service) concurrently. */
Test(cmd_pay_sweep, many_in_doubt_finished_by_one_sweep)
{
	static const char *const pods[] = {"pod-algo-101", "pod-sql-201", "pod-rust-301"};
	char orders[12][80], key[128], user[32];
	struct run_result r;

	pf_fault(&f, "{\"fault\":\"http500\",\"op\":\"confirm\",\"count\":-1}");
	for (int i = 0; i < 12; i++) {
		snprintf(user, sizeof user, "user-many%d", i);
		pf_order(&f, pods[i % 3], user, (const char *const[]){"--pg", i % 2 ? "nicepay" : "toss", NULL}, orders[i],
			 sizeof orders[i]);
		pf_checkout(&f, orders[i], "CARD", key, sizeof key);
		pf_capture(&f, orders[i], key, NULL, &r);
		cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	}
	pf_clear_faults(&f);
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "sweep %d %s %s", r.status, r.out, r.err);
	for (int i = 0; i < 12; i++) {
		char st[32], code[300];

		pf_string(&f, code, sizeof code, "SELECT CONCAT(pg, ' ', COALESCE(pg_code, ''), ' ', COALESCE(pg_message, '')) "
						 "FROM payments WHERE order_id = '%s'", orders[i]);
		cr_assert_str_eq(pf_status(&f, orders[i], st, sizeof st), "COMPLETED", "%d: %s\n%s\n%s", i, code, r.out,
				 r.err);
		pf_assert_captured(&f, orders[i], "COMPLETED");
		cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", orders[i]), 1);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM participation_confirms WHERE done_at IS NOT NULL"), 12);
	/* the sweep is a batch job: its run is on record (a capture is not) */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs WHERE job = 'pay-capture' AND status = 'DONE' "
				  "AND counts LIKE 'looked_at=%%captured=12 %%' AND finished_at IS NOT NULL"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM job_runs"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_pay_sweep, pending_order_expires)
{
	char order[80], st[32];
	struct run_result r;

	run_program(&f.t, (const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-late", NULL},
		    (const char *[]){"SETTLE_NOW=2020-01-01T00:00:00Z", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sscanf(r.out, "%79s", order), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE created_at < '2020-01-02'"), 1);
	/* a fresh one is not touched */
	pf_order(&f, "pod-algo-101", "user-fresh", NULL, st, sizeof st);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "EXPIRED");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE status = 'PENDING'"), 1);
	pf_assert_no_money(&f, order);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm", NULL), 0);
	pf_ledger_ok(&f);
}

static void order_json(const char *user, const char *pg, char *pg_out, size_t len)
{
	struct run_result r;
	const char *argv[] = {"pay-order", "--json", "--pod", "pod-rust-301", "--user", user, pg ? "--pg" : NULL, pg, NULL};
	const char *p;

	run_program(&f.t, argv, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	p = strstr(r.out, "\"pg\":\"");
	cr_assert_not_null(p, "%s", r.out);
	cr_assert_eq(sscanf(p + 6, "%15[^\"]", pg_out), 1);
	(void)len;
}

Test(cmd_pay_sweep, breaker_moves_new_orders_to_nicepay)
{
	char order[80], key[128], pg[16], user[32];
	struct run_result r;

	pf_fault(&f, "{\"fault\":\"http500\",\"op\":\"confirm\",\"count\":-1}");
	for (int i = 0; i < 5; i++) {
		snprintf(user, sizeof user, "user-brk%d", i);
		pf_order(&f, "pod-algo-101", user, NULL, order, sizeof order);
		cr_assert_str_eq(pf_string(&f, pg, sizeof pg, "SELECT pg FROM payments WHERE order_id = '%s'", order),
				 i < 3 ? "toss" : "nicepay", "order %d", i);
		if (i >= 3)
			break;
		pf_checkout(&f, order, "CARD", key, sizeof key);
		pf_capture(&f, order, key, NULL, &r);
		cr_assert_eq(r.status, 75, "%d %s", r.status, r.err);
	}
	order_json("user-new1", NULL, pg, sizeof pg);
	cr_assert_str_eq(pg, "nicepay");
	order_json("user-new2", "toss", pg, sizeof pg);
	cr_assert_str_eq(pg, "toss");
	order_json("user-new3", NULL, pg, sizeof pg);
	cr_assert_str_eq(pg, "nicepay");

	/* the PG heals: the sweep's good answers close the breaker */
	pf_clear_faults(&f);
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE status = 'COMPLETED'"), 3);
	order_json("user-new4", NULL, pg, sizeof pg);
	cr_assert_str_eq(pg, "toss");
	pf_ledger_ok(&f);
}
