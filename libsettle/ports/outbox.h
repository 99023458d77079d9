/*
 * ports/outbox.h — the transactional outbox (issue 14): a use case that
 * changes something a person must hear about adds a notification in the
 * same unit of work as the change. Nothing is sent here: settle-notify
 * sends what the outbox holds, later, outside any transaction.
 *
 * The note's key is derived from the event ("payment.completed:pay_…"),
 * so a re-run of the unit of work, a sweep and a live call that finish the
 * same event add one notification between them.
 */
#ifndef SETTLE_PORTS_OUTBOX_H
#define SETTLE_PORTS_OUTBOX_H

#include <stddef.h>

#include "domain/err.h"
#include "domain/note.h"
#include "ports/uow.h"

struct outbox_port {
	void *self;
	/* Adds the note in tx; a note whose key exists already changes
	 * nothing and is not an error. */
	int (*add)(void *self, struct uow *tx, const struct outbox_note *n, const char *now, struct settle_err *err);
	/* The same for n notes in as few statements as the adapter can (a
	 * batch job's unit of work); NULL: add is called n times. */
	int (*add_many)(void *self, struct uow *tx, const struct outbox_note *notes, size_t n, const char *now,
			struct settle_err *err);
};

/* The one call a use case makes; an outbox left unwired (a program that
 * notifies nobody) adds nothing. */
static inline int outbox_add(const struct outbox_port *o, struct uow *tx, const struct outbox_note *n, const char *now,
			     struct settle_err *err)
{
	return o ? o->add(o->self, tx, n, now, err) : 0;
}

static inline int outbox_add_many(const struct outbox_port *o, struct uow *tx, const struct outbox_note *notes,
				  size_t n, const char *now, struct settle_err *err)
{
	if (!o || n == 0)
		return 0;
	if (o->add_many)
		return o->add_many(o->self, tx, notes, n, now, err);
	for (size_t i = 0; i < n; i++)
		if (o->add(o->self, tx, &notes[i], now, err) < 0)
			return -1;
	return 0;
}

#endif
