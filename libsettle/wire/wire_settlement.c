/* wire_settlement.c — configuration into settle-run's ports. */
#include "wire/wire_settlement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/registry.h"
#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

int wire_settlement(struct cli *cli, struct settlement_wiring *w, struct settle_err *err)
{
	struct settle_ctx *c = &w->ctx;
	const char *channel, *rates;
	const struct bank_adapter *bank;
	int64_t fee_bps, minimum, per_unit;

	memset(w, 0, sizeof *w);
	if (wire_open_db(cli, err) < 0)
		return -1;
	if (config_get_int(cli->cfg, "settlement", "fee_bps", 2000, 0, 10000, &fee_bps, err) < 0 ||
	    config_get_int(cli->cfg, "settlement", "batch", 50, 1, 256, &per_unit, err) < 0 ||
	    config_get_int(cli->cfg, "payout", "minimum", 1, 1, INT64_MAX / 2, &minimum, err) < 0)
		return -1;
	channel = config_get_or(cli->cfg, "payout", "channel", "bulk-file");
	bank = bank_adapter_find(channel);
	if (!bank) {
		char names[128];

		bank_registry_names(names, sizeof names);
		return err_set(err, SETTLE_EX_CONFIG, "%s: [payout] channel \"%.40s\" is not one of %s",
			       config_path(cli->cfg), channel, names);
	}
	c->channel_needs_account = bank->needs_account;
	rates = config_get(cli->cfg, "payout", "rates");
	if (rates) {
		if (rates_parse(rates, &c->rates, err) < 0)
			return err_prefix(err, "%s: [payout] rates", config_path(cli->cfg));
	} else {
		rates_default(&c->rates);
	}
	mysql_uow(&w->uow, cli->db);
	mysql_settlement_repo(&w->settlements, cli->db);
	mysql_payouts_repo(&w->payouts, cli->db);
	mysql_ledger_repo(&w->ledger, cli->db);
	mysql_outbox(&w->outbox, cli->db);
	c->uow = &w->uow;
	c->settlements = &w->settlements;
	c->payouts = &w->payouts;
	c->ledger = &w->ledger;
	c->outbox = &w->outbox;
	c->clock = clock_system();
	c->actor = cli->spec->name;
	c->fee_bps = (int)fee_bps;
	c->leaders_per_unit = (int)per_unit;
	c->payout_minimum = minimum;
	snprintf(c->channel, sizeof c->channel, "%s", channel);
	return 0;
}

static int build(struct cli *cli, void *w, struct settle_err *err)
{
	return wire_settlement(cli, w, err);
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct settlement_wiring), build, err);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, NULL);
}

const struct cli_wiring settlement_wiring = {open_hook, close_hook};
