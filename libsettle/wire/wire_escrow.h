/*
 * wire_escrow.h — builds the escrow context from settle.conf: the MySQL
 * unit of work, the release and ledger repositories, the clock, and
 * [escrow] hold_days / batch.
 */
#ifndef SETTLE_WIRE_ESCROW_H
#define SETTLE_WIRE_ESCROW_H

#include "app/escrow/completions.h"
#include "app/escrow/escrow.h"
#include "cli/cli.h"

struct escrow_wiring {
	struct escrow_ctx ctx;
	struct uow_port uow;
	struct release_repo release;
	struct ledger_repo ledger;
	struct outbox_port outbox;
	/* Pod completions (escrow-release --completed), built on demand by
	 * wire_escrow_completions so that a plain release never needs the
	 * Study Service's token. */
	struct completions_ctx completions;
	struct completions_repo completions_repo;
	struct study_port *study;
	int study_is_http;
};

int wire_escrow(struct cli *cli, struct escrow_wiring *w, struct settle_err *err);

/* Fills w->completions: the Study Service over HTTP when [study] base_url
 * is set (token from config_secret, as the payments wiring), else the
 * pods table, which has no feed (nothing to record). */
int wire_escrow_completions(struct cli *cli, struct escrow_wiring *w, struct settle_err *err);

/* The cli_run hook: cli->wired is a struct escrow_wiring. */
extern const struct cli_wiring escrow_wiring;

#endif
