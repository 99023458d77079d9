/*
 * ports/reconcile_repo.h — what PG reconciliation reads from our books and
 * records of the PG's settlement: our captures and completed refunds of a
 * period, and which PG records have been booked.
 *
 * Rule: book() is the only write, and it is idempotent per PG record: the
 * record's row and its journal entry are written in the same unit of work,
 * so a record is booked once however often reconcile --post runs.
 */
#ifndef SETTLE_PORTS_RECONCILE_REPO_H
#define SETTLE_PORTS_RECONCILE_REPO_H

#include "domain/err.h"
#include "domain/reconcile.h"
#include "ports/uow.h"

typedef int (*recon_ours_fn)(void *arg, const struct recon_ours *o, struct settle_err *err);

struct reconcile_repo {
	void *self;
	/* Streams our captures and completed refunds at pg whose instant
	 * (approval; the refund's journal entry) is in [from_utc, to_utc),
	 * "YYYY-MM-DD HH:MM:SS" UTC. fn must not use the database. */
	int (*ours)(void *self, const char *pg, const char *from_utc, const char *to_utc, recon_ours_fn fn, void *arg,
		    struct settle_err *err);
	/* 1 when we have a payment at pg with this payment key, 0 when not. */
	int (*payment_known)(void *self, const char *pg, const char *payment_key, struct settle_err *err);
	/* Records r as booked (matched to our event ref; entry_key NULL when
	 * nothing moved) in tx: 1 when it was not booked before (the caller
	 * posts its entry in the same tx), 0 when an earlier run booked it. */
	int (*book)(void *self, struct uow *tx, const struct recon_record *r, const char *ref, const char *entry_key,
		    const char *now, struct settle_err *err);
};

#endif
