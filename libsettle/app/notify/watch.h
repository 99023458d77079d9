/*
 * app/notify/watch.h — settle-watch: evaluates the anomaly rules
 * (domain/watch.h) over the last window and, for each that fires, writes
 * an alert row once per rule, subject and window, and an operator
 * notification through the outbox in the same unit of work. It reads the
 * business tables and writes alerts and notifications, nothing else.
 */
#ifndef SETTLE_APP_NOTIFY_WATCH_H
#define SETTLE_APP_NOTIFY_WATCH_H

#include <stddef.h>

#include "domain/watch.h"
#include "ports/clock.h"
#include "ports/outbox.h"
#include "ports/watch_queries.h"

struct watch_ctx {
	const struct uow_port *uow;
	const struct watch_queries *q;
	const struct outbox_port *outbox;
	const struct clock_port *clock;
	struct watch_limits limits;
};

typedef int (*watch_fire_fn)(void *arg, const struct watch_fire *f, int is_new);

/* Calls fn for every rule that fires now (is_new: its alert was written by
 * this run). dry_run: nothing is written (--json lists what fires). */
int watch_run(const struct watch_ctx *c, int dry_run, watch_fire_fn fn, void *arg, size_t *fired, size_t *new_alerts,
	      struct settle_err *err);

#endif
