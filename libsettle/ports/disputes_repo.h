/*
 * ports/disputes_repo.h — disputes over escrows: one open at a time per
 * escrow, resolved at most once, every step kept in its history.
 */
#ifndef SETTLE_PORTS_DISPUTES_REPO_H
#define SETTLE_PORTS_DISPUTES_REPO_H

#include <stdint.h>

#include "domain/err.h"
#include "ports/uow.h"

struct dispute_rec {
	int64_t id;
	char public_id[41];
	int64_t escrow_id;
	char escrow_public_id[41];
	char pod_id[65];
	char status[16];      /* OPEN, RESOLVED */
	char reason[501];
	char opened_by[65];
	char resolution[16];  /* RELEASE, REFUND, SPLIT, or "" */
	int64_t refund_amount, release_amount;
	char opened_at[32], resolved_at[32];
};

struct dispute_step {
	const char *at, *step, *actor, *message;
};

struct disputes_repo {
	void *self;
	/* A new OPEN dispute (fresh public id written back). A second open
	 * dispute of the same escrow is refused by the database (EX_DATAERR). */
	int (*open)(void *self, struct uow *tx, struct dispute_rec *d, const char *now, struct settle_err *err);
	/* The escrow's open dispute, locked; 1 found, 0 none. */
	int (*lock_open)(void *self, struct uow *tx, int64_t escrow_id, struct dispute_rec *out, struct settle_err *err);
	int (*resolve)(void *self, struct uow *tx, const struct dispute_rec *d, const char *now, struct settle_err *err);
	int (*add_step)(void *self, struct uow *tx, int64_t dispute_id, const char *step, const char *actor,
			const char *message, const char *now, struct settle_err *err);
	/* Read side: disputes (all, or of one escrow), and a dispute's steps. */
	int (*list)(void *self, const char *escrow_public_id, int (*fn)(void *arg, const struct dispute_rec *d),
		    void *arg, struct settle_err *err);
	int (*steps)(void *self, int64_t dispute_id, int (*fn)(void *arg, const struct dispute_step *s), void *arg,
		     struct settle_err *err);
};

#endif
