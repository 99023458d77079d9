/*
 * ports/clawbacks_repo.h — refunds of money already settled: the
 * settlement they reach back into and the clawback rows that record what
 * each account took back.
 */
#ifndef SETTLE_PORTS_CLAWBACKS_REPO_H
#define SETTLE_PORTS_CLAWBACKS_REPO_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/settlement.h"
#include "ports/uow.h"

struct settled_rec {
	int64_t id;
	char public_id[41];
	char pod_id[65];
	char leader_id[65];
	char currency[4];
	struct settlement_split split;
	int64_t clawed_back; /* refunded out of it so far */
};

struct clawbacks_repo {
	void *self;
	/* Locks the settlement for the rest of tx. */
	int (*lock_settlement)(void *self, struct uow *tx, int64_t settlement_id, struct settled_rec *out,
			       struct settle_err *err);
	/* Records the clawback of refund_id (a fresh public id written into
	 * public_id) and the settlement's new clawed_back total. */
	int (*insert)(void *self, struct uow *tx, const struct settled_rec *s, int64_t refund_id,
		      const struct clawback_split *c, char public_id[41], const char *now, struct settle_err *err);
};

#endif
