/*
 * app/notify/held.h — the notice of a payout held (issue 14): settle-run
 * holds a payout whose leader cannot be reached yet, payout-send holds one
 * the bank will not pay yet; both tell the leader why in plain words and
 * give the operators a copy. Pure: no I/O.
 */
#ifndef SETTLE_APP_NOTIFY_HELD_H
#define SETTLE_APP_NOTIFY_HELD_H

#include "ports/outbox.h"
#include "domain/payout.h"

/* Why a payout waits, as its key says it and a person reads it. */
enum held_why {
	HELD_NO_ACCOUNT,   /* no verified bank account registered */
	HELD_NOT_SELLER,   /* not registered with the payouts provider yet */
	HELD_NOT_APPROVED, /* registered, not approved to receive payouts yet */
};

/* Fills n[0] (to the leader) and n[1] (to the operators), keyed
 * payout.held:{payout}:{why}[:ops]: a payout held again for the same
 * reason adds nothing; held for another reason, it is told again. detail
 * (may be NULL) is the other side's own words, for the operators. */
void note_payout_held(struct outbox_note n[2], const struct payout_rec *p, enum held_why why, const char *detail,
		      const char *now);

#endif
