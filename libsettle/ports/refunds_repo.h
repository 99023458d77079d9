/*
 * ports/refunds_repo.h — the refunds aggregate: one row per refund asked
 * of a PG, with its idempotency key, from REQUESTED to its end.
 */
#ifndef SETTLE_PORTS_REFUNDS_REPO_H
#define SETTLE_PORTS_REFUNDS_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/refund.h"
#include "ports/uow.h"

struct new_refund {
	int64_t payment_id;
	int64_t amount;
	const char *currency, *reason;
};

struct refunds_repo {
	void *self;
	int (*find)(void *self, struct uow *tx, const char *public_id, struct refund_rec *out, struct settle_err *err);
	int (*lock)(void *self, struct uow *tx, int64_t id, struct refund_rec *out, struct settle_err *err);
	int (*load_many)(void *self, struct uow *tx, const int64_t *ids, size_t n, struct refund_rec *out,
			 size_t *n_out, struct settle_err *err);
	/* Inserts a REQUESTED refund with a fresh public id, its idempotency
	 * key refund:{public id} and a fresh cancel order id (NicePay). */
	int (*insert)(void *self, struct uow *tx, const struct new_refund *nr, const char *now, struct refund_rec *out,
		      struct settle_err *err);
	int (*save)(void *self, struct uow *tx, const struct refund_rec *r, const char *now, struct settle_err *err);
};

#endif
