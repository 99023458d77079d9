/*
 * wire_payments.h — builds the payments context from settle.conf: the
 * MySQL store, the Study port (HTTP when [study] base_url is set, else the
 * pods table), PG factories for [toss] and [nicepay], and the settings.
 */
#ifndef SETTLE_WIRE_PAYMENTS_H
#define SETTLE_WIRE_PAYMENTS_H

#include "app/payments.h"
#include "cli/cli.h"

struct pg_factory {
	char toss_url[8192], toss_key[256]; /* a URL may be long (issue 7 §8) */
	long toss_connect_ms, toss_timeout_ms;
	char nice_url[8192], nice_client[128], nice_key[256];
	long nice_connect_ms, nice_timeout_ms;
};

struct payments_wiring {
	struct pay_ctx ctx;
	struct pg_factory pgf;
	struct store_port *store;
	struct study_port *study;
	int study_is_http;
	char study_url[8192];
	long study_connect_ms, study_timeout_ms;
};

int wire_payments(struct cli *cli, struct payments_wiring *w, struct settle_err *err);
void unwire_payments(struct payments_wiring *w);

/* For a cli_spec's .wiring: the config, the database, then the payments
 * ports (a struct payments_wiring in cli->wired); all closed after. */
extern const struct cli_wiring payments_wiring;

#endif
