/*
 * The outbox events of issue 14 as the programs write them, against the
 * real database and the sandbox: each is a notifications row written with
 * its change, keyed by the event, and there once after a re-run —
 * escrow-dispute (opened, resolved: to the pod's leader and the
 * operators), escrow-release (one notice per pod, to its leader),
 * settle-run (the leader's statement; a payout held, to the leader and
 * the operators), pay-capture (a charged customer whose place was refused
 * and whose refund failed: to the customer and the operators).
 * payout-send's held notices are in test_payout_sellers.c, invoice-issue's
 * in test_invoice_issue.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

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

TestSuite(cmd_outbox_events, .init = setup, .fini = teardown, .timeout = 90);

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static int64_t notes(const char *where)
{
	return pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE %s", where);
}

Test(cmd_outbox_events, disputes_and_releases_tell_the_leader_once)
{
	char o[80], esc[48], dsp[48], w[256];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o); /* leader-kim */
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o); /* leader-lee */
	pf_string(&f, esc, sizeof esc, "SELECT e.public_id FROM escrows e JOIN payments p ON p.id = e.payment_id "
				       "WHERE p.order_id = '%s'", o);

	run((const char *[]){"escrow-dispute", "open", esc, "--reason", "no <b>show</b>", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	pf_string(&f, dsp, sizeof dsp, "SELECT public_id FROM disputes");
	snprintf(w, sizeof w, "notify_key = 'dispute.opened:%s' AND recipient_kind = 'leader' AND "
			      "recipient_id = 'leader-lee' AND JSON_VALUE(facts, '$.reason') = 'no <b>show</b>'", dsp);
	cr_assert_eq(notes(w), 1);
	snprintf(w, sizeof w, "notify_key = 'dispute.opened:%s:ops' AND recipient_kind = 'operator'", dsp);
	cr_assert_eq(notes(w), 1);
	/* opened again: refused, nothing added */
	run((const char *[]){"escrow-dispute", "open", esc, "--reason", "again", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_eq(notes("template = 'dispute.opened'"), 2);

	run((const char *[]){"escrow-dispute", "resolve", esc, "--release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	snprintf(w, sizeof w, "notify_key = 'dispute.resolved:%s' AND recipient_id = 'leader-lee' AND "
			      "JSON_VALUE(facts, '$.released') = '30000' AND JSON_VALUE(facts, '$.resolution') = 'RELEASE'",
		 dsp);
	cr_assert_eq(notes(w), 1);
	run((const char *[]){"escrow-dispute", "resolve", esc, "--release", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_eq(notes("template = 'dispute.resolved'"), 2);

	/* the resolved escrow is released at once; pod-algo-101 after its hold */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - "
				      "INTERVAL 10 DAY WHERE pod_id = 'pod-algo-101'"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(notes("template = 'escrow.released'"), 2, "one per pod, not one per escrow");
	cr_assert_eq(notes("template = 'escrow.released' AND recipient_id = 'leader-kim' AND "
			   "notify_key LIKE 'escrow.released:pod-algo-101:esc\\_%' AND "
			   "JSON_VALUE(facts, '$.amount') = '100000' AND JSON_VALUE(facts, '$.participants') = '2'"),
		     1);
	cr_assert_eq(notes("template = 'escrow.released' AND recipient_id = 'leader-lee' AND "
			   "JSON_VALUE(facts, '$.amount') = '30000' AND JSON_VALUE(facts, '$.participants') = '1'"),
		     1);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(notes("template = 'escrow.released'"), 2);
}

Test(cmd_outbox_events, settle_run_sends_each_leader_a_statement_and_tells_of_a_held_payout)
{
	char o[80], path[512], set[48];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o); /* leader-kim, INDIVIDUAL */
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o); /* leader-lee, INDIVIDUAL_BUSINESS */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path),
			     NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* leader-kim has no bank account on file: the payout is HELD */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET account_enc = NULL, bank_code = NULL, account_last4 = NULL "
				      "WHERE leader_id = 'leader-kim'"),
		     0u);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);

	/* one statement per leader: 100 000 → fee 20 000 (VAT 1 819), share
	 * 80 000, withholding 2 640, net 77 360 */
	pf_string(&f, set, sizeof set, "SELECT public_id FROM settlements WHERE pod_id = 'pod-algo-101'");
	cr_assert_eq(notes("template = 'settlement.made'"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications n JOIN payouts p ON p.leader_id = n.recipient_id "
				  "WHERE n.notify_key = 'settlement.made:%s' AND n.recipient_kind = 'leader' "
				  "AND n.recipient_id = 'leader-kim' "
				  "AND JSON_VALUE(n.facts, '$.pods') = 'pod-algo-101 — 100,000 — 20,000 (20%%) — 1,819' "
				  "AND JSON_VALUE(n.facts, '$.total') = '100000' AND JSON_VALUE(n.facts, '$.fee') = '20000' "
				  "AND JSON_VALUE(n.facts, '$.rate') = '20%%' AND JSON_VALUE(n.facts, '$.vat') = '1819' "
				  "AND JSON_VALUE(n.facts, '$.share') = '80000' "
				  "AND JSON_VALUE(n.facts, '$.withholding') = '2640' AND JSON_VALUE(n.facts, '$.net') = '77360' "
				  "AND JSON_VALUE(n.facts, '$.payout') = p.public_id",
			      set),
		     1);
	cr_assert_eq(notes("template = 'settlement.made' AND recipient_id = 'leader-lee' AND "
			   "JSON_VALUE(facts, '$.withholding') = '0' AND JSON_VALUE(facts, '$.net') = '24000'"),
		     1);
	/* the held payout: to leader-kim, why in words, and to the operators */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications n JOIN payouts p "
				  "ON n.notify_key = CONCAT('payout.held:', p.public_id, ':no-account') "
				  "WHERE p.status = 'HELD' AND n.recipient_kind = 'leader' AND n.recipient_id = 'leader-kim' "
				  "AND JSON_VALUE(n.facts, '$.reason') LIKE 'no verified bank account%%'"),
		     1);
	cr_assert_eq(notes("template = 'payout.held' AND recipient_kind = 'operator' AND notify_key LIKE '%:ops'"), 1);
	cr_assert_eq(notes("template = 'payout.held'"), 2);

	/* a second run settles nothing and adds nothing */
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(notes("template IN ('settlement.made', 'payout.held')"), 4);
}

