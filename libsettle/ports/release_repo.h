/*
 * ports/release_repo.h — escrow release: the escrows whose hold is over,
 * and moving them from escrow:{pod} to released:{pod}.
 *
 * Rule: an escrow with a refund in flight is never due (the refund would
 * otherwise land on money already released); a DISPUTED escrow is never
 * due; the due rows are locked (SKIP LOCKED) so several runners share the
 * backlog without waiting on each other.
 */
#ifndef SETTLE_PORTS_RELEASE_REPO_H
#define SETTLE_PORTS_RELEASE_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/escrow.h"
#include "ports/uow.h"

struct release_row {
	struct escrow e;
	char completed_at[32]; /* UTC, "" for an escrow released by a dispute's resolution */
	char leader_id[65];    /* the pod's leader, read with the row: whom the release notice goes to */
	int release_asap;
};

/* Which escrows a run looks at. */
struct release_filter {
	const char *cutoff;     /* pods completed before this instant (UTC) are past their hold */
	const char *const *pods; /* only these pods (NULL = all) */
	size_t n_pods;
	int ignore_hold;        /* --now: an operator releases before the hold ends */
	int64_t after_id;       /* only escrows with a larger id (paging) */
	int64_t upto_id;        /* and, when not 0, an id no larger (domain/walk.h) */
};

struct release_repo {
	void *self;
	/* Locks and returns up to limit due HOLDING escrows, oldest first. */
	int (*due)(void *self, struct uow *tx, const struct release_filter *f, struct release_row *rows, size_t limit,
		   size_t *n, struct settle_err *err);
	/* Writes the release of n escrows (status, released_amount each, as
	 * domain/ computed them), in one statement. */
	int (*released)(void *self, struct uow *tx, const struct release_row *rows, size_t n, const char *now,
			struct settle_err *err);
	/* Where a runner that lost its batch walks on (domain/walk.h): the id
	 * of the (r mod n)-th of the n HOLDING escrows, in no set order; 0
	 * when none holds. */
	int (*pick_holding)(void *self, struct uow *tx, uint64_t r, int64_t *id, struct settle_err *err);
	/* Why a named pod has nothing to release: its status, completion and
	 * escrow counts (for the one-line refusal of `--pod`). 0 unknown pod. */
	int (*pod_state)(void *self, struct uow *tx, const char *pod_id, char *status, size_t status_len,
			 char *completed_at, size_t completed_len, int64_t *holding, int64_t *disputed,
			 struct settle_err *err);
	/* Marks a pod completed (the pods table as the source, without a Study Service). */
	int (*complete_pod)(void *self, struct uow *tx, const char *pod_id, const char *at, struct settle_err *err);
};

#endif
