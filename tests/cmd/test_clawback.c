/*
 * Refunds after release (issue 9 §5): refused without --after-release;
 * before the settlement out of released:{pod}; after it a clawback split
 * cumulatively, carried by the leader's next payout; refunding a whole
 * settlement in pieces brings every account of it back to zero exactly.
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

TestSuite(cmd_clawback, .init = setup, .fini = teardown, .timeout = 60);

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static int64_t balance(const char *account)
{
	return pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = '%s'", account);
}

/* Two payments of 50 000 to leader-kim's pod, released. */
static void released(char *o1, char *o2)
{
	struct run_result r;
	char path[512];

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, 80);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o2, 80);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
}

static void refund(const char *order, const char *amount, int after, int expect)
{
	char pay[64];
	struct run_result r;

	pf_payment_id(&f, order, pay, sizeof pay);
	if (after)
		run((const char *[]){"pay-refund", pay, "--amount", amount, "--reason", "left the pod", "--after-release",
				     NULL},
		    &r);
	else
		run((const char *[]){"pay-refund", pay, "--amount", amount, "--reason", "left the pod", NULL}, &r);
	cr_assert_eq(r.status, expect, "%d %s", r.status, r.err);
	if (expect == 65) {
		cr_assert(strstr(r.err, "--after-release"), "%s", r.err);
		cr_assert(pf_one_error(r.err, "pay-refund"), "%s", r.err);
	}
}

Test(cmd_clawback, before_settlement_out_of_released)
{
	char o1[80], o2[80];
	struct run_result r;

	released(o1, o2);
	refund(o1, "10000", 0, 65);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 0, "a refused refund wrote a row");
	refund(o1, "10000", 1, 0);
	cr_assert_eq(balance("released:pod-algo-101"), -90000);
	cr_assert_eq(balance("pg_clearing:toss"), 90000);
	pf_ledger_ok(&f);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements WHERE total = 90000 AND fee = 18000"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_clawback, after_settlement_clawed_back_to_zero)
{
	char o1[80], o2[80];
	struct run_result r;

	released(o1, o2);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* 100 000 settled: fee 20 000 (supply 18 181, VAT 1 819), leader 80 000 */
	refund(o1, "33333", 1, 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM clawbacks WHERE refund = 33333 AND leader_part = 26666 "
				  "AND supply_part + vat_part = 6667"),
		     1);
	pf_ledger_ok(&f);
	refund(o1, "16667", 1, 0);
	refund(o2, "50000", 1, 0);
	/* every account of the settlement is back to zero, exactly */
	cr_assert_eq(pf_count(&f, "SELECT SUM(refund) FROM clawbacks"), 100000);
	cr_assert_eq(pf_count(&f, "SELECT SUM(leader_part) FROM clawbacks"), 80000);
	cr_assert_eq(pf_count(&f, "SELECT SUM(supply_part) FROM clawbacks"), 18181);
	cr_assert_eq(pf_count(&f, "SELECT SUM(vat_part) FROM clawbacks"), 1819);
	cr_assert_eq(balance("platform_revenue"), 0);
	cr_assert_eq(balance("vat_payable"), 0);
	cr_assert_eq(balance("pg_clearing:toss"), 0);
	/* the leader's payout was created before the refunds: what it sends is
	 * still owed to the leader less the withholding; the clawbacks wait for
	 * the next payout */
	cr_assert_eq(balance("leader_payable:leader-kim"), -80000 + 2640 + 80000);
	pf_ledger_ok(&f);
	/* the next run: the clawbacks are carried; gross ≤ 0, no payout */
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "carried forward"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_clawback, clawback_carried_by_the_next_payout)
{
	char o1[80], o2[80], o3[80];
	struct run_result r;

	released(o1, o2);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	refund(o1, "50000", 1, 0); /* leader part 40 000 */
	/* a second pod of the same leader settles later */
	pf_paid(&f, "pod-algo-101", "user-c", NULL, o3, sizeof o3);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"), 0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* new settlement 50 000 → share 40 000, minus the clawback's 40 000: nothing to pay yet */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payout_items WHERE item_kind = 'CLAWBACK'"), 0);
	pf_ledger_ok(&f);
}
