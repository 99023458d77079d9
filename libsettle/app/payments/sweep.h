/*
 * sweep.h — the sweep's pieces shared by its loop (sweep.c) and its calls
 * (sweep_calls.c); payments-internal.
 */
#ifndef SETTLE_APP_PAYMENTS_SWEEP_H
#define SETTLE_APP_PAYMENTS_SWEEP_H

#include <stdint.h>

#include "app/payments/internal.h"

enum phase_kind { PH_CONFIRMING, PH_WAITING, PH_PENDING_EXPIRED, PH_REFUNDS, PH_PARTICIPATION };

struct sweep_item {
	struct payment_rec pay;
	struct refund_rec refund; /* PH_REFUNDS */
	int attempts;             /* PH_PARTICIPATION: attempts so far */
};

/* Asks the PG (pg; NULL for the phases that need none) or the Study
 * Service about one item of a phase and fills *o from the answer. */
void sweep_ask(const struct pay_ctx *c, enum phase_kind kind, struct pg_port *pg, struct sweep_item *it,
	       struct pg_result *res, struct outcome *o, int64_t now_us);

#endif
