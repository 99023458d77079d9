/*
 * ports/webhook_events.h — every PG notification, stored by its id before
 * it is acted on (table webhook_events).
 *
 * Rule: store() is the dedupe: the second delivery of an event id finds
 * the first and stores nothing.
 */
#ifndef SETTLE_PORTS_WEBHOOK_EVENTS_H
#define SETTLE_PORTS_WEBHOOK_EVENTS_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/webhook.h"

struct webhook_events_repo {
	void *self;
	/* 1 stored (*id set); 0 already stored and acted on (*id the
	 * first's); 2 already stored but not acted on to the end (RECEIVED or
	 * FAILED: a re-delivery is the PG's retry, so act again); -1 error. */
	int (*store)(void *self, const struct webhook_event *ev, const char *body, const char *now, int64_t *id,
		     struct settle_err *err);
	/* The end of acting on it: status PROCESSED, IGNORED or FAILED, and a
	 * flag for an operator (NULL: none) with a one-line note. */
	int (*finish)(void *self, int64_t id, const char *status, const char *flag, const char *note,
		      const char *now, struct settle_err *err);
};

#endif