/* The pod filled between order and capture, and the PG refuses to give the
 * money back: the customer and the operators are told, once. */
Test(cmd_outbox_events, a_charged_customer_without_place_or_refund_is_told_once)
{
	char order[80], key[128], pay[48], w[256];
	struct run_result r;

	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-2\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":0,"
					    "\"status\":\"OPEN\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	pf_order(&f, "pod-tiny-2", "user-late", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	cr_assert_eq(sandbox_put_pod(&f.sp, "{\"podId\":\"pod-tiny-2\",\"leaderId\":\"leader-kim\",\"title\":\"Tiny\","
					    "\"fee\":10000,\"currency\":\"KRW\",\"capacity\":1,\"participants\":1,"
					    "\"status\":\"FULL\",\"startsOn\":\"2026-12-01\",\"endsOn\":\"2026-12-31\"}"),
		     0);
	pf_fault(&f, "{\"fault\":\"refuse\",\"op\":\"cancel\",\"code\":\"NOT_CANCELABLE_PAYMENT\",\"count\":-1}");
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds WHERE status = 'FAILED'"), 1);
	pf_payment_id(&f, order, pay, sizeof pay);
	snprintf(w, sizeof w, "notify_key = 'payment.failed_charged:%s' AND recipient_kind = 'user' AND "
			      "recipient_id = 'user-late' AND JSON_VALUE(facts, '$.amount') = '10000'", pay);
	cr_assert_eq(notes(w), 1);
	snprintf(w, sizeof w, "notify_key = 'payment.failed_charged.ops:%s' AND recipient_kind = 'operator' AND "
			      "JSON_VALUE(facts, '$.user') = 'user-late'", pay);
	cr_assert_eq(notes(w), 1);
	/* captured again: the existing result, nothing added */
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(notes("template LIKE 'payment.failed_charged%'"), 2);
}
