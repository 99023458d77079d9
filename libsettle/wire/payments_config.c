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
#define PGF(field) offsetof(struct payments_wiring, pgf.field), CONF_LONG

static const struct conf_num numbers[] = {
	{"payments", "confirm_sweep_age_s", APP_DEFAULT, 0, 86400, SET(confirm_sweep_age_s)},
	{"payments", "pending_expiry_s", APP_DEFAULT, 60, 30 * 86400, SET(pending_expiry_s)},
	{"payments", "doubt_backoff_s", APP_DEFAULT, 1, 3600, SET(doubt_backoff_s)},
	{"payments", "sweep_concurrency", APP_DEFAULT, 1, 64, SET(sweep_concurrency)},
	{"payments", "sweep_batch", APP_DEFAULT, 1, 5000, SET(sweep_batch)},
	{"breaker", "window_s", APP_DEFAULT, 1, 86400, SET(breaker_window_s)},
	{"breaker", "max_failures", APP_DEFAULT, 1, 100000, SET(breaker_max_failures)},
	{"breaker", "open_s", APP_DEFAULT, 1, 86400, SET(breaker_open_s)},
	{"toss", "connect_timeout_ms", 5000, 1, 600000, PGF(toss_connect_ms)},
	{"toss", "timeout_ms", 30000, 1, 600000, PGF(toss_timeout_ms)},
	{"nicepay", "connect_timeout_ms", 5000, 1, 600000, PGF(nice_connect_ms)},
	{"nicepay", "timeout_ms", 30000, 1, 600000, PGF(nice_timeout_ms)},
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
	{"toss", "base_url", "", TXT(pgf.toss_url)},
	{"nicepay", "base_url", "", TXT(pgf.nice_url)},
	{"nicepay", "client_id", "", TXT(pgf.nice_client)},
	{"study", "base_url", "", TXT(study_url)},
};

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
	struct pay_settings *s = &w->ctx.set;
	const char *pg;

	pay_settings_default(s);
	pg = config_get_or(cfg, "payments", "default_pg", "toss");
	if (strcmp(pg, "toss") && strcmp(pg, "nicepay"))
		return err_set(err, SETTLE_EX_CONFIG, "%s: [payments] default_pg \"%s\" is not toss or nicepay",
			       config_path(cfg), pg);
	snprintf(s->default_pg, sizeof s->default_pg, "%s", pg);
	if (read_numbers(cfg, w, err) < 0 || read_texts(cfg, w, err) < 0 ||
	    config_secret(cfg, "toss", "secret_key", w->pgf.toss_key, sizeof w->pgf.toss_key, err) < 0 ||
	    config_secret(cfg, "nicepay", "secret_key", w->pgf.nice_key, sizeof w->pgf.nice_key, err) < 0)
		return -1;
	return 0;
}
