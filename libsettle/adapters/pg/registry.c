/* registry.c — the PG adapters by name (see registry.h). */
#include "adapters/pg/registry.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "adapters/pg/nicepay/nicepay.h"
#include "adapters/pg/toss/toss.h"

static struct pg_port *open_toss(const struct pg_settings *s, struct settle_err *err)
{
	struct toss_config tc = {s->base_url, s->secret_key, s->connect_timeout_ms, s->timeout_ms};

	return toss_pg_new(&tc, err);
}

static struct pg_port *open_nicepay(const struct pg_settings *s, struct settle_err *err)
{
	struct nicepay_config nc = {s->base_url, s->client_id, s->secret_key, s->connect_timeout_ms, s->timeout_ms};

	return nicepay_pg_new(&nc, err);
}

/* The default PG first. */
static const struct pg_adapter adapters[] = {
	{"toss", 0, open_toss},
	{"nicepay", 1, open_nicepay},
};

static size_t dir_count(void *self)
{
	return ((struct pg_registry *)self)->n;
}

static const char *dir_name(void *self, size_t i)
{
	struct pg_registry *r = self;

	return i < r->n ? r->adapters[i]->name : NULL;
}

static int dir_find(void *self, const char *name)
{
	struct pg_registry *r = self;

	for (size_t i = 0; name && i < r->n; i++)
		if (!strcmp(r->adapters[i]->name, name))
			return (int)i;
	return -1;
}

static struct pg_port *dir_open(void *self, size_t i, struct settle_err *err)
{
	struct pg_registry *r = self;
	const struct pg_settings *s;
	const struct pg_adapter *a;

	if (i >= r->n) {
		err_set(err, SETTLE_EX_SOFTWARE, "no PG number %zu", i);
		return NULL;
	}
	a = r->adapters[i];
	s = &r->settings[i];
	if (!s->base_url[0] || !s->secret_key[0] || (a->needs_client_id && !s->client_id[0])) {
		err_set(err, SETTLE_EX_CONFIG, "%s is not configured ([%s] base_url, %ssecret_key_file)", a->name, a->name,
			a->needs_client_id ? "client_id, " : "");
		return NULL;
	}
	return a->open(s, err);
}

static void dir_close(void *self, struct pg_port *pg)
{
	(void)self;
	if (pg && pg->destroy)
		pg->destroy(pg->self);
}

void pg_registry_init(struct pg_registry *r)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < sizeof adapters / sizeof adapters[0] && i < PG_REGISTRY_MAX; i++)
		r->adapters[r->n++] = &adapters[i];
	r->dir = (struct pg_directory){
		.self = r, .count = dir_count, .name = dir_name, .find = dir_find, .open = dir_open, .close = dir_close};
}

void pg_registry_names(const struct pg_registry *r, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", r->adapters[i]->name);
}

void pg_registry_wipe(struct pg_registry *r)
{
	for (size_t i = 0; i < PG_REGISTRY_MAX; i++)
		OPENSSL_cleanse(r->settings[i].secret_key, sizeof r->settings[i].secret_key);
}
