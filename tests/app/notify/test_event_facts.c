/*
 * The builders of issue 14's events carry every fact their template may
 * name (domain/notify_tmpl.c), so a template the program accepted at start
 * never fails at send time for want of one: the settlement statement, the
 * payout held, the escrow release notice.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/escrow/escrow.h"
#include "app/notify/held.h"
#include "app/settlement/settlement.h"
#include "domain/notify_tmpl.h"

static void assert_carries_all(const struct outbox_note *n)
{
	for (const char *const *f = notify_template_facts(n->template_name); *f; f++) {
		size_t k = 0;

		if (!strcmp(*f, "name"))
			continue; /* the recipient's, added when it is sent */
		for (size_t i = 0; i < n->n_facts; i++)
			k += !strcmp(n->facts[i].name, *f);
		cr_assert_eq(k, 1, "%s carries %s %zu times", n->template_name, *f, k);
	}
	cr_assert_lt(n->n_facts, OUTBOX_FACTS_MAX, "%s: no room for the name", n->template_name);
}

Test(app_event_facts, every_builder_carries_every_fact_of_its_template)
{
	struct settlement_rec s = {.public_id = "set_1", .pod_id = "pod-a", .leader_id = "l", .currency = "KRW",
				   .fee_bps = 2000};
	struct payout_rec p = {.public_id = "pyt_1", .leader_id = "l", .currency = "KRW"};
	struct release_row rows[2] = {0};
	const struct release_row *scratch[2];
	struct outbox_note n[2];
	size_t k = 0;
	struct settle_err err = {0};

	cr_assert_eq(settlement_split(100000, 2000, &s.split, &err), 0);
	cr_assert_eq(settle_note_statement(&n[0], &s, 1, &p, "2026-11-24 10:00:00", &err), 0, "%s", err.msg);
	assert_carries_all(&n[0]);
	note_payout_held(n, &p, HELD_NOT_SELLER, NULL, "2026-11-24 10:00:00");
	assert_carries_all(&n[0]);
	assert_carries_all(&n[1]);
	for (int i = 0; i < 2; i++) {
		rows[i].e.id = i + 1;
		snprintf(rows[i].e.public_id, sizeof rows[i].e.public_id, "esc_%d", i);
		snprintf(rows[i].e.pod_id, sizeof rows[i].e.pod_id, "pod-a");
		snprintf(rows[i].e.currency, sizeof rows[i].e.currency, "KRW");
		snprintf(rows[i].leader_id, sizeof rows[i].leader_id, "l");
		rows[i].e.released = 5;
	}
	cr_assert_eq(escrow_release_notes(rows, 2, "2026-11-24 10:00:00", scratch, n, &k, &err), 0, "%s", err.msg);
	cr_assert_eq(k, 1);
	assert_carries_all(&n[0]);
}
