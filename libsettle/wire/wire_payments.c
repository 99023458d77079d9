/* wire_payments.c — the payments ports built from what payments_config read. */
#include "wire/wire_payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/payment_store.h"
#include "adapters/mysql/study_db.h"
#include "adapters/pg/nicepay/nicepay.h"
#include "adapters/study/study_http.h"
#include "adapters/pg/toss/toss.h"
#include "wire/payments_config.h"
#include "wire/wire_db.h"

static struct pg_port *open_pg(void *arg, const char *name, struct settle_err *err)
{
	struct pg_factory *f = arg;

	if (!strcmp(name, "toss")) {
		struct toss_config tc = {f->toss_url, f->toss_key, f->toss_connect_ms, f->toss_timeout_ms};

		if (!f->toss_url[0] || !f->toss_key[0])
			return err_set(err, SETTLE_EX_CONFIG, "toss is not configured ([toss] base_url, secret_key_file)"),
			       NULL;
		return toss_pg_new(&tc, err);
	}
	if (!strcmp(name, "nicepay")) {
		struct nicepay_config nc = {f->nice_url, f->nice_client, f->nice_key, f->nice_connect_ms,
					    f->nice_timeout_ms};

		if (!f->nice_url[0] || !f->nice_key[0] || !f->nice_client[0])
			return err_set(err, SETTLE_EX_CONFIG,
				       "nicepay is not configured ([nicepay] base_url, client_id, secret_key_file)"),
			       NULL;
		return nicepay_pg_new(&nc, err);
	}
	err_set(err, SETTLE_EX_CONFIG, "unknown PG %s", name);
	return NULL;
}

static void close_pg(struct pg_port *pg)
{
	if (pg && pg->destroy)
		pg->destroy(pg->self);
}

int wire_payments(struct cli *cli, struct payments_wiring *w, struct settle_err *err)
{
	const struct config *cfg;

	memset(w, 0, sizeof *w);
	if (wire_open_db(cli, err) < 0)
		return -1;
	cfg = cli->cfg;
	if (payments_config_read(cfg, w, err) < 0)
		return -1;

	w->store = mysql_store_new(cli->db);
	if (!w->store)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (w->study_url[0]) {
		char token[512];
		struct study_http_config sc;

		if (config_secret(cfg, "study", "token", token, sizeof token, err) < 0)
			return -1;
		sc = (struct study_http_config){w->study_url, token, w->study_connect_ms, w->study_timeout_ms};
		w->study = study_http_new(&sc, err);
		memset(token, 0, sizeof token);
		if (!w->study)
			return -1;
		w->study_is_http = 1;
	} else {
		w->study = study_db_new(cli->db);
		if (!w->study)
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	w->ctx.store = w->store;
	w->ctx.study = w->study;
	w->ctx.clock = clock_system();
	w->ctx.pg_open = open_pg;
	w->ctx.pg_close = close_pg;
	w->ctx.pg_arg = &w->pgf;
	w->ctx.actor = cli->spec->name;
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
	mysql_store_free(w->store);
	memset(w->pgf.toss_key, 0, sizeof w->pgf.toss_key);
	memset(w->pgf.nice_key, 0, sizeof w->pgf.nice_key);
	w->store = NULL;
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
	if (cli->wired) {
		unwire_payments(cli->wired);
		free(cli->wired);
		cli->wired = NULL;
	}
	wire_close_db(cli);
}

const struct cli_wiring payments_wiring = {open_hook, close_hook};
