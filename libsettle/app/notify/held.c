/* held.c — the notice of a payout held (see held.h). */
#include "app/notify/held.h"

#include <stdio.h>

#include "app/notify/note.h"

static const struct {
	const char *key, *words;
} whys[] = {
	[HELD_NO_ACCOUNT] = {"no-account", "no verified bank account is registered for you yet"},
	[HELD_NOT_SELLER] = {"not-seller", "you are not yet registered to receive payouts"},
	[HELD_NOT_APPROVED] = {"not-approved", "your registration to receive payouts is not approved yet"},
};

void note_payout_held(struct outbox_note n[2], const struct payout_rec *p, enum held_why why, const char *detail,
		      const char *now)
{
	char ref[OUTBOX_KEY_MAX];

	snprintf(ref, sizeof ref, "%s:%s", p->public_id, whys[why].key);
	note_init(&n[0], "payout.held", ref, "leader", p->leader_id);
	snprintf(ref, sizeof ref, "%s:%s:ops", p->public_id, whys[why].key);
	note_init(&n[1], "payout.held", ref, "operator", "ops");
	for (int i = 0; i < 2; i++) {
		note_fact(&n[i], "payout", "%s", p->public_id);
		note_fact(&n[i], "leader", "%s", p->leader_id);
		note_money(&n[i], "amount", p->amount, p->currency);
		note_fact(&n[i], "gross", "%lld", (long long)p->gross);
		note_fact(&n[i], "withholding", "%lld", (long long)p->withholding);
		note_fact(&n[i], "reason", "%s", whys[why].words);
		note_fact(&n[i], "detail", "%s", detail && *detail ? detail : "-");
		note_fact(&n[i], "at", "%s", now);
	}
}
