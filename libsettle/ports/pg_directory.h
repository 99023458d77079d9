/*
 * ports/pg_directory.h — the PGs this installation has configured, by
 * name. Use cases open a PG by the name stored on a payment and never name
 * one themselves; adapters register in adapters/pg/registry.c.
 *
 * Rule: a pg_port is one HTTP client and is not shared between threads:
 * each sweep worker opens its own.
 */
#ifndef SETTLE_PORTS_PG_DIRECTORY_H
#define SETTLE_PORTS_PG_DIRECTORY_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/pg.h"

struct pg_directory {
	void *self;
	/* How many PGs are configured, and the i-th one's name. */
	size_t (*count)(void *self);
	const char *(*name)(void *self, size_t i);
	/* Index of a configured PG by name, or -1. */
	int (*find)(void *self, const char *name);
	/* A new client of the i-th PG, or NULL with err. */
	struct pg_port *(*open)(void *self, size_t i, struct settle_err *err);
	void (*close)(void *self, struct pg_port *pg);
};

#endif
