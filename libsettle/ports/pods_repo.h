/*
 * ports/pods_repo.h — settle's copy of the Study Service's pods: refreshed
 * when an order is made, and the row that serialises orders of one pod so
 * that its capacity is checked under a lock.
 */
#ifndef SETTLE_PORTS_PODS_REPO_H
#define SETTLE_PORTS_PODS_REPO_H

#include "domain/err.h"
#include "ports/study.h"
#include "ports/uow.h"

struct pods_repo {
	void *self;
	/* Upserts the copy and locks its row for the rest of tx. */
	int (*refresh_and_lock)(void *self, struct uow *tx, const struct study_pod *pod, const char *now,
				struct settle_err *err);
};

#endif
