/* wire_escrow.c — configuration into the escrow ports. */
#include "wire/wire_escrow.h"

#include <stdlib.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/completions_repo.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/study_db.h"
#include "adapters/mysql/uow.h"
#include "adapters/study/study_http.h"
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
	mysql_outbox(&w->outbox, cli->db);
	w->ctx = (struct escrow_ctx){&w->uow, &w->release, &w->ledger, clock_system(), cli->spec->name, (int)hold,
				     (int)batch, &w->outbox};
	return 0;
}

int wire_escrow_completions(struct cli *cli, struct escrow_wiring *w, struct settle_err *err)
{
	const char *url = config_get_or(cli->cfg, "study", "base_url", "");
	int64_t connect_ms, timeout_ms;
	char token[512];
	struct study_http_config sc;

	if (w->study)
		return 0;
	if (!url[0]) {
		w->study = study_db_new(cli->db);
		if (!w->study)
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
	} else {
		if (config_get_int(cli->cfg, "study", "connect_timeout_ms", 5000, 1, 600000, &connect_ms, err) < 0 ||
		    config_get_int(cli->cfg, "study", "timeout_ms", 10000, 1, 600000, &timeout_ms, err) < 0 ||
		    config_secret(cli->cfg, "study", "token", token, sizeof token, err) < 0)
			return -1;
		sc = (struct study_http_config){url, token, (long)connect_ms, (long)timeout_ms};
		w->study = study_http_new(&sc, err);
		memset(token, 0, sizeof token);
		if (!w->study)
			return -1;
		w->study_is_http = 1;
	}
	mysql_completions_repo(&w->completions_repo, cli->db);
	w->completions = (struct completions_ctx){&w->uow, &w->completions_repo, w->study, clock_system(), 100};
	return 0;
}

static int build(struct cli *cli, void *w, struct settle_err *err)
{
	return wire_escrow(cli, w, err);
}

/* What the wiring holds beyond the database: the Study port (--completed). */
static void release(void *arg)
{
	struct escrow_wiring *w = arg;

	if (w->study) {
		if (w->study_is_http && w->study->destroy)
			w->study->destroy(w->study->self);
		else if (!w->study_is_http)
			study_db_free(w->study);
	}
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct escrow_wiring), build, err);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, release);
}

const struct cli_wiring escrow_wiring = {open_hook, close_hook};
