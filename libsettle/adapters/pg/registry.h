/*
 * registry.h — the PG adapters settle knows, by name, and the directory of
 * those this installation configured (ports/pg_directory.h). Like curl's
 * protocol handlers: a use case asks for "toss" because a payment row says
 * so, and never names one itself.
 *
 * Rule: adding a PG adds one row to the adapter table in registry.c and a
 * section of the same name in settle.conf; nothing in app/ changes.
 */
#ifndef SETTLE_ADAPTERS_PG_REGISTRY_H
#define SETTLE_ADAPTERS_PG_REGISTRY_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/pg_directory.h"

#define PG_REGISTRY_MAX 8

/* One PG's settings, read from its settle.conf section. */
struct pg_settings {
	char base_url[8192];    /* a URL may be long (issue 7 §8) */
	char client_id[128];    /* NicePay; "" where the PG needs none */
	char secret_key[256];   /* wiped by pg_registry_wipe */
	long connect_timeout_ms;
	long timeout_ms;
};

struct pg_adapter {
	const char *name;         /* the settle.conf section and payments.pg */
	int needs_client_id;
	struct pg_port *(*open)(const struct pg_settings *s, struct settle_err *err);
};

struct pg_registry {
	struct pg_directory dir;
	size_t n;
	const struct pg_adapter *adapters[PG_REGISTRY_MAX];
	struct pg_settings settings[PG_REGISTRY_MAX];
};

/* Every adapter settle is built with; settings empty (fill them from
 * config before opening). */
void pg_registry_init(struct pg_registry *r);

/* The names, comma-separated, for messages ("toss, nicepay"). */
void pg_registry_names(const struct pg_registry *r, char *buf, size_t len);

/* Forgets the secrets. */
void pg_registry_wipe(struct pg_registry *r);

#endif
