/* wire_escrow.c — configuration into the escrow ports. */
#include "wire/wire_escrow.h"

#include <stdlib.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/uow.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

int wire_escrow(struct cli *cli, struct escrow_wiring *w, struct settle_err *err)
{
	int64_t hold, batch;

	memset(w, 0, sizeof *w);
	if (wire_open_db(cli, err) < 0)
		return -1;
	if (config_get_int(cli->cfg, "escrow", "hold_days", 7, 0, 365, &hold, err) < 0 ||
	    config_get_int(cli->cfg, "escrow", "batch", 500, 1, 5000, &batch, err) < 0)
		return -1;
	mysql_uow(&w->uow, cli->db);
	mysql_release_repo(&w->release, cli->db);
	mysql_ledger_repo(&w->ledger, cli->db);
	w->ctx = (struct escrow_ctx){&w->uow, &w->release, &w->ledger, clock_system(), cli->spec->name, (int)hold,
				     (int)batch};
	return 0;
}

static int build(struct cli *cli, void *w, struct settle_err *err)
{
	return wire_escrow(cli, w, err);
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct escrow_wiring), build, err);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, NULL);
}

const struct cli_wiring escrow_wiring = {open_hook, close_hook};
