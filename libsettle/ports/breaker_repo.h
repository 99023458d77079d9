/*
 * ports/breaker_repo.h — the health of each PG, kept in rows so that every
 * process on every host sees the same breaker (DESIGN.md §12).
 */
#ifndef SETTLE_PORTS_BREAKER_REPO_H
#define SETTLE_PORTS_BREAKER_REPO_H

#include <stdint.h>

#include "domain/err.h"
#include "ports/uow.h"

struct breaker_repo {
	void *self;
	/* One call's health: ok = the PG answered (success or refusal). */
	int (*record)(void *self, struct uow *tx, const char *pg, int ok, const char *code, const char *now,
		      struct settle_err *err);
	/* Failures since the window began or the last good answer, whichever
	 * is later: one success closes the breaker. */
	int (*failures)(void *self, struct uow *tx, const char *pg, int window_s, const char *now, int64_t *failures,
			struct settle_err *err);
	/* 1 when this caller may send one probe order now (then the next
	 * probe is due every_s later); needs tx for its row lock. */
	int (*take_probe)(void *self, struct uow *tx, const char *pg, int every_s, const char *now,
			  struct settle_err *err);
	/* Deletes health rows older than keep_s, in bounded chunks. */
	int (*prune)(void *self, const char *now, int keep_s, struct settle_err *err);
};

#endif
