/*
 * ports/claims.h — one claim mechanism for every batch job.
 *
 * A job's work is rows of a table in some state. A runner claims a batch
 * (SELECT … FOR UPDATE SKIP LOCKED, then marks them claimed_until = now +
 * lease, claimed_by = runner, in the same transaction), works on them
 * outside the transaction, and records each outcome, which clears the
 * claim. A runner that dies leaves its claims to expire after one short
 * lease; a live runner renews its leases while its calls are in flight.
 * Several runners on several hosts share one backlog this way, with
 * nothing in a connection (no GET_LOCK): DESIGN.md §7 and §13.
 *
 * The queue is described by its table and columns, not by a kind of job:
 * a new job describes its own queue and adds nothing here.
 */
#ifndef SETTLE_PORTS_CLAIMS_H
#define SETTLE_PORTS_CLAIMS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "ports/uow.h"

struct claim_queue {
	const char *table;        /* "payments" */
	const char *id_column;    /* integer key returned to the claimer */
	const char *state_column; /* NULL: no state condition */
	const char *state;        /* the state that makes a row work */
	const char *open_column;  /* NULL, or a column that must be NULL (e.g. done_at) */
	const char *age_column;   /* NULL, or: row counts only once age_column <= now - min_age_s */
	const char *due_column;   /* NULL, or: NULL or <= now (a back-off the job set) */
	/* The table has claimed_until DATETIME(6) NULL and claimed_by VARCHAR(64) NULL. */
};

struct claim_req {
	const struct claim_queue *queue;
	const char *owner;   /* this runner: host:pid:nonce */
	const char *now;     /* 'YYYY-MM-DD HH:MM:SS.ffffff' UTC */
	int64_t min_age_s;
	int lease_s;
	size_t limit;
};

struct claims_port {
	void *self;
	/* Claims up to req->limit due rows, oldest key first; ids[] gets
	 * their keys, *n how many. */
	int (*claim)(void *self, struct uow *tx, const struct claim_req *req, int64_t *ids, size_t *n,
		     struct settle_err *err);
	/* Pushes the lease of rows this owner still holds to now + lease_s. */
	int (*renew)(void *self, struct uow *tx, const struct claim_req *req, const int64_t *ids, size_t n,
		     struct settle_err *err);
	/* Gives rows back: claimed_until = NULL (only those this owner holds). */
	int (*release)(void *self, struct uow *tx, const struct claim_req *req, const int64_t *ids, size_t n,
		       struct settle_err *err);
	/* Work rows of the queue that another owner holds now; *until the
	 * latest expiry among them ('' when none). */
	int (*held_by_others)(void *self, struct uow *tx, const struct claim_req *req, int64_t *count, char *until,
			      size_t until_len, struct settle_err *err);
};

#endif
