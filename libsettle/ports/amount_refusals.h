/*
 * ports/amount_refusals.h — the record of captures refused because the
 * amount asked differs from the order's (the tamper check, DESIGN.md §7).
 * No money moves on a refusal, so there is no journal entry; this row is
 * what settle-watch's "repeated amount-tamper refusals" rule counts.
 */
#ifndef SETTLE_PORTS_AMOUNT_REFUSALS_H
#define SETTLE_PORTS_AMOUNT_REFUSALS_H

#include <stdint.h>

#include "domain/err.h"
#include "ports/uow.h"

struct amount_refusal {
	int64_t payment_id;
	const char *order_id, *user_id;
	const char *actor;       /* the program that refused: pay-capture, settle-apid */
	int64_t asked, expected; /* minor units */
	const char *currency;
};

struct amount_refusals_repo {
	void *self;
	int (*add)(void *self, struct uow *tx, const struct amount_refusal *r, const char *now, struct settle_err *err);
};

#endif
