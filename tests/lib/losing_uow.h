/*
 * losing_uow.h — a unit of work around the real MySQL one that loses units
 * the way a Galera cluster does: the unit runs whole, then fails with 1213
 * (a certification failure), and db_tx runs it again. Every lose_every-th
 * unit that did work loses; "did work" is the count of progress_sql going
 * up (a unit that wrote nothing cannot lose on a cluster).
 */
#ifndef SETTLE_TESTS_LOSING_UOW_H
#define SETTLE_TESTS_LOSING_UOW_H

#include <stdint.h>

#include "adapters/mysql/db.h"
#include "ports/uow.h"

struct losing_uow {
	struct uow_port port;  /* hand this to the use case */
	struct uow_port real;
	const char *progress_sql; /* one integer: grows when a unit did work */
	int lose_every;
	int attempts, lost;
	int64_t committed;
	uow_fn fn;
	void *arg;
};

void losing_uow_init(struct losing_uow *l, struct db *db, const char *progress_sql, int lose_every);

#endif
