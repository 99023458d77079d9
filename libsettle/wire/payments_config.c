/* payments_config.c — settle.conf into struct payments_wiring, from the tables below. */
#include "wire/payments_config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "adapters/config/config.h"

/*
 * Every number the payments programs read from settle.conf: one row each.
 * APP_DEFAULT keeps what pay_settings_default put in the field, so the
 * app stays the one place that knows those defaults.
 */
#define APP_DEFAULT INT64_MIN

enum conf_type { CONF_INT, CONF_LONG };

struct conf_num {
	const char *section, *key;
	int64_t dflt, min, max;
	size_t offset; /* into struct payments_wiring */
	enum conf_type type;
};

#define SET(field) offsetof(struct payments_wiring, ctx.set.field), CONF_INT

static const struct conf_num numbers[] = {
	{"payments", "confirm_sweep_age_s", APP_DEFAULT, 0, 86400, SET(confirm_sweep_age_s)},
	{"payments", "pending_expiry_s", APP_DEFAULT, 60, 30 * 86400, SET(pending_expiry_s)},
	{"payments", "doubt_backoff_s", APP_DEFAULT, 1, 3600, SET(doubt_backoff_s)},
	{"payments", "sweep_concurrency", APP_DEFAULT, 1, 64, SET(sweep_concurrency)},
	{"payments", "sweep_batch", APP_DEFAULT, 1, 5000, SET(sweep_batch)},
	{"breaker", "window_s", APP_DEFAULT, 1, 86400, SET(breaker_window_s)},
	{"breaker", "max_failures", APP_DEFAULT, 1, 100000, SET(breaker_max_failures)},
	{"breaker", "open_s", APP_DEFAULT, 1, 86400, SET(breaker_open_s)},
	{"payments", "sweep_lease_s", APP_DEFAULT, 3, 3600, SET(sweep_lease_s)},
	{"payments", "deposit_recheck_s", APP_DEFAULT, 1, 86400, SET(deposit_recheck_s)},
	{"payments", "refund_on_place_refused", APP_DEFAULT, 0, 1, SET(refund_on_place_refused)},
	{"payments", "participation_report_after", APP_DEFAULT, 1, 1000000, SET(participation_report_after)},
	{"study", "connect_timeout_ms", 5000, 1, 600000, offsetof(struct payments_wiring, study_connect_ms), CONF_LONG},
	{"study", "timeout_ms", 10000, 1, 600000, offsetof(struct payments_wiring, study_timeout_ms), CONF_LONG},
};

/* Text values, copied into fixed buffers of struct payments_wiring. */
struct conf_text {
	const char *section, *key, *dflt;
	size_t offset, size;
};

#define TXT(field) offsetof(struct payments_wiring, field), sizeof(((struct payments_wiring *)0)->field)

static const struct conf_text texts[] = {
	{"study", "base_url", "", TXT(study_url)},
};

/* Each registered PG reads the same keys from its own section. */
struct conf_pg_num {
	const char *key;
	int64_t dflt, min, max;
	size_t offset; /* into struct pg_settings */
};

static const struct conf_pg_num pg_numbers[] = {
	{"connect_timeout_ms", 5000, 1, 600000, offsetof(struct pg_settings, connect_timeout_ms)},
	{"timeout_ms", 30000, 1, 600000, offsetof(struct pg_settings, timeout_ms)},
};

static int read_text(const struct config *cfg, const char *section, const char *key, char *out, size_t size,
		     struct settle_err *err)
{
	const char *v = config_get_or(cfg, section, key, "");

	if (strlen(v) >= size)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [%s] %s is longer than %zu bytes", config_path(cfg), section,
			       key, size - 1);
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

