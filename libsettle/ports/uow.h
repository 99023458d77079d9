/*
 * ports/uow.h — the unit of work: one database transaction.
 *
 * A use case composes repositories inside run(): fn gets the open
 * transaction and passes it to every repository call it makes. The adapter
 * owns the connection, begins and commits, and re-runs fn from the start on
 * a deadlock (1213) or lock-wait time-out (1205) — so fn must be safe to
 * run again: it rebuilds everything it writes from what it reads.
 *
 * Rule: no call to the outside world (PG, bank, Study Service) from inside
 * fn. Record the intent, commit, call, record the outcome (DESIGN.md §7).
 */
#ifndef SETTLE_PORTS_UOW_H
#define SETTLE_PORTS_UOW_H

#include "domain/err.h"

/* An open transaction. Opaque to use cases; each adapter knows its own. */
struct uow;

typedef int (*uow_fn)(struct uow *tx, void *arg, struct settle_err *err);

struct uow_port {
	void *self;
	/* 0 when fn returned 0 and the transaction committed; -1 with err
	 * (fn's error, or the database's) after a rollback. */
	int (*run)(void *self, uow_fn fn, void *arg, struct settle_err *err);
};

static inline int uow_run(const struct uow_port *u, uow_fn fn, void *arg, struct settle_err *err)
{
	return u->run(u->self, fn, arg, err);
}

#endif
