/*
 * api_idempotency.h — settle-apid's Idempotency-Key rows (012_api.sql).
 *
 * Rule: a POST claims its (client, key) row, committed, before any work;
 * the answer is stored after, in its own statement. Only the HTTP layer
 * uses this: it is about answers, not about payments, and the use cases
 * behind it are idempotent on their own keys.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_API_IDEMPOTENCY_H
#define SETTLE_ADAPTERS_MYSQL_API_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct db;

enum idem_state {
	IDEM_NEW,      /* claimed: do the work, then idem_finish or idem_forget */
	IDEM_REPLAY,   /* done before: *status and body hold the first answer */
	IDEM_RUNNING,  /* the first request is still at work */
	IDEM_MISMATCH, /* the key was used for another request */
};

#define IDEM_BODY_MAX (256 * 1024)

/* body must have IDEM_BODY_MAX + 1 bytes. now_us: the clock port's. A key
 * is remembered keep_s seconds ([api] idempotency_keep_h): after that the
 * same key is a new request, as with the PGs' own keys; each new claim also
 * deletes a few keys past their time, so the table does not grow. */
int idem_begin(struct db *db, const char *client, const char *key, const char *request_hash, int64_t now_us,
	       int64_t keep_s, enum idem_state *state, int *status, char *body, struct settle_err *err);
int idem_finish(struct db *db, const char *client, const char *key, int status, const char *body, int64_t now_us,
		struct settle_err *err);
/* Drops a claim whose answer decided nothing (5xx), so a retry runs. */
int idem_forget(struct db *db, const char *client, const char *key, struct settle_err *err);

#endif
