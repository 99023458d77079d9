/*
 * invoice-issue's notice (issue 14) with the in-memory ports: an invoice
 * issued tells its leader, in the unit that records the approval number,
 * the approval number (whole, in groups of eight), the supply, VAT and
 * total, and the business number masked; once, however often the month
 * is run; nothing for a refusal, a lost answer (until it is found
 * issued), a dry run, or an individual who gets no invoice.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "domain/notify_tmpl.h"
#include "fakes/fake_invoices.h"

static struct fake_inv_world w;

static void world(void)
{
	fake_inv_world_init(&w);
	fake_inv_leader(&w, "leader-kim", "INDIVIDUAL", NULL);
	fake_inv_leader(&w, "leader-lee", "INDIVIDUAL_BUSINESS", "1234567891");
	fake_inv_item(&w, "leader-kim", INVOICE_ITEM_SETTLEMENT, "pod-a", 18181, 1819, "20261015");
	fake_inv_item(&w, "leader-lee", INVOICE_ITEM_SETTLEMENT, "pod-b", 5454, 546, "20261012");
	fake_inv_item(&w, "leader-lee", INVOICE_ITEM_SETTLEMENT, "pod-c", 5455, 545, "20261013");
}

TestSuite(app_invoice_notes, .init = world, .timeout = 10);

static int issue(int dry, struct invoice_report *rep, struct settle_err *err)
{
	struct invoice_opts o = {"2026-10", 0, dry};

	err_clear(err);
	return invoice_issue(&w.ctx, &o, NULL, NULL, NULL, rep, err);
}

static const char *fact(const struct outbox_note *n, const char *name)
{
	for (size_t i = 0; i < n->n_facts; i++)
		if (!strcmp(n->facts[i].name, name))
			return n->facts[i].value;
	return "(none)";
}

Test(app_invoice_notes, an_issued_invoice_tells_its_leader_once)
{
	struct invoice_report rep;
	struct settle_err err = {0};
	const struct outbox_note *n;
	char key[160];

	cr_assert_eq(issue(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.issued, 1);
	cr_assert_eq(w.s.n_notes, 1, "the individual gets no invoice and no notice");
	n = &w.s.notes[0];
	snprintf(key, sizeof key, "invoice.issued:%s", w.s.docs[0].rec.public_id);
	cr_assert_str_eq(n->key, key);
	cr_assert_str_eq(n->template_name, "invoice.issued");
	cr_assert_str_eq(n->recipient_kind, "leader");
	cr_assert_str_eq(n->recipient_id, "leader-lee");
	cr_assert_str_eq(fact(n, "approval"), "20261031 41000000 00000001");
	cr_assert_str_eq(fact(n, "supply"), "10909");
	cr_assert_str_eq(fact(n, "vat"), "1091");
	cr_assert_str_eq(fact(n, "total"), "12000");
	cr_assert_str_eq(fact(n, "currency"), "KRW");
	cr_assert_str_eq(fact(n, "month"), "2026-10");
	cr_assert_str_eq(fact(n, "kind"), "original");
	cr_assert_str_eq(fact(n, "brn"), "******7891", "never the whole business number");
	for (const char *const *f = notify_template_facts("invoice.issued"); *f; f++)
		cr_assert(!strcmp(*f, "name") || strcmp(fact(n, *f), "(none)"), "lacks %s", *f);
	cr_assert_lt(n->n_facts, OUTBOX_FACTS_MAX);
	cr_assert_eq(issue(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(w.s.n_notes, 1);
}

Test(app_invoice_notes, a_refusal_or_a_dry_run_tells_nobody)
{
	struct invoice_report rep;
	struct settle_err err = {0};

	cr_assert_eq(issue(1, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(w.s.n_notes, 0);
	w.mode = FAKE_REFUSE;
	issue(0, &rep, &err);
	cr_assert_eq(rep.rejected, 1);
	cr_assert_eq(w.s.n_notes, 0);
}

Test(app_invoice_notes, a_lost_answer_is_told_when_it_is_found_issued)
{
	struct invoice_report rep;
	struct settle_err err = {0};

	w.mode = FAKE_ISSUE_THEN_LOST;
	issue(0, &rep, &err);
	cr_assert_eq(rep.in_doubt, 1);
	cr_assert_eq(w.s.n_notes, 0);
	cr_assert_eq(issue(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(w.s.n_notes, 1);
	cr_assert_str_eq(fact(&w.s.notes[0], "approval"), "20261031 41000000 00000001");
}

Test(app_invoice_notes, a_deadlock_retried_adds_the_notice_once)
{
	struct invoice_report rep;
	struct settle_err err = {0};

	w.deadlocks = 3;
	cr_assert_eq(issue(0, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(w.s.n_notes, 1);
}
