/* pay-capture against the real database and the sandbox PGs: the happy
 * paths of every method and both PGs, a repeated capture, and bad input
 * that must change nothing and send nothing. */
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

TestSuite(cmd_pay_capture, .init = setup, .fini = teardown, .timeout = 60);

static void capture_ok(const char *pod, const char *user, const char *const *order_args, const char *method,
		       char *order, size_t len)
{
	struct run_result r;
	char key[128];

	pf_order(&f, pod, user, order_args, order, len);
	pf_checkout(&f, order, method, key, sizeof key);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 0, "capture %s: %d %s", order, r.status, r.err);
	cr_assert(strstr(r.out, order), "%s", r.out);
}

Test(cmd_pay_capture, toss_card_holds_the_money_in_escrow)
{
	char order[80], buf[32];
	struct run_result r;

	capture_ok("pod-algo-101", "user-ana", NULL, "CARD", order, sizeof order);
	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_str_eq(pf_string(&f, buf, sizeof buf,
				   "SELECT e.status FROM escrows e JOIN payments p ON p.id = e.payment_id "
				   "WHERE p.order_id = '%s'",
				   order),
			 "HOLDING");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries"), 1);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings"), 0);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1);
	/* the Study Service heard of the participant */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM participation_confirms WHERE done_at IS NOT NULL"), 1);
	pf_ledger_ok(&f);

	/* a second capture prints the order, changes nothing, confirms nothing */
	{
		char key[128];

		pf_string(&f, key, sizeof key, "SELECT payment_key FROM payments WHERE order_id = '%s'", order);
		pf_capture(&f, order, key, NULL, &r);
	}
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, order) && strstr(r.out, "COMPLETED"), "%s", r.out);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm", order), 1);
	pf_assert_captured(&f, order, "COMPLETED");
	pf_ledger_ok(&f);
}

Test(cmd_pay_capture, toss_transfer_and_nicepay_card)
{
	char o1[80], o2[80];

	capture_ok("pod-sql-201", "user-ben", (const char *const[]){"--method", "TRANSFER", NULL}, "TRANSFER", o1,
		   sizeof o1);
	pf_assert_captured(&f, o1, "COMPLETED");
	capture_ok("pod-rust-301", "user-cho", (const char *const[]){"--pg", "nicepay", NULL}, "CARD", o2, sizeof o2);
	pf_assert_captured(&f, o2, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", o1), 1);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", o2), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 2);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account LIKE 'pg\\_clearing%%'"), 100000);
	pf_ledger_ok(&f);
}

Test(cmd_pay_capture, virtual_account_deposit_then_sweep)
{
	char order[80], st[32], body[160], resp[512];
	struct run_result r;

	capture_ok("pod-algo-101", "user-dan", (const char *const[]){"--method", "VIRTUAL_ACCOUNT", NULL},
		   "VIRTUAL_ACCOUNT", order, sizeof order);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "WAITING_FOR_DEPOSIT");
	pf_assert_no_money(&f, order);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE va_account IS NOT NULL"), 1);

	/* nothing deposited yet: the sweep leaves it waiting */
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "WAITING_FOR_DEPOSIT");
	cr_assert_eq(sandbox_stat(&f.sp, "get", order), 1, "the sweep asked the PG once");
	/* That look scheduled the next one claim_s (5 min) later: let them pass. */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payments SET next_check_at = NULL"), 0);

	snprintf(body, sizeof body, "{\"orderId\":\"%s\"}", order);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/deposit", body, resp, sizeof resp), 200, "%s", resp);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
	{
		char show[4096];
		struct run_result r2;

		run_program(&f.t, (const char *[]){"pay-show", "--order", order, NULL}, NULL, &r2);
		snprintf(show, sizeof show, "%s", r2.out);
		cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "COMPLETED", "sweep: %s %s\nshow: %s", r.out, r.err, show);
	}
	pf_assert_captured(&f, order, "COMPLETED");
	pf_ledger_ok(&f);
}

