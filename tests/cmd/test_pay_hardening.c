/*
 * Issue 7 §2, §6, §7 against the real programs, database and sandbox:
 * a refused confirm reserves nothing; a killed sweeper's claims expire on
 * a short lease and a re-run finishes the work (and says so, with 75,
 * while they are still held); a place the Study Service refuses is
 * refunded, not left holding the customer's money.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[payments]\nsweep_lease_s = 3\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_pay_hardening, .init = setup, .fini = teardown, .timeout = 60);

static void capture_with_key(const char *order, const char *key, struct run_result *r)
{
	char amount[32];

	snprintf(amount, sizeof amount, "%lld", (long long)pf_amount(&f, order));
	run_program(&f.t,
		    (const char *[]){"pay-capture", "--order", order, "--payment-key", key, "--amount", amount, NULL},
		    NULL, r);
}

/* Members of the class: a key that belongs to another order, presented by
 * one order or by several, before the rightful capture. */
Test(cmd_pay_hardening, refused_confirm_reserves_no_key)
{
	char victim[80], thief[80], thief2[80], key[128], st[32];
	struct run_result r;

	pf_order(&f, "pod-algo-101", "user-victim", NULL, victim, sizeof victim);
	pf_checkout(&f, victim, "CARD", key, sizeof key);
	pf_order(&f, "pod-algo-101", "user-thief", NULL, thief, sizeof thief);
	pf_order(&f, "pod-algo-101", "user-thief2", NULL, thief2, sizeof thief2);

	/* the PG refuses the key for orders it does not belong to */
	capture_with_key(thief, key, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, thief, st, sizeof st), "FAILED");
	capture_with_key(thief2, key, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	pf_assert_no_money(&f, thief);
	pf_assert_no_money(&f, thief2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE payment_key IS NOT NULL"), 0,
		     "a refused confirm left its key owned");

	/* the customer who paid can still be captured */
	pf_capture(&f, victim, key, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	pf_assert_captured(&f, victim, "COMPLETED");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE payment_key = '%s'", key), 1);

	/* once owned, the key is refused for any other order before the PG */
	{
		char late[80];
		long before;

		pf_order(&f, "pod-sql-201", "user-late", NULL, late, sizeof late);
		before = sandbox_stat(&f.sp, "confirm", late);
		capture_with_key(late, key, &r);
		cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
		cr_assert(strstr(r.err, "already used by another order"), "%s", r.err);
		cr_assert_eq(sandbox_stat(&f.sp, "confirm", late), before, "the owned key was sent to the PG");
		cr_assert_str_eq(pf_status(&f, late, st, sizeof st), "PENDING");
	}
	pf_ledger_ok(&f);
}

static void sweep_env(const char *env, struct run_result *r)
{
	run_program(&f.t, (const char *[]){"pay-capture", "--sweep", NULL}, (const char *[]){env, NULL}, r);
}

/* Killed at each step of a batch: the re-run while the lease holds says
 * how much is held and exits 75; after the lease it finishes, once. */
Test(cmd_pay_hardening, killed_sweeper_lease_expires)
{
	static const char *const points[] = {"sweep.after_claim", "sweep.after_calls"};

	for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
		char order[80], key[128], user[32], env[64], st[32];
		struct run_result r;

		snprintf(user, sizeof user, "user-lease-%zu", i);
		pf_order(&f, "pod-algo-101", user, NULL, order, sizeof order);
		pf_checkout(&f, order, "CARD", key, sizeof key);
		pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"confirm\"}", order);
		pf_capture(&f, order, key, NULL, &r);
		cr_assert_eq(r.status, 75, "%s: %d %s", points[i], r.status, r.err);
		pf_backoff();

		snprintf(env, sizeof env, "SETTLE_FAILPOINT=%s", points[i]);
		sweep_env(env, &r);
		cr_assert_eq(r.status, 128 + 9, "%s: %d %s", points[i], r.status, r.err);

		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 75, "%s: re-run inside the lease: %d %s", points[i], r.status, r.err);
		cr_assert(strstr(r.err, "1 item(s) are claimed by another sweeper"), "%s: %s", points[i], r.err);
		cr_assert(pf_one_error(r.err, "pay-capture"), "%s: %s", points[i], r.err);
		cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "CONFIRMING");

		sleep(3);
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s: after the lease: %d %s", points[i], r.status, r.err);
		pf_assert_captured(&f, order, "COMPLETED");
		cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order), 1, "%s", points[i]);
	}
	pf_ledger_ok(&f);
}

/* The pod filled between order and capture: the payment is refunded in
 * full through the PG, the refusal is in its history, and the ledger is
 * back where it started for it. */
Test(cmd_pay_hardening, refused_place_is_refunded)
{
	char order[80], key[128], st[32];
	struct run_result r;
	int64_t sum = 0;

	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-2\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":0,"
					    "\"status\":\"OPEN\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	pf_order(&f, "pod-tiny-2", "user-late", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	/* someone else took the last place in the Study Service meanwhile */
	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-2\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":1,"
					    "\"status\":\"FULL\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "refused the place") && strstr(r.err, "POD_FULL"), "%s", r.err);
	cr_assert(pf_one_error(r.err, "pay-capture"), "%s", r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "REFUNDED");
	cr_assert_eq(pf_refund_entries(&f, order, &sum), 1);
	cr_assert_eq(sum, 10000);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1);
	cr_assert_eq(pf_count(&f,
			      "SELECT COUNT(*) FROM payment_events e JOIN payments p ON p.id = e.payment_id "
			      "WHERE p.order_id = '%s' AND e.pg_code = 'PLACE_REFUSED'",
			      order),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM participation_confirms q JOIN payments p ON p.id = q.payment_id "
				  "WHERE p.order_id = '%s' AND q.refused_at IS NOT NULL",
			      order),
		     1);
	/* nothing more for the sweep to do */
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1);
	pf_ledger_ok(&f);
}

/* The refusal seen by the sweep (the capture's own call failed for a
 * moment): refunded by the sweep; with the setting off, only recorded. */
Test(cmd_pay_hardening, refused_place_found_by_sweep)
{
	char order[80], key[128], st[32];
	struct run_result r;

	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-3\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":0,"
					    "\"status\":\"OPEN\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	pf_order(&f, "pod-tiny-3", "user-late3", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"http500\",\"op\":\"study\",\"count\":1}");
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "COMPLETED");
	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-3\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":1,"
					    "\"status\":\"FULL\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	pf_backoff();
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "REFUNDED");
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order), 1);
	pf_ledger_ok(&f);
}
