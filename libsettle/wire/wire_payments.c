/* wire_payments.c — configuration into ports; secrets through config_secret. */
#include "wire/wire_payments.h"

#include <stdio.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/payment_store.h"
#include "adapters/mysql/study_db.h"
#include "adapters/pg/nicepay/nicepay.h"
#include "adapters/study/study_http.h"
#include "adapters/pg/toss/toss.h"

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

static int get_int(const struct config *cfg, const char *sec, const char *key, int dflt, int min, int max, int *out,
		   struct settle_err *err)
{
	int64_t v;

	if (config_get_int(cfg, sec, key, dflt, min, max, &v, err) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int get_long(const struct config *cfg, const char *sec, const char *key, long dflt, long *out,
		    struct settle_err *err)
{
	int64_t v;

	if (config_get_int(cfg, sec, key, dflt, 1, 600000, &v, err) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

int wire_payments(struct cli *cli, struct payments_wiring *w, struct settle_err *err)
{
	const struct config *cfg;
	struct pay_settings *s = &w->ctx.set;
	const char *pg;

	memset(w, 0, sizeof *w);
	if (cli_open_db(cli, err) < 0)
		return -1;
	cfg = cli->cfg;
	pay_settings_default(s);
	pg = config_get_or(cfg, "payments", "default_pg", "toss");
	if (strcmp(pg, "toss") && strcmp(pg, "nicepay"))
		return err_set(err, SETTLE_EX_CONFIG, "%s: [payments] default_pg \"%s\" is not toss or nicepay",
			       config_path(cfg), pg);
	snprintf(s->default_pg, sizeof s->default_pg, "%s", pg);
	if (get_int(cfg, "payments", "confirm_sweep_age_s", s->confirm_sweep_age_s, 0, 86400, &s->confirm_sweep_age_s, err) ||
	    get_int(cfg, "payments", "pending_expiry_s", s->pending_expiry_s, 60, 30 * 86400, &s->pending_expiry_s, err) ||
	    get_int(cfg, "payments", "doubt_backoff_s", s->doubt_backoff_s, 1, 3600, &s->doubt_backoff_s, err) ||
	    get_int(cfg, "payments", "sweep_concurrency", s->sweep_concurrency, 1, 64, &s->sweep_concurrency, err) ||
	    get_int(cfg, "payments", "sweep_batch", s->sweep_batch, 1, 5000, &s->sweep_batch, err) ||
	    get_int(cfg, "breaker", "window_s", s->breaker_window_s, 1, 86400, &s->breaker_window_s, err) ||
	    get_int(cfg, "breaker", "max_failures", s->breaker_max_failures, 1, 100000, &s->breaker_max_failures, err) ||
	    get_int(cfg, "breaker", "open_s", s->breaker_open_s, 1, 86400, &s->breaker_open_s, err))
		return -1;

	snprintf(w->pgf.toss_url, sizeof w->pgf.toss_url, "%s", config_get_or(cfg, "toss", "base_url", ""));
	snprintf(w->pgf.nice_url, sizeof w->pgf.nice_url, "%s", config_get_or(cfg, "nicepay", "base_url", ""));
	snprintf(w->pgf.nice_client, sizeof w->pgf.nice_client, "%s", config_get_or(cfg, "nicepay", "client_id", ""));
	if (config_secret(cfg, "toss", "secret_key", w->pgf.toss_key, sizeof w->pgf.toss_key, err) < 0 ||
	    config_secret(cfg, "nicepay", "secret_key", w->pgf.nice_key, sizeof w->pgf.nice_key, err) < 0 ||
	    get_long(cfg, "toss", "connect_timeout_ms", 5000, &w->pgf.toss_connect_ms, err) ||
	    get_long(cfg, "toss", "timeout_ms", 30000, &w->pgf.toss_timeout_ms, err) ||
	    get_long(cfg, "nicepay", "connect_timeout_ms", 5000, &w->pgf.nice_connect_ms, err) ||
	    get_long(cfg, "nicepay", "timeout_ms", 30000, &w->pgf.nice_timeout_ms, err))
		return -1;

	w->store = mysql_store_new(cli->db);
	if (!w->store)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (config_get(cfg, "study", "base_url") && *config_get(cfg, "study", "base_url")) {
		char token[512];
		long cto, to;
		struct study_http_config sc;

		if (config_secret(cfg, "study", "token", token, sizeof token, err) < 0 ||
		    get_long(cfg, "study", "connect_timeout_ms", 5000, &cto, err) ||
		    get_long(cfg, "study", "timeout_ms", 10000, &to, err))
			return -1;
		sc = (struct study_http_config){config_get(cfg, "study", "base_url"), token, cto, to};
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

int payments_exit(struct cli *cli, struct payments_wiring *w, const struct settle_err *err)
{
	int code = err ? cli_fail(cli, err) : 0;

	unwire_payments(w);
	cli_close(cli);
	return code;
}
