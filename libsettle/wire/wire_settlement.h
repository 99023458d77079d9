/*
 * wire_settlement.h — builds settle-run's context from settle.conf:
 * [settlement] fee_bps, [payout] minimum, channel and rates (dated
 * withholding rates), the MySQL unit of work and repositories.
 */
#ifndef SETTLE_WIRE_SETTLEMENT_H
#define SETTLE_WIRE_SETTLEMENT_H

#include "app/settlement/settlement.h"
#include "cli/cli.h"

struct settlement_wiring {
	struct settle_ctx ctx;
	struct uow_port uow;
	struct settlement_repo settlements;
	struct payouts_repo payouts;
	struct ledger_repo ledger;
	struct outbox_port outbox;
};

int wire_settlement(struct cli *cli, struct settlement_wiring *w, struct settle_err *err);

/* The cli_run hook: cli->wired is a struct settlement_wiring. */
extern const struct cli_wiring settlement_wiring;

#endif
