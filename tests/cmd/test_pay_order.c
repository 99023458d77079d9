/* pay-order against the real database and the sandbox's Study Service:
 * the amount comes from the pod, a PENDING order is reused, and every
 * refusal is one line, a sysexits code and no new row. */
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

TestSuite(cmd_pay_order, .init = setup, .fini = teardown, .timeout = 60);

Test(cmd_pay_order, pending_with_the_pods_amount)
{
	struct run_result r;
	char order[80], st[32], pid[64];

	run_program(&f.t, (const char *[]){"pay-order", "--json", "--pod", "pod-algo-101", "--user", "user-ana", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"existing\":false"), "%s", r.out);
	cr_assert(strstr(r.out, "\"amount\":50000,"), "%s", r.out);
	cr_assert(strstr(r.out, "\"currency\":\"KRW\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"pg\":\"toss\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"status\":\"PENDING\""), "%s", r.out);
	cr_assert_eq(sscanf(strstr(r.out, "\"orderId\":\"") + 11, "%79[^\"]", order), 1, "%s", r.out);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "PENDING");
	cr_assert_eq(pf_amount(&f, order), 50000);
	pf_payment_id(&f, order, pid, sizeof pid);
	cr_assert(strstr(r.out, pid), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries"), 0);

	/* the same user again while PENDING: the same order */
	run_program(&f.t, (const char *[]){"pay-order", "--json", "--pod", "pod-algo-101", "--user", "user-ana", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"existing\":true"), "%s", r.out);
	cr_assert(strstr(r.out, order), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments"), 1);

	/* plain output: the order id alone */
	run_program(&f.t, (const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-ana", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(!strncmp(r.out, order, strlen(order)) && r.out[strlen(order)] == '\n', "%s", r.out);
}

Test(cmd_pay_order, method_and_pg_options)
{
	struct run_result r;
	char order[80], buf[32];

	pf_order(&f, "pod-sql-201", "user-ben", (const char *const[]){"--method", "TRANSFER", NULL}, order, sizeof order);
	cr_assert_str_eq(pf_string(&f, buf, sizeof buf, "SELECT method FROM payments WHERE order_id = '%s'", order),
			 "TRANSFER");
	cr_assert_eq(pf_amount(&f, order), 30000);
	pf_order(&f, "pod-rust-301", "user-cho", (const char *const[]){"--pg", "nicepay", NULL}, order, sizeof order);
	cr_assert_str_eq(pf_string(&f, buf, sizeof buf, "SELECT pg FROM payments WHERE order_id = '%s'", order),
			 "nicepay");
	cr_assert_eq(pf_amount(&f, order), 70000);
	run_program(&f.t,
		    (const char *[]){"pay-order", "--json", "--pod", "pod-rust-301", "--user", "user-dan", "--method",
				     "VIRTUAL_ACCOUNT", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"method\":\"VIRTUAL_ACCOUNT\""), "%s", r.out);
}

static void refused(const char *what, const char *const *argv, int status, const char *expect)
{
	struct run_result r;
	int64_t before = pf_count(&f, "SELECT COUNT(*) FROM payments");
	int64_t events = pf_count(&f, "SELECT COUNT(*) FROM payment_events");

	run_program(&f.t, argv, NULL, &r);
	cr_assert_eq(r.status, status, "%s: status %d: %s", what, r.status, r.err);
	cr_assert(strstr(r.err, expect), "%s: expected '%s' in: %s", what, expect, r.err);
	cr_assert(pf_one_line(r.err), "%s: not one line: %s", what, r.err);
	cr_assert_str_eq(r.out, "", "%s: printed %s", what, r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments"), before, "%s: a row was written", what);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payment_events"), events, "%s: an event was written", what);
}

Test(cmd_pay_order, refusals_change_nothing)
{
	char order[80], key[128];
	struct run_result r;

	refused("unknown pod", (const char *[]){"pay-order", "--pod", "no-such-pod", "--user", "user-gus", NULL}, 65,
		"no-such-pod");
	refused("closed pod", (const char *[]){"pay-order", "--pod", "pod-toeic-901", "--user", "user-gus", NULL}, 65,
		"pod-toeic-901");
	refused("completed pod", (const char *[]){"pay-order", "--pod", "pod-done-501", "--user", "user-gus", NULL}, 65,
		"pod-done-501");
	refused("free pod", (const char *[]){"pay-order", "--pod", "pod-book-001", "--user", "user-gus", NULL}, 65,
		"free");

	/* a user who already paid */
	pf_order(&f, "pod-algo-101", "user-ana", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	refused("already paid", (const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-ana", NULL}, 65,
		"user-ana");

	/* a full pod */
	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-1\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":1,"
					    "\"status\":\"OPEN\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	refused("full pod", (const char *[]){"pay-order", "--pod", "pod-tiny-1", "--user", "user-gus", NULL}, 65,
		"pod-tiny-1");
	pf_ledger_ok(&f);
}

Test(cmd_pay_order, usage_errors)
{
	refused("missing --pod", (const char *[]){"pay-order", "--user", "user-gus", NULL}, 64, "--pod");
	refused("missing --user", (const char *[]){"pay-order", "--pod", "pod-algo-101", NULL}, 64, "--user");
	refused("bad --method",
		(const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-gus", "--method", "CASH", NULL}, 64,
		"CASH");
	refused("bad --pg",
		(const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-gus", "--pg", "paypal", NULL}, 64,
		"paypal");
	refused("stray argument",
		(const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-gus", "extra", NULL}, 64, "extra");
}
