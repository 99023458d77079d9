/*
 * ports/notify_queue.h — settle-notify's own repository: the notifications
 * it claimed (through ports/claims.h) and what became of each.
 */
#ifndef SETTLE_PORTS_NOTIFY_QUEUE_H
#define SETTLE_PORTS_NOTIFY_QUEUE_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/note.h"
#include "ports/uow.h"

struct queued_note {
	int64_t id;
	int attempts;
	struct outbox_note note;
};

enum notify_outcome {
	NOTIFY_SENT,  /* the server (or the maildir) took it */
	NOTIFY_HELD,  /* no address: kept, reported, not retried */
	NOTIFY_RETRY, /* in doubt or refused for now: again at next_at */
	NOTIFY_FAILED /* refused for good, or out of attempts */
};

struct notify_queue {
	void *self;
	/* The claimed rows ids[0..n) into out (caller's array of n). */
	int (*load)(void *self, struct uow *tx, const int64_t *ids, size_t n, struct queued_note *out, size_t *n_out,
		    struct settle_err *err);
	/* Records an outcome (attempts + 1, the claim cleared). error: why,
	 * for HELD / RETRY / FAILED; next_at: RETRY only. */
	int (*record)(void *self, struct uow *tx, int64_t id, enum notify_outcome o, const char *error,
		      const char *next_at, const char *now, struct settle_err *err);
};

#endif
