/* wire_reports.c — configuration into settle-report's ports. */
#include "wire/wire_reports.h"

#include <stdlib.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/crypto/crypto.h"
#include "adapters/mysql/reports.h"
#include "adapters/mysql/uow.h"
#include "wire/wire_db.h"

static int open_hook(struct cli *cli, struct settle_err *err)
{
	struct reports_wiring *w = calloc(1, sizeof *w);

	if (!w)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	cli->wired = w;
	if (wire_open_db(cli, err) < 0)
		return -1;
	mysql_uow(&w->uow, cli->db);
	mysql_ledger_repo(&w->ledger, cli->db);
	mysql_report_queries(&w->q, cli->db);
	mysql_remittances_repo(&w->remittances, cli->db);
	w->ctx = (struct report_ctx){&w->q, &w->uow, &w->ledger, &w->remittances, clock_system(), NULL};
	return 0;
}

int wire_reports_rrn(struct cli *cli, struct reports_wiring *w, struct settle_err *err)
{
	struct data_key key;

	if (crypto_load_key(cli->cfg, &key, err) < 0)
		return err_prefix(err, "--with-rrn");
	w->rrn = rrn_port_new(&key);
	crypto_key_wipe(&key);
	if (!w->rrn)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	w->ctx.rrn = w->rrn;
	return 0;
}

int wire_reports_pack(struct cli *cli, struct reports_wiring *w, const struct report_out_opts *o,
		      struct settle_err *err)
{
	const char *dir = config_get_or(cli->cfg, "reports", "dir", "/var/lib/settle/reports");
	size_t n = 0;

	if (!*dir)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [reports] dir is empty", config_path(cli->cfg));
	/* The hook of the other finance parts: each names the directory whose
	 * <YYYY-MM>/ files go into the pack under its name. */
	w->extras[n++] = (struct pack_extra){"invoices", config_get(cli->cfg, "invoice", "outbox_dir")};
	w->extras[n++] = (struct pack_extra){"reconciliation", config_get(cli->cfg, "reconcile", "dir")};
	w->extras[n] = (struct pack_extra){NULL, NULL};
	w->pack = pack_dir_new(dir, w->extras, o);
	if (!w->pack)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	return 0;
}

static void close_hook(struct cli *cli)
{
	struct reports_wiring *w = cli->wired;

	if (w) {
		rrn_port_free(w->rrn);
		pack_dir_free(w->pack);
		free(w);
		cli->wired = NULL;
	}
	wire_close_db(cli);
}

const struct cli_wiring reports_wiring = {open_hook, close_hook};
