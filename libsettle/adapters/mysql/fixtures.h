/*
 * fixtures.h — `settle-db load-pods` and `load-leaders`: CSV files into
 * the pods and leaders tables.
 *
 * Rule: all or nothing. The whole file is validated first (the error names
 * the line and field of the first bad row); only a clean file is written,
 * in one transaction. Existing rows with the same id are updated.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_FIXTURES_H
#define SETTLE_ADAPTERS_MYSQL_FIXTURES_H

#include <stddef.h>

#include "domain/err.h"

struct db;
struct data_key;

int fixtures_load_pods(struct db *db, const char *path, const char *now, size_t *rows, struct settle_err *err);
int fixtures_load_leaders(struct db *db, const char *path, const struct data_key *key, const char *now,
			  size_t *rows, struct settle_err *err);

/* --dry-run: the same checks and row count, nothing written (no database). */
int fixtures_check_pods(const char *path, const char *now, size_t *rows, struct settle_err *err);
int fixtures_check_leaders(const char *path, const struct data_key *key, const char *now, size_t *rows,
			   struct settle_err *err);

#endif
