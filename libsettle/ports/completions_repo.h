/*
 * ports/completions_repo.h — recording pod completions read from the
 * Study Service, and the cursor of that feed (job_cursors).
 *
 * Rule: the cursor moves in the same unit of work as the pods it covers,
 * so a crash between them can neither skip a completion nor record one
 * twice.
 */
#ifndef SETTLE_PORTS_COMPLETIONS_REPO_H
#define SETTLE_PORTS_COMPLETIONS_REPO_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/uow.h"

struct completions_repo {
	void *self;
	/* The cursor named name into pos ("" when the job never ran); locks
	 * its row when it exists, so two runners do not read the same page. */
	int (*cursor_get)(void *self, struct uow *tx, const char *name, char *pos, size_t pos_len,
			  struct settle_err *err);
	/* Creates or moves the cursor; now is UTC "YYYY-MM-DD HH:MM:SS". */
	int (*cursor_set)(void *self, struct uow *tx, const char *name, const char *pos, const char *now,
			  struct settle_err *err);
	/* Marks the pod COMPLETED at completed_at (ISO 8601 UTC); a pod already
	 * completed keeps its first date. 1 when the pod is known, 0 when
	 * settle has no such pod (nothing written), -1 with err. */
	int (*pod_completed)(void *self, struct uow *tx, const char *pod_id, const char *completed_at,
			     struct settle_err *err);
};

#endif
