/*
 * wire_escrow.h — builds the escrow context from settle.conf: the MySQL
 * unit of work, the release and ledger repositories, the clock, and
 * [escrow] hold_days / batch.
 */
#ifndef SETTLE_WIRE_ESCROW_H
#define SETTLE_WIRE_ESCROW_H

#include "app/escrow/escrow.h"
#include "cli/cli.h"

struct escrow_wiring {
	struct escrow_ctx ctx;
	struct uow_port uow;
	struct release_repo release;
	struct ledger_repo ledger;
};

int wire_escrow(struct cli *cli, struct escrow_wiring *w, struct settle_err *err);

/* The cli_run hook: cli->wired is a struct escrow_wiring. */
extern const struct cli_wiring escrow_wiring;

#endif
