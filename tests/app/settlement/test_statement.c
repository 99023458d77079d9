/*
 * settle_note_statement, the leader's settlement notice (issue 14): the
 * statement's totals are the settlements' sums, the pod lines are
 * language-neutral and fit the fact (the last line counts the pods left
 * out, the totals never leave one out), the rate is the pods' one rate or
 * "-", the payout gives withholding and net (0 and "-" without one), the
 * key names the first settlement, and an overflow is refused.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/settlement/settlement.h"

static const char *fact(const struct outbox_note *n, const char *name)
{
	for (size_t i = 0; i < n->n_facts; i++)
		if (!strcmp(n->facts[i].name, name))
			return n->facts[i].value;
	return "(none)";
}

static void settled(struct settlement_rec *s, const char *pod, int64_t total, int bps)
{
	struct settle_err err = {0};

	memset(s, 0, sizeof *s);
	snprintf(s->public_id, sizeof s->public_id, "set_%s", pod);
	snprintf(s->pod_id, sizeof s->pod_id, "%s", pod);
	snprintf(s->leader_id, sizeof s->leader_id, "leader-kim");
	snprintf(s->currency, sizeof s->currency, "KRW");
	s->fee_bps = bps;
	cr_assert_eq(settlement_split(total, bps, &s->split, &err), 0, "%s", err.msg);
}

Test(app_statement, totals_lines_and_the_payout)
{
	struct settlement_rec s[2];
	struct payout_rec p = {0};
	struct outbox_note n;
	struct settle_err err = {0};

	settled(&s[0], "pod-a", 100000, 2000);
	settled(&s[1], "pod-b", 1234567, 2000);
	snprintf(p.public_id, sizeof p.public_id, "pyt_1");
	p.withholding = 2640;
	p.amount = 1065013;
	cr_assert_eq(settle_note_statement(&n, s, 2, &p, "2026-11-24 10:00:00", &err), 0, "%s", err.msg);
	cr_assert_str_eq(n.key, "settlement.made:set_pod-a");
	cr_assert_str_eq(n.template_name, "settlement.made");
	cr_assert_str_eq(n.recipient_kind, "leader");
	cr_assert_str_eq(n.recipient_id, "leader-kim");
	cr_assert_str_eq(fact(&n, "pods"), "pod-a — 100,000 — 20,000 (20%) — 1,819\n"
					   "pod-b — 1,234,567 — 246,913 (20%) — 22,447");
	cr_assert_str_eq(fact(&n, "total"), "1334567");
	cr_assert_str_eq(fact(&n, "fee"), "266913");
	cr_assert_str_eq(fact(&n, "vat"), "24266");
	cr_assert_str_eq(fact(&n, "share"), "1067654");
	cr_assert_str_eq(fact(&n, "rate"), "20%");
	cr_assert_str_eq(fact(&n, "withholding"), "2640");
	cr_assert_str_eq(fact(&n, "net"), "1065013");
	cr_assert_str_eq(fact(&n, "payout"), "pyt_1");
	cr_assert_lt(n.n_facts, OUTBOX_FACTS_MAX, "room for the recipient's name");
}

Test(app_statement, no_payout_mixed_rates_and_many_pods)
{
	static struct settlement_rec s[40];
	struct outbox_note n;
	struct settle_err err = {0};
	char pod[32];
	const char *lines;

	for (int i = 0; i < 40; i++) {
		snprintf(pod, sizeof pod, "pod-%02d-long-name-of-a-study", i);
		settled(&s[i], pod, 10000, i ? 2000 : 2050);
	}
	cr_assert_eq(settle_note_statement(&n, s, 40, NULL, "2026-11-24 10:00:00", &err), 0, "%s", err.msg);
	cr_assert_str_eq(fact(&n, "rate"), "-");
	cr_assert_str_eq(fact(&n, "payout"), "-");
	cr_assert_str_eq(fact(&n, "net"), "0");
	cr_assert_str_eq(fact(&n, "withholding"), "0");
	cr_assert_str_eq(fact(&n, "total"), "400000", "the totals count every pod");
	lines = fact(&n, "pods");
	cr_assert(strstr(lines, "pod-00-long-name-of-a-study — 10,000 — 2,050 (20.5%) — 187"), "%s", lines);
	cr_assert(strstr(lines, "\n… +"), "the last line counts the pods left out: %s", lines);
	cr_assert_lt(strlen(lines), sizeof n.facts[0].value - 1, "never cut mid-line: %s", lines);
}

Test(app_statement, an_overflow_is_refused)
{
	struct settlement_rec s[2];
	struct outbox_note n;
	struct settle_err err = {0};

	settled(&s[0], "pod-a", INT64_MAX / 2 + 1, 0);
	settled(&s[1], "pod-b", INT64_MAX / 2 + 1, 0);
	cr_assert_eq(settle_note_statement(&n, s, 2, NULL, "2026-11-24 10:00:00", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "overflow"), "%s", err.msg);
	cr_assert_eq(settle_note_statement(&n, s, 0, NULL, "x", &err), -1);
}
