/*
 * ports/pods_repo.h — settle's copy of the Study Service's pods: refreshed
 * when an order is made, and the row that serialises orders of one pod so
 * that its capacity is checked under a lock; and who leads a pod, for the
 * notices of rows that name only the pod (an escrow, a dispute).
 */
#ifndef SETTLE_PORTS_PODS_REPO_H
#define SETTLE_PORTS_PODS_REPO_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/study.h"
#include "ports/uow.h"

struct pods_repo {
	void *self;
	/* Upserts the copy and locks its row for the rest of tx. */
	int (*refresh_and_lock)(void *self, struct uow *tx, const struct study_pod *pod, const char *now,
				struct settle_err *err);
	/* The pod's leader, read without a lock (a use case that holds an
	 * escrow's lock must not then wait on the pod's row, which an order
	 * locks first); 1 found, 0 no such pod. */
	int (*leader_of)(void *self, struct uow *tx, const char *pod_id, char *leader_id, size_t len,
			 struct settle_err *err);
};

#endif
