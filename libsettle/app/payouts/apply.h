/* apply.h — a bank's answer about one payout, applied in a unit of work (payouts-internal). */
#ifndef SETTLE_APP_PAYOUTS_APPLY_H
#define SETTLE_APP_PAYOUTS_APPLY_H

#include "app/payouts/payouts.h"

/* Applies res to payout p (locked, current) within tx: SENT, PAID with
 * its entry, FAILED/RETURNED with the reversal and the items let go, or a
 * doubt noted. source is the account the channel pays from. */
int payout_apply(const struct payout_ctx *c, struct uow *tx, struct payout_rec *p, const struct bank_result *res,
		 const char *source, const char *now, struct payout_report *rep, struct settle_err *err);

#endif
