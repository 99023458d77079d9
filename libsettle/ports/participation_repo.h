/*
 * ports/participation_repo.h — the participation confirms owed to the
 * Study Service: one row per captured payment, until the service has
 * recorded the place or definitely refused it.
 */
#ifndef SETTLE_PORTS_PARTICIPATION_REPO_H
#define SETTLE_PORTS_PARTICIPATION_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "ports/uow.h"

struct participation_rec {
	int64_t payment_id;
	char pod_id[65];
	char user_id[65];
	int attempts;
	char last_error[256];
};

enum participation_result { PART_DONE, PART_RETRY, PART_REFUSED };

struct participation_repo {
	void *self;
	/* Queues the confirm (idempotent per payment). */
	int (*enqueue)(void *self, struct uow *tx, int64_t payment_id, const char *pod_id, const char *user_id,
		       const char *now, struct settle_err *err);
	int (*load_many)(void *self, struct uow *tx, const int64_t *payment_ids, size_t n,
			 struct participation_rec *out, size_t *n_out, struct settle_err *err);
	/* Records an attempt: done, retry at next_at, or refused (final). */
	int (*record)(void *self, struct uow *tx, int64_t payment_id, enum participation_result result,
		      const char *error, const char *next_at, const char *now, struct settle_err *err);
};

#endif
