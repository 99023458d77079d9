/*
 * decide.h — turning a PG answer into an outcome for the store. Shared by
 * pay-capture, pay-refund and the sweep, so a payment is judged the same
 * way whichever program finishes it.
 */
#ifndef SETTLE_APP_DECIDE_H
#define SETTLE_APP_DECIDE_H

#include "app/payments/internal.h"

/* What to do with a confirm's (or a lookup's) answer. Sets *resend when a
 * lookup shows the confirm never reached the PG (send it again with the
 * same idempotency key). */
void decide_confirm(const struct payment_rec *p, const struct pg_result *res, int from_lookup, int64_t now_us,
		    int backoff_s, struct outcome *o, int *resend);

/* Next check after a doubt: backoff_s doubled per earlier doubt, at most 1 h. */
int64_t decide_next_check(int64_t now_us, int backoff_s, int doubts);

#endif
