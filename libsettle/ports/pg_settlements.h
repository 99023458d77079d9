/*
 * ports/pg_settlements.h — a PG's settlement records for a period: what the
 * PG says it settled (one record per approval or cancel, with its fee and
 * payout), from its settlement API or from the settlement file downloaded
 * from its console. A port of its own (DESIGN.md §13): ports/pg.h stays
 * what a payment needs.
 *
 * Rule: list() hands out records one at a time, each already checked by
 * recon_record_check (a malformed record stops the listing with an error
 * that names where it was: file line, or page and position); it changes
 * nothing anywhere.
 */
#ifndef SETTLE_PORTS_PG_SETTLEMENTS_H
#define SETTLE_PORTS_PG_SETTLEMENTS_H

#include "domain/err.h"
#include "domain/reconcile.h"

typedef int (*pg_settlement_fn)(void *arg, const struct recon_record *r, struct settle_err *err);

struct pg_settlements_port {
	void *self;
	const char *pg;     /* the PG the records belong to: "toss" */
	const char *source; /* for messages: the file's path, or "toss settlements API" */
	int is_file;        /* a file someone downloaded (and could have mixed up) */
	/* Every record whose soldDate (Korea time) is in [from, to], dates
	 * YYYY-MM-DD. fn returning -1 stops the listing. */
	int (*list)(void *self, const char *from, const char *to, pg_settlement_fn fn, void *arg,
		    struct settle_err *err);
	void (*destroy)(void *self);
};

#endif
