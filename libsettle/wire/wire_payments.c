/* wire_payments.c — the payments ports built from what payments_config read. */
#include "wire/wire_payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/crypto/crypto.h"
#include "adapters/mysql/amount_refusals_repo.h"
#include "adapters/mysql/study_db.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "adapters/study/study_http.h"
#include "wire/job_runs.h"
#include "wire/payments_config.h"
#include "wire/wire_db.h"

/* This process as a claimer: unique across hosts and restarts. */
static int make_owner(char *out, size_t len, struct settle_err *err)
{
	char host[64] = "", nonce[32];

	gethostname(host, sizeof host - 1);
	if (public_id(nonce, sizeof nonce, "", err) < 0)
		return -1;
	snprintf(out, len, "%.24s:%ld:%.12s", host, (long)getpid(), nonce);
	return 0;
}

static int open_study(struct cli *cli, struct payments_wiring *w, struct settle_err *err)
{
	char token[512];
	struct study_http_config sc;

	if (!w->study_url[0]) {
		w->study = study_db_new(cli->db);
		return w->study ? 0 : err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	if (config_secret(cli->cfg, "study", "token", token, sizeof token, err) < 0)
		return -1;
	sc = (struct study_http_config){w->study_url, token, w->study_connect_ms, w->study_timeout_ms};
	w->study = study_http_new(&sc, err);
	memset(token, 0, sizeof token);
	if (!w->study)
		return -1;
	w->study_is_http = 1;
	return 0;
}

int wire_payments(struct cli *cli, struct payments_wiring *w, struct settle_err *err)
{
	memset(w, 0, sizeof *w);
	if (wire_open_db(cli, err) < 0)
		return -1;
	if (payments_config_read(cli->cfg, w, err) < 0 || open_study(cli, w, err) < 0 ||
	    make_owner(w->owner, sizeof w->owner, err) < 0)
		return -1;
	mysql_uow(&w->uow, cli->db);
	mysql_payments_repo(&w->payments, cli->db);
	mysql_refunds_repo(&w->refunds, cli->db);
	mysql_escrows_repo(&w->escrows, cli->db);
	mysql_participation_repo(&w->participation, cli->db);
	mysql_pods_repo(&w->pods, cli->db);
	mysql_ledger_repo(&w->ledger, cli->db);
	mysql_breaker_repo(&w->breaker, cli->db);
	mysql_claims(&w->claims, cli->db);
	mysql_payment_queries(&w->queries, cli->db);
	mysql_clawbacks_repo(&w->clawbacks, cli->db);
	mysql_disputes_repo(&w->disputes, cli->db);
	mysql_outbox(&w->outbox, cli->db);
	mysql_amount_refusals_repo(&w->refusals, cli->db);
	w->ctx.r = (struct pay_repos){&w->uow,	   &w->payments, &w->refunds, &w->escrows, &w->participation,
				      &w->pods,	   &w->ledger,	 &w->breaker, &w->claims,  &w->queries,
				      &w->clawbacks, &w->disputes, &w->outbox, &w->refusals};
	w->ctx.study = w->study;
	w->ctx.clock = clock_system();
	w->ctx.pgs = &w->pgs.dir;
	w->ctx.actor = cli->spec->name;
	w->ctx.owner = w->owner;
	return 0;
}

void unwire_payments(struct payments_wiring *w)
{
	if (w->study) {
		if (w->study_is_http) {
			if (w->study->destroy)
				w->study->destroy(w->study->self);
		} else {
			study_db_free(w->study);
		}
	}
	pg_registry_wipe(&w->pgs);
	w->study = NULL;
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	struct payments_wiring *w = calloc(1, sizeof *w);

	if (!w)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	cli->wired = w;
	return wire_payments(cli, w, err);
}

static void close_hook(struct cli *cli)
{
	job_run_end(cli); /* a sweep's record; nothing for one capture */
	if (cli->wired) {
		unwire_payments(cli->wired);
		free(cli->wired);
		cli->wired = NULL;
	}
	wire_close_db(cli);
}

const struct cli_wiring payments_wiring = {open_hook, close_hook};
