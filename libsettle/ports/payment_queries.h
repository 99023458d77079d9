/*
 * ports/payment_queries.h — the read model pay-show (and later the API and
 * reports) reads: payments with their escrow, refunds and history, handed
 * to a callback row by row.
 *
 * Rule: a query never changes anything and never holds a lock; the
 * callback may itself query (rows are handed out after the cursor closes
 * where that matters).
 */
#ifndef SETTLE_PORTS_PAYMENT_QUERIES_H
#define SETTLE_PORTS_PAYMENT_QUERIES_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/payment.h"
#include "domain/refund.h"

enum payment_list_by { LIST_BY_PUBLIC_ID, LIST_BY_ORDER_ID, LIST_BY_USER, LIST_BY_POD };

struct payment_event_row {
	const char *at, *from, *to, *actor, *code, *message;
};

struct payment_queries {
	void *self;
	int (*payments)(void *self, enum payment_list_by by, const char *id,
			int (*fn)(void *arg, const struct payment_rec *p), void *arg, struct settle_err *err);
	/* Refunds of a payment, oldest first, with their doubt counts. */
	int (*refunds)(void *self, int64_t payment_id, int (*fn)(void *arg, const struct refund_rec *r), void *arg,
		       struct settle_err *err);
	int (*events)(void *self, int64_t payment_id, int (*fn)(void *arg, const struct payment_event_row *ev),
		      void *arg, struct settle_err *err);
};

#endif
