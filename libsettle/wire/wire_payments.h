/*
 * wire_payments.h — builds the payments context from settle.conf: the
 * MySQL unit of work and repositories, the Study port (HTTP when [study]
 * base_url is set, else the pods table), the PG registry (one settle.conf
 * section per PG adapter), and the settings.
 */
#ifndef SETTLE_CLI_WIRE_PAYMENTS_H
#define SETTLE_CLI_WIRE_PAYMENTS_H

#include "adapters/pg/registry.h"
#include "app/payments/payments.h"
#include "cli/cli.h"

struct payments_wiring {
	struct pay_ctx ctx;
	struct pg_registry pgs;
	struct uow_port uow;
	struct payments_repo payments;
	struct refunds_repo refunds;
	struct escrows_repo escrows;
	struct participation_repo participation;
	struct pods_repo pods;
	struct ledger_repo ledger;
	struct breaker_repo breaker;
	struct claims_port claims;
	struct payment_queries queries;
	struct study_port *study;
	int study_is_http;
	char owner[64];
};

int wire_payments(struct cli *cli, struct payments_wiring *w, struct settle_err *err);
void unwire_payments(struct payments_wiring *w);

/* The end of every payments program: prints err (when not NULL) as
 * cli_fail does, releases the wiring and the CLI, returns the exit code. */
int payments_exit(struct cli *cli, struct payments_wiring *w, const struct settle_err *err);

#endif
