/*
 * wire_reconcile.h — settle-report reconcile's context from settle.conf:
 * the database (unit of work, reconcile and ledger repositories), the
 * clock, and the PG's settlement records — its settlement API ([toss]
 * base_url and secret, [reconcile] timeout_ms and page_size) or a file
 * downloaded from its console. [reconcile] batch: records booked per unit
 * of work.
 */
#ifndef SETTLE_WIRE_RECONCILE_H
#define SETTLE_WIRE_RECONCILE_H

#include "adapters/pg/registry.h"
#include "app/reports/reconcile.h"
#include "cli/cli.h"

struct reconcile_wiring {
	struct reconcile_ctx ctx;
	struct uow_port uow;
	struct reconcile_repo repo;
	struct ledger_repo ledger;
	struct pg_settlements_port *source;
	struct pg_settings toss;   /* [toss], read only when the API is asked */
	int64_t page_size;
};

/* The cli_run hook: cli->wired is a struct reconcile_wiring (no source yet). */
extern const struct cli_wiring reconcile_wiring;

/* Checks, without I/O, that pg is a PG settle knows (64) and that it has
 * a settlement API when no file is given (78). */
int wire_reconcile_check(const char *pg, const char *file, struct settle_err *err);

/* Opens the source of pg's records: file when given, else pg's settlement
 * API. 78 when pg has none or it is not configured. */
int wire_reconcile_source(struct cli *cli, const char *pg, const char *file, struct settle_err *err);

#endif
