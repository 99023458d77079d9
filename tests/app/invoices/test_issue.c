/*
 * invoice_issue with in-memory ports: every branch of the use case —
 * originals per business leader with the settlements' own amounts, a
 * re-run that issues nothing, individuals left out, bad numbers listed,
 * amendments (02, 04) naming the original, the deadline, the dry run and
 * a schema refusal changing nothing, in-doubt answers looked up and never
 * sent again, an unreachable provider, a refusal, a deadlock retried.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fake_invoices.h"

static struct fake_inv_world w;

struct seen {
	int rows;
	char statuses[256];
	int skips;
};

static int on_row(void *arg, const struct invoice_row *r)
{
	struct seen *s = arg;
	size_t n = strlen(s->statuses);

	s->rows++;
	snprintf(s->statuses + n, sizeof s->statuses - n, "%s%s:%s", n ? " " : "", r->leader_id, r->status);
	return 0;
}

static void on_skip(void *arg, const char *leader_id, const char *why)
{
	(void)leader_id, (void)why;
	((struct seen *)arg)->skips++;
}

static int issue(const char *month, int late, int dry, struct invoice_report *rep, struct seen *seen,
		 struct settle_err *err)
{
	struct invoice_opts o = {month, late, dry};

	memset(seen, 0, sizeof *seen);
	return invoice_issue(&w.ctx, &o, on_row, on_skip, seen, rep, err);
}

static void world(void)
{
	fake_inv_world_init(&w);
	fake_inv_leader(&w, "leader-kim", "INDIVIDUAL", NULL);
	fake_inv_leader(&w, "leader-lee", "INDIVIDUAL_BUSINESS", "1234567891");
	fake_inv_leader(&w, "leader-park", "CORPORATE", "1168200276");
	fake_inv_item(&w, "leader-kim", INVOICE_ITEM_SETTLEMENT, "pod-a", 18181, 1819, "20261015");
	fake_inv_item(&w, "leader-lee", INVOICE_ITEM_SETTLEMENT, "pod-b", 5454, 546, "20261012");
	fake_inv_item(&w, "leader-lee", INVOICE_ITEM_SETTLEMENT, "pod-c", 5455, 545, "20261013");
	fake_inv_item(&w, "leader-park", INVOICE_ITEM_SETTLEMENT, "pod-d", 12727, 1273, "20261015");
}

TestSuite(app_invoices, .init = world, .timeout = 10);

Test(app_invoices, originals_then_nothing_twice)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.issued, 2);
	cr_assert_eq(rep.individuals, 1);
	cr_assert_eq(rep.supply, 5454 + 5455 + 12727);
	cr_assert_eq(rep.vat, 546 + 545 + 1273);
	cr_assert_str_eq(seen.statuses, "leader-lee:ISSUED leader-park:ISSUED");
	cr_assert_eq(w.s.n_docs, 2);
	cr_assert_str_eq(w.s.docs[0].rec.status, "ISSUED");
	cr_assert_eq(w.s.docs[0].doc.n_lines, 2);
	cr_assert_str_eq(w.s.docs[0].doc.write_date, "20261031");
	cr_assert_str_eq(w.s.docs[0].rec.mgt_key, "S202610L2N0");
	cr_assert_eq(w.writes, 2);
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.issued, 0);
	cr_assert_eq(w.submits, 2);
	cr_assert_eq(w.s.n_docs, 2);
}

Test(app_invoices, bad_numbers_are_listed_and_the_rest_issued)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	snprintf(w.s.leaders[1].brn, sizeof w.s.leaders[1].brn, "1234567890");
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert_eq(err.code, 65);
	cr_assert(strstr(err.msg, "1 leader(s) not invoiced: leader-lee (business registration number 1234567890 fails "
			      "its check digit)"),
		  "%s", err.msg);
	cr_assert_eq(seen.skips, 1);
	cr_assert_eq(rep.issued, 1);
	w.s.leaders[2].brn[0] = '\0'; /* missing */
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert(strstr(err.msg, "leader-lee") && !strstr(err.msg, "leader-park"), "%s", err.msg);
}

Test(app_invoices, clawback_after_invoicing_is_an_amendment)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	fake_inv_item(&w, "leader-lee", INVOICE_ITEM_CLAWBACK, "pod-b", -2727, -273, "20261103");
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.issued, 1);
	cr_assert_eq(rep.amendments, 1);
	cr_assert_eq(w.s.n_docs, 3);
	cr_assert_str_eq(w.s.docs[2].rec.type_code, "0201");
	cr_assert_str_eq(w.s.docs[2].rec.amendment_code, "02");
	cr_assert_eq(w.s.docs[2].rec.sequence, 1);
	cr_assert_eq(w.s.docs[2].rec.supply, -2727);
	cr_assert_str_eq(w.s.docs[2].doc.write_date, "20261103");
	cr_assert_str_eq(w.s.docs[2].doc.original_issue_id, w.s.docs[0].rec.issue_id);
	cr_assert_eq(w.s.docs[2].original_id, 1);
	/* the whole of park's original taken back: 04 */
	fake_inv_item(&w, "leader-park", INVOICE_ITEM_CLAWBACK, "pod-d", -12727, -1273, "20261104");
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_str_eq(w.s.docs[3].rec.amendment_code, "04");
	cr_assert_eq(w.s.docs[3].rec.total, -14000);
}

