/* wire_kpi.c — settle-report kpi's ports (see wire_kpi.h). */
#include "wire/wire_kpi.h"

#include <stdlib.h>

#include "adapters/clock/clock.h"
#include "adapters/mysql/kpi_queries.h"
#include "wire/wire_db.h"

static int open_hook(struct cli *cli, struct settle_err *err)
{
	struct kpi_wiring *w = calloc(1, sizeof *w);

	if (!w)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	cli->wired = w;
	if (wire_open_db(cli, err) < 0)
		return -1;
	mysql_kpi_queries(&w->q, cli->db);
	w->ctx = (struct kpi_ctx){&w->q, clock_system()};
	return 0;
}

static void close_hook(struct cli *cli)
{
	free(cli->wired);
	cli->wired = NULL;
	wire_close_db(cli);
}

const struct cli_wiring kpi_wiring = {open_hook, close_hook};
