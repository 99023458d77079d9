/*
 * ports/escrows_repo.h — the escrows aggregate: what is held for a pod
 * out of one payment, from HOLDING until it is released or refunded.
 */
#ifndef SETTLE_PORTS_ESCROWS_REPO_H
#define SETTLE_PORTS_ESCROWS_REPO_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/escrow.h"
#include "ports/uow.h"

struct escrows_repo {
	void *self;
	/* Inserts e (status, amounts, pod, payment) with a fresh public id,
	 * which is written back into e. */
	int (*insert)(void *self, struct uow *tx, struct escrow *e, const char *now, struct settle_err *err);
	/* 1 found (locked for the rest of tx), 0 none. */
	int (*lock_by_payment)(void *self, struct uow *tx, int64_t payment_id, struct escrow *out,
			       struct settle_err *err);
	/* The same, by the escrow's public id ("esc_…"). */
	int (*lock_by_public_id)(void *self, struct uow *tx, const char *public_id, struct escrow *out,
				 struct settle_err *err);
	int (*save)(void *self, struct uow *tx, const struct escrow *e, const char *now, struct settle_err *err);
};

#endif
