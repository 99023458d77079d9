/*
 * ports/payouts_repo.h — the payouts aggregate: a payout, the items it
 * carries, and its history.
 *
 * Rule: an item is carried by at most one live payout (the database keeps
 * the link unique); a FAILED or RETURNED payout lets go of its items.
 */
#ifndef SETTLE_PORTS_PAYOUTS_REPO_H
#define SETTLE_PORTS_PAYOUTS_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/payout.h"
#include "ports/uow.h"

/* An item carried by a payout. */
struct payout_link {
	int64_t payout_id;
	struct carry_item item;
};

struct payouts_repo {
	void *self;
	/* Inserts the n payouts, each with a fresh public id and its
	 * idempotency key payout:{public id}; ids, public ids and keys are
	 * written back. */
	int (*insert)(void *self, struct uow *tx, struct payout_rec *p, size_t n, const char *now,
		      struct settle_err *err);
	/* Links each item to its payout (live). A duplicate live link is an
	 * error. */
	int (*link)(void *self, struct uow *tx, const struct payout_link *links, size_t n, struct settle_err *err);
	/* Lets go of payout_id's items (they become carryable again). */
	int (*unlink)(void *self, struct uow *tx, int64_t payout_id, struct settle_err *err);
	int (*find)(void *self, struct uow *tx, const char *public_id, struct payout_rec *out, struct settle_err *err);
	int (*lock)(void *self, struct uow *tx, int64_t id, struct payout_rec *out, struct settle_err *err);
	int (*load_many)(void *self, struct uow *tx, const int64_t *ids, size_t n, struct payout_rec *out,
			 size_t *n_out, struct settle_err *err);
	int (*save)(void *self, struct uow *tx, const struct payout_rec *p, const char *now, struct settle_err *err);
};

#endif
