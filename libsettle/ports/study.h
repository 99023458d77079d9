/*
 * ports/study.h — the Study Service port: the source of truth for pods.
 * Adapters: the Study Service over HTTP JSON, or settle's own `pods`
 * table (loaded by `settle-db load-pods`) when no service is configured.
 */
#ifndef SETTLE_PORT_STUDY_H
#define SETTLE_PORT_STUDY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct study_pod {
	char pod_id[65];
	char leader_id[65];
	char title[201];
	int64_t fee;         /* per participant, minor units */
	char currency[4];
	char status[16];     /* OPEN, FULL, CLOSED, COMPLETED, CANCELLED */
	int capacity;
	int participants;    /* as the Study Service counts them */
	char starts_on[11];  /* YYYY-MM-DD, Korea time */
	char ends_on[11];
	char completed_at[32]; /* ISO 8601 UTC, or "" */
};

/* One pod completion as the Study Service reports it. */
struct study_completion {
	char pod_id[65];
	char completed_at[32]; /* ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ" */
};

/* Longest cursor a caller must be ready to keep (job_cursors.position). */
#define STUDY_CURSOR_MAX 200

struct study_port {
	void *self;
	/* 0, or -1 with err: EX_NOINPUT for an unknown pod, EX_UNAVAILABLE /
	 * EX_TEMPFAIL when the service cannot be asked, EX_DATAERR for a
	 * malformed answer. */
	int (*get_pod)(void *self, const char *pod_id, struct study_pod *out, struct settle_err *err);
	/* Tells the Study Service the user's place is paid. Idempotent by
	 * payment id. */
	int (*confirm_participation)(void *self, const char *pod_id, const char *user_id,
				     const char *payment_id, struct settle_err *err);
	/* The pods completed after the opaque cursor since ("" = from the
	 * start), oldest first: at most min(limit, cap) into out, *n of them,
	 * and the cursor to pass next time into next_cursor (cursor_len bytes,
	 * at least STUDY_CURSOR_MAX + 1); *n == 0 means nothing new. Nothing is
	 * consumed on the service's side: the caller keeps the cursor and
	 * advances it only once it has recorded what it read. 0, or -1 with
	 * err: EX_TEMPFAIL / EX_UNAVAILABLE when the service cannot be asked,
	 * EX_DATAERR for a malformed answer. NULL in an adapter with no feed. */
	int (*completions)(void *self, const char *since, size_t limit, struct study_completion *out, size_t cap,
			   size_t *n, char *next_cursor, size_t cursor_len, struct settle_err *err);
	void (*destroy)(void *self);
};

#endif