Test(cmd_pay_capture, virtual_account_expired_then_sweep)
{
	char order[80], st[32], body[160], resp[512];
	struct run_result r;

	capture_ok("pod-sql-201", "user-eve", (const char *const[]){"--method", "VIRTUAL_ACCOUNT", NULL},
		   "VIRTUAL_ACCOUNT", order, sizeof order);
	snprintf(body, sizeof body, "{\"orderId\":\"%s\"}", order);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/expire", body, resp, sizeof resp), 200, "%s", resp);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "EXPIRED");
	pf_assert_no_money(&f, order);
	/* the place is free again: the user may order anew */
	pf_order(&f, "pod-sql-201", "user-eve", NULL, body, sizeof body);
	cr_assert_str_neq(body, order);
	pf_ledger_ok(&f);
}

Test(cmd_pay_capture, bad_input_changes_nothing_and_sends_nothing)
{
	char order[80], key[128], amount[32];
	struct run_result r;
	struct {
		const char *what, *order, *amount, *expect;
		int status;
	} cases[] = {
		{"unknown order", "ord_no_such_order_1", NULL, "unknown order", 65},
		{"tampered amount", NULL, "49999", "does not match", 65},
		{"bigger amount", NULL, "50001", "does not match", 65},
		{"negative", NULL, "-1", "--amount", 65},
		{"zero", NULL, "0", "--amount", 65},
		{"non-numeric", NULL, "abc", "--amount", 65},
		{"exponent", NULL, "1e3", "--amount", 65},
		{"decimal", NULL, "50000.0", "--amount", 65},
		{"empty", NULL, "", "--amount", 65},
		{"huge", NULL, "99999999999999999999", "--amount", 65},
	};
	int64_t events;

	pf_order(&f, "pod-algo-101", "user-fay", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	snprintf(amount, sizeof amount, "%lld", (long long)pf_amount(&f, order));
	events = pf_count(&f, "SELECT COUNT(*) FROM payment_events");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char st[32];

		run_program(&f.t,
			    (const char *[]){"pay-capture", "--order", cases[i].order ? cases[i].order : order,
					     "--payment-key", key, "--amount", cases[i].amount ? cases[i].amount : amount,
					     NULL},
			    NULL, &r);
		cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].what, r.status, r.err);
		cr_assert(strstr(r.err, cases[i].expect), "%s: expected '%s' in %s", cases[i].what, cases[i].expect,
			  r.err);
		cr_assert(pf_one_error(r.err, "pay-capture"), "%s: not one error line: %s", cases[i].what, r.err);
		cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "PENDING", "%s", cases[i].what);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payment_events"), events, "%s", cases[i].what);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE payment_key IS NOT NULL"), 0, "%s",
			     cases[i].what);
		cr_assert_eq(sandbox_stat(&f.sp, "confirm", NULL), 0, "%s: a confirm was sent", cases[i].what);
	}
	pf_assert_no_money(&f, order);

	/* usage errors */
	{
		const char *const *argvs[] = {
			(const char *[]){"pay-capture", NULL},
			(const char *[]){"pay-capture", "--order", order, "--payment-key", key, NULL},
			(const char *[]){"pay-capture", "--order", order, "--amount", amount, NULL},
			(const char *[]){"pay-capture", "--payment-key", key, "--amount", amount, NULL},
			(const char *[]){"pay-capture", "--sweep", "--order", order, NULL},
			(const char *[]){"pay-capture", "--order", order, "--payment-key", key, "--amount", amount, "x", NULL},
		};

		for (size_t i = 0; i < sizeof argvs / sizeof argvs[0]; i++) {
			run_program(&f.t, argvs[i], NULL, &r);
			cr_assert_eq(r.status, 64, "usage case %zu: %d %s", i, r.status, r.err);
			cr_assert(pf_one_line(r.err), "usage case %zu: %s", i, r.err);
		}
	}
	cr_assert_eq(sandbox_stat(&f.sp, "confirm", NULL), 0);

	/* and the order still captures normally afterwards */
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1);
	pf_ledger_ok(&f);
}