Test(app_invoices, clawback_before_invoicing_follows_the_original_in_one_run)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	fake_inv_item(&w, "leader-park", INVOICE_ITEM_CLAWBACK, "pod-d", -6363, -637, "20261101");
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.issued, 3);
	cr_assert_eq(rep.amendments, 1);
	/* the original carries the settlements' own amounts, untouched */
	cr_assert_eq(w.s.docs[1].rec.supply, 12727);
	cr_assert_str_eq(w.s.docs[2].rec.type_code, "0201");
	cr_assert_eq(w.s.docs[2].rec.supply, -6363);
}

Test(app_invoices, deadline_needs_late_and_changes_nothing)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	fake_inv_now(&w, "2026-11-20T01:00:00Z");
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert_eq(err.code, 65);
	cr_assert(strstr(err.msg, "past their deadline (20261110): leader-lee, leader-park"), "%s", err.msg);
	cr_assert_eq(w.s.n_docs, 0);
	cr_assert_eq(w.submits, 0);
	cr_assert_eq(issue("2026-10", 1, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.late, 2);
	cr_assert(w.s.docs[0].rec.late && w.s.docs[1].rec.late);
}

Test(app_invoices, month_checks)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	cr_assert_eq(issue("2026-11", 0, 0, &rep, &seen, &err), -1);
	cr_assert(err.code == 65 && strstr(err.msg, "has not ended yet"), "%s", err.msg);
	cr_assert_eq(issue("2026-13", 0, 0, &rep, &seen, &err), -1);
	cr_assert(err.code == 65 && strstr(err.msg, "--month"), "%s", err.msg);
	snprintf(w.s.unsettled[0], 65, "pod-x");
	w.s.n_unsettled = 1;
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert(err.code == 65 && strstr(err.msg, "1 pod(s) completed in it are not settled yet: pod-x"), "%s",
		  err.msg);
	cr_assert_eq(w.s.n_docs, 0);
}

Test(app_invoices, dry_run_and_schema_refusal_change_nothing)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	cr_assert_eq(issue("2026-10", 0, 1, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_str_eq(seen.statuses, "leader-lee:PLANNED leader-park:PLANNED");
	cr_assert_eq(w.s.n_docs, 0);
	cr_assert_eq(w.submits, 0);
	w.refuse_check = 1;
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert(err.code == 65 && strstr(err.msg, "does not validate"), "%s", err.msg);
	cr_assert_eq(w.s.n_docs, 0);
	cr_assert_eq(w.submits, 0);
}

Test(app_invoices, lost_answer_is_looked_up_not_resent)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	w.mode = FAKE_ISSUE_THEN_LOST;
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert_eq(err.code, 75);
	cr_assert_eq(rep.in_doubt, 1);
	cr_assert_eq(rep.issued, 1);
	cr_assert_str_eq(w.s.docs[0].rec.status, "DRAFT");
	cr_assert_eq(w.s.docs[0].doubts, 1);
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_str_eq(w.s.docs[0].rec.status, "ISSUED");
	cr_assert_eq(w.submits, 2); /* lee once, park once */
	cr_assert_eq(w.lookups, 1);
	cr_assert_eq(w.writes, 2);
}

Test(app_invoices, unreachable_then_sent_once)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	w.mode = FAKE_UNREACHABLE;
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert_eq(err.code, 69);
	cr_assert_str_eq(w.s.docs[0].rec.status, "DRAFT");
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(w.lookups, 1);
	cr_assert_eq(w.n_issued, 2);
	cr_assert_str_eq(w.s.docs[0].rec.status, "ISSUED");
}

Test(app_invoices, refusal_is_rejected_and_waits)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	w.mode = FAKE_REFUSE;
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), -1);
	cr_assert_eq(err.code, 69);
	cr_assert_eq(rep.rejected, 1);
	cr_assert_str_eq(w.s.docs[0].rec.status, "REJECTED");
	cr_assert_str_eq(w.s.docs[0].code, "-10000001");
	/* a refused original is an operator's to settle: nothing new for lee */
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(w.s.n_docs, 2);
}

Test(app_invoices, deadlock_is_retried_once_invoiced)
{
	struct invoice_report rep;
	struct seen seen;
	struct settle_err err = {0};

	w.deadlocks = 3;
	cr_assert_eq(issue("2026-10", 0, 0, &rep, &seen, &err), 0, "%s", err.msg);
	cr_assert_eq(w.s.n_docs, 2);
	cr_assert_eq(rep.issued, 2);
	for (size_t i = 0; i < w.s.n_items; i++)
		cr_assert(!strcmp(w.s.items[i].leader_id, "leader-kim") || w.s.items[i].invoice_id);
}
