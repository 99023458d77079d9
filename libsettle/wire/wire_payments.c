/* wire_payments.c — configuration into ports; secrets through config_secret. */
#include "wire/wire_payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/crypto/crypto.h"
#include "adapters/mysql/study_db.h"
#include "adapters/mysql/uow.h"
#include "adapters/study/study_http.h"

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
	const char *pg, *fallback;
	char names[128];

	memset(w, 0, sizeof *w);
	if (cli_open_db(cli, err) < 0)
		return -1;
	cfg = cli->cfg;
	pay_settings_default(s);
	pg_registry_init(&w->pgs);
	pg_registry_names(&w->pgs, names, sizeof names);
	pg = config_get_or(cfg, "payments", "default_pg", w->pgs.dir.name(&w->pgs, 0));
	if (w->pgs.dir.find(&w->pgs, pg) < 0)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [payments] default_pg \"%s\" is not one of %s", config_path(cfg),
			       pg, names);
	snprintf(s->default_pg, sizeof s->default_pg, "%s", pg);
	/* Without a fallback_pg, the breaker sends orders to the first other
	 * PG this build knows; "none" keeps them on default_pg. */
	fallback = config_get(cfg, "payments", "fallback_pg");
	if (!fallback)
		fallback = w->pgs.dir.name(&w->pgs, strcmp(pg, w->pgs.dir.name(&w->pgs, 0)) ? 0 : 1);
	if (fallback && strcmp(fallback, "none")) {
		if (w->pgs.dir.find(&w->pgs, fallback) < 0 || !strcmp(fallback, pg))
			return err_set(err, SETTLE_EX_CONFIG,
				       "%s: [payments] fallback_pg \"%s\" is not one of %s other than default_pg, or none",
				       config_path(cfg), fallback, names);
		snprintf(s->fallback_pg, sizeof s->fallback_pg, "%s", fallback);
	}
	if (get_int(cfg, "payments", "confirm_sweep_age_s", s->confirm_sweep_age_s, 0, 86400, &s->confirm_sweep_age_s, err) ||
	    get_int(cfg, "payments", "pending_expiry_s", s->pending_expiry_s, 60, 30 * 86400, &s->pending_expiry_s, err) ||
	    get_int(cfg, "payments", "doubt_backoff_s", s->doubt_backoff_s, 1, 3600, &s->doubt_backoff_s, err) ||
	    get_int(cfg, "payments", "sweep_concurrency", s->sweep_concurrency, 1, 64, &s->sweep_concurrency, err) ||
	    get_int(cfg, "payments", "sweep_batch", s->sweep_batch, 1, 5000, &s->sweep_batch, err) ||
	    get_int(cfg, "payments", "sweep_lease_s", s->sweep_lease_s, 3, 3600, &s->sweep_lease_s, err) ||
	    get_int(cfg, "payments", "deposit_recheck_s", s->deposit_recheck_s, 1, 86400, &s->deposit_recheck_s, err) ||
	    get_int(cfg, "payments", "refund_on_place_refused", s->refund_on_place_refused, 0, 1,
		    &s->refund_on_place_refused, err) ||
	    get_int(cfg, "payments", "participation_report_after", s->participation_report_after, 1, 1000000,
		    &s->participation_report_after, err) ||
	    get_int(cfg, "breaker", "window_s", s->breaker_window_s, 1, 86400, &s->breaker_window_s, err) ||
	    get_int(cfg, "breaker", "max_failures", s->breaker_max_failures, 1, 100000, &s->breaker_max_failures, err) ||
	    get_int(cfg, "breaker", "open_s", s->breaker_open_s, 1, 86400, &s->breaker_open_s, err))
		return -1;

	for (size_t i = 0; i < w->pgs.n; i++) {
		const char *sec = w->pgs.dir.name(&w->pgs, i);
		struct pg_settings *ps = &w->pgs.settings[i];

		snprintf(ps->base_url, sizeof ps->base_url, "%s", config_get_or(cfg, sec, "base_url", ""));
		if (w->pgs.adapters[i]->needs_client_id)
			snprintf(ps->client_id, sizeof ps->client_id, "%s", config_get_or(cfg, sec, "client_id", ""));
		if (config_secret(cfg, sec, "secret_key", ps->secret_key, sizeof ps->secret_key, err) < 0 ||
		    get_long(cfg, sec, "connect_timeout_ms", 5000, &ps->connect_timeout_ms, err) ||
		    get_long(cfg, sec, "timeout_ms", 30000, &ps->timeout_ms, err))
			return -1;
	}
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
	w->ctx.r = (struct pay_repos){&w->uow,	   &w->payments, &w->refunds, &w->escrows, &w->participation,
				      &w->pods,	   &w->ledger,	 &w->breaker, &w->claims,  &w->queries};
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
	w->ctx.study = w->study;
	w->ctx.clock = clock_system();
	w->ctx.pgs = &w->pgs.dir;
	w->ctx.actor = cli->spec->name;
	/* This process as a claimer: unique across hosts and restarts. */
	{
		char host[64] = "", nonce[32];

		gethostname(host, sizeof host - 1);
		if (public_id(nonce, sizeof nonce, "", err) < 0)
			return -1;
		snprintf(w->owner, sizeof w->owner, "%.24s:%ld:%.12s", host, (long)getpid(), nonce);
		w->ctx.owner = w->owner;
	}
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

int payments_exit(struct cli *cli, struct payments_wiring *w, const struct settle_err *err)
{
	int code = err ? cli_fail(cli, err) : 0;

	unwire_payments(w);
	cli_close(cli);
	return code;
}
