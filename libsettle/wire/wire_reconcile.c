/* wire_reconcile.c — configuration into settle-report reconcile's ports. */
#include "wire/wire_reconcile.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/reconcile_repo.h"
#include "adapters/mysql/uow.h"
#include "adapters/pg/settlement_file.h"
#include "adapters/pg/toss/toss_settlements.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

static int build(struct cli *cli, void *arg, struct settle_err *err)
{
	struct reconcile_wiring *w = arg;
	struct reconcile_ctx *c = &w->ctx;
	int64_t batch;
	const char *into;

	if (wire_open_db(cli, err) < 0 ||
	    config_get_int(cli->cfg, "reconcile", "batch", 100, 1, 1000, &batch, err) < 0 ||
	    config_get_int(cli->cfg, "reconcile", "page_size", 100, 1, 1000, &w->page_size, err) < 0)
		return -1;
	mysql_uow(&w->uow, cli->db);
	mysql_reconcile_repo(&w->repo, cli->db);
	mysql_ledger_repo(&w->ledger, cli->db);
	c->uow = &w->uow;
	c->repo = &w->repo;
	c->ledger = &w->ledger;
	c->clock = clock_system();
	c->batch = (size_t)batch;
	into = config_get_or(cli->cfg, "reconcile", "settled_into", "bank");
	if (strcmp(into, "bank") && strcmp(into, "pg"))
		return err_set(err, SETTLE_EX_CONFIG, "%s: [reconcile] settled_into \"%.20s\" is not bank or pg",
			       config_path(cli->cfg), into);
	c->into = strcmp(into, "pg") ? RECON_INTO_BANK : RECON_INTO_PG;
	return 0;
}

/* The PGs with a settlement API adapter: one row each. */
static struct pg_settlements_port *open_toss(struct cli *cli, struct reconcile_wiring *w, struct settle_err *err)
{
	struct pg_settings *s = &w->toss;
	const char *url = config_get_or(cli->cfg, "toss", "base_url", "");
	int64_t connect_ms, timeout_ms;
	struct toss_settlements_config tc;

	if (strlen(url) >= sizeof s->base_url) {
		err_set(err, SETTLE_EX_CONFIG, "%s: [toss] base_url is too long", config_path(cli->cfg));
		return NULL;
	}
	snprintf(s->base_url, sizeof s->base_url, "%s", url);
	if (config_secret(cli->cfg, "toss", "secret_key", s->secret_key, sizeof s->secret_key, err) < 0 ||
	    config_get_int(cli->cfg, "toss", "connect_timeout_ms", 5000, 1, 600000, &connect_ms, err) < 0 ||
	    config_get_int(cli->cfg, "reconcile", "timeout_ms", 60000, 1, 600000, &timeout_ms, err) < 0)
		return NULL;
	if (!s->base_url[0] || !s->secret_key[0]) {
		err_set(err, SETTLE_EX_CONFIG, "toss is not configured ([toss] base_url, secret_key_file)");
		return NULL;
	}
	tc = (struct toss_settlements_config){s->base_url, s->secret_key, (long)connect_ms, (long)timeout_ms,
					      (int)w->page_size};
	return toss_settlements_new(&tc, err);
}

static const struct {
	const char *pg;
	struct pg_settlements_port *(*open)(struct cli *cli, struct reconcile_wiring *w, struct settle_err *err);
} apis[] = {
	{"toss", open_toss},
};

int wire_reconcile_check(const char *pg, const char *file, struct settle_err *err)
{
	struct pg_registry known;
	char names[128];

	pg_registry_init(&known);
	if (known.dir.find(known.dir.self, pg) < 0) {
		pg_registry_names(&known, names, sizeof names);
		return err_set(err, SETTLE_EX_USAGE, "--pg %s is not one of %s", pg, names);
	}
	for (size_t i = 0; !file && i < sizeof apis / sizeof apis[0]; i++)
		if (!strcmp(apis[i].pg, pg))
			return 0;
	if (!file)
		return err_set(err, SETTLE_EX_CONFIG,
			       "settle has no settlement API adapter for %s; give its console file with --file", pg);
	return 0;
}

int wire_reconcile_source(struct cli *cli, const char *pg, const char *file, struct settle_err *err)
{
	struct reconcile_wiring *w = cli->wired;

	if (wire_reconcile_check(pg, file, err) < 0)
		return -1;
	if (file) {
		w->source = settlement_file_new(file, pg, err);
	} else {
		for (size_t i = 0; i < sizeof apis / sizeof apis[0]; i++)
			if (!strcmp(apis[i].pg, pg))
				w->source = apis[i].open(cli, w, err);
	}
	if (!w->source)
		return -1;
	w->ctx.source = w->source;
	return 0;
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct reconcile_wiring), build, err);
}

static void release(void *arg)
{
	struct reconcile_wiring *w = arg;

	if (w->source && w->source->destroy)
		w->source->destroy(w->source->self);
	w->source = NULL;
	OPENSSL_cleanse(w->toss.secret_key, sizeof w->toss.secret_key);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, release);
}

const struct cli_wiring reconcile_wiring = {open_hook, close_hook};