static int read_pgs(const struct config *cfg, struct payments_wiring *w, struct settle_err *err)
{
	for (size_t i = 0; i < w->pgs.n; i++) {
		const char *sec = w->pgs.adapters[i]->name;
		struct pg_settings *ps = &w->pgs.settings[i];

		if (read_text(cfg, sec, "base_url", ps->base_url, sizeof ps->base_url, err) < 0 ||
		    (w->pgs.adapters[i]->needs_client_id &&
		     read_text(cfg, sec, "client_id", ps->client_id, sizeof ps->client_id, err) < 0) ||
		    config_secret(cfg, sec, "secret_key", ps->secret_key, sizeof ps->secret_key, err) < 0)
			return -1;
		for (size_t k = 0; k < sizeof pg_numbers / sizeof pg_numbers[0]; k++) {
			const struct conf_pg_num *n = &pg_numbers[k];
			int64_t v;

			if (config_get_int(cfg, sec, n->key, n->dflt, n->min, n->max, &v, err) < 0)
				return -1;
			*(long *)((char *)ps + n->offset) = (long)v;
		}
	}
	return 0;
}

/* default_pg and fallback_pg name registered PGs. Without a fallback_pg
 * the breaker sends orders to the first other PG this build knows; "none"
 * keeps them on default_pg. */
static int read_pg_choice(const struct config *cfg, struct payments_wiring *w, struct settle_err *err)
{
	struct pay_settings *s = &w->ctx.set;
	const struct pg_directory *d = &w->pgs.dir;
	const char *pg, *fallback;
	char names[128];

	pg_registry_names(&w->pgs, names, sizeof names);
	pg = config_get_or(cfg, "payments", "default_pg", d->name(d->self, 0));
	if (d->find(d->self, pg) < 0)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [payments] default_pg \"%s\" is not one of %s", config_path(cfg),
			       pg, names);
	snprintf(s->default_pg, sizeof s->default_pg, "%s", pg);
	fallback = config_get(cfg, "payments", "fallback_pg");
	if (!fallback)
		fallback = d->name(d->self, strcmp(pg, d->name(d->self, 0)) ? 0 : 1);
	if (fallback && strcmp(fallback, "none")) {
		if (d->find(d->self, fallback) < 0 || !strcmp(fallback, pg))
			return err_set(err, SETTLE_EX_CONFIG,
				       "%s: [payments] fallback_pg \"%s\" is not one of %s other than default_pg, or none",
				       config_path(cfg), fallback, names);
		snprintf(s->fallback_pg, sizeof s->fallback_pg, "%s", fallback);
	}
	return 0;
}

static int read_numbers(const struct config *cfg, struct payments_wiring *w, struct settle_err *err)
{
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		const struct conf_num *n = &numbers[i];
		char *field = (char *)w + n->offset;
		int64_t v, dflt = n->dflt;

		if (dflt == APP_DEFAULT)
			dflt = n->type == CONF_INT ? *(int *)field : *(long *)field;
		if (config_get_int(cfg, n->section, n->key, dflt, n->min, n->max, &v, err) < 0)
			return -1;
		if (n->type == CONF_INT)
			*(int *)field = (int)v;
		else
			*(long *)field = (long)v;
	}
	return 0;
}

static int read_texts(const struct config *cfg, struct payments_wiring *w, struct settle_err *err)
{
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const struct conf_text *t = &texts[i];
		const char *v = config_get_or(cfg, t->section, t->key, t->dflt);

		if (strlen(v) >= t->size)
			return err_set(err, SETTLE_EX_CONFIG, "%s: [%s] %s is longer than %zu bytes", config_path(cfg),
				       t->section, t->key, t->size - 1);
		memcpy((char *)w + t->offset, v, strlen(v) + 1);
	}
	return 0;
}

int payments_config_read(const struct config *cfg, struct payments_wiring *w, struct settle_err *err)
{
	pay_settings_default(&w->ctx.set);
	pg_registry_init(&w->pgs);
	if (read_pg_choice(cfg, w, err) < 0 || read_numbers(cfg, w, err) < 0 || read_texts(cfg, w, err) < 0 ||
	    read_pgs(cfg, w, err) < 0)
		return -1;
	return 0;
}
