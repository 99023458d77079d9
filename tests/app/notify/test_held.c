/*
 * note_payout_held: the leader's notice and the operators' copy of a
 * payout held, keyed by the payout and the reason (so a payout held again
 * for the same reason adds nothing, and held for another is told again),
 * the reason in plain words, the other side's words only as a detail.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/notify/held.h"

static const char *fact(const struct outbox_note *n, const char *name)
{
	for (size_t i = 0; i < n->n_facts; i++)
		if (!strcmp(n->facts[i].name, name))
			return n->facts[i].value;
	return "(none)";
}

Test(app_notify_held, leader_and_operators_keyed_by_payout_and_reason)
{
	struct payout_rec p = {0};
	struct outbox_note n[2], m[2];

	snprintf(p.public_id, sizeof p.public_id, "pyt_1");
	snprintf(p.leader_id, sizeof p.leader_id, "leader-kim");
	snprintf(p.currency, sizeof p.currency, "KRW");
	p.gross = 80000;
	p.withholding = 2640;
	p.amount = 77360;
	note_payout_held(n, &p, HELD_NO_ACCOUNT, NULL, "2026-11-24 10:00:00");
	cr_assert_str_eq(n[0].key, "payout.held:pyt_1:no-account");
	cr_assert_str_eq(n[0].recipient_kind, "leader");
	cr_assert_str_eq(n[0].recipient_id, "leader-kim");
	cr_assert_str_eq(n[1].key, "payout.held:pyt_1:no-account:ops");
	cr_assert_str_eq(n[1].recipient_kind, "operator");
	cr_assert_str_eq(n[1].recipient_id, "ops");
	cr_assert_str_eq(fact(&n[0], "reason"), "no verified bank account is registered for you yet");
	cr_assert_str_eq(fact(&n[0], "detail"), "-");
	cr_assert_str_eq(fact(&n[0], "amount"), "77360");
	cr_assert_str_eq(fact(&n[1], "leader"), "leader-kim");
	note_payout_held(m, &p, HELD_NOT_APPROVED, "seller s1 is APPROVAL_REQUIRED", "2026-11-24 10:00:00");
	cr_assert_str_eq(m[0].key, "payout.held:pyt_1:not-approved");
	cr_assert(strstr(fact(&m[0], "reason"), "not approved"));
	cr_assert_str_eq(fact(&m[0], "detail"), "seller s1 is APPROVAL_REQUIRED");
	note_payout_held(m, &p, HELD_NOT_SELLER, "", "2026-11-24 10:00:00");
	cr_assert_str_eq(m[0].key, "payout.held:pyt_1:not-seller");
	cr_assert_lt(n[0].n_facts, OUTBOX_FACTS_MAX, "room for the recipient's name");
}
