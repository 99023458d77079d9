/*
 * wire_payments.h — builds the payments context from settle.conf: the
 * MySQL unit of work and repositories, the Study port (HTTP when [study]
 * base_url is set, else the pods table), the PG registry (one settle.conf
 * section per PG adapter), and the settings.
 */
#ifndef SETTLE_WIRE_PAYMENTS_H
#define SETTLE_WIRE_PAYMENTS_H

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
	struct clawbacks_repo clawbacks;
	struct disputes_repo disputes;
	struct outbox_port outbox;
	struct amount_refusals_repo refusals;
	struct study_port *study;
	int study_is_http;
	char study_url[8192]; /* a URL may be long (issue 7 §8) */
	long study_connect_ms, study_timeout_ms;
	char owner[64];
};

int wire_payments(struct cli *cli, struct payments_wiring *w, struct settle_err *err);
void unwire_payments(struct payments_wiring *w);

/* The cli_run hook: a spec with .wiring = &payments_wiring gets a wired
 * struct payments_wiring in cli->wired. */
extern const struct cli_wiring payments_wiring;

#endif
