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

/* load-pods --policies FILE: refund policies (policy,from,steps; one
 * version a row) loaded first, in their own transaction, then the pods,
 * which may name them in an optional refund_policy column (checked against
 * the database when written; by name only in a dry run). policies NULL:
 * the pods alone. */
int fixtures_load_pods_with(struct db *db, const char *path, const char *policies, const char *now, size_t *rows,
			    struct settle_err *err);
int fixtures_check_pods_with(const char *path, const char *policies, const char *now, size_t *rows,
			     struct settle_err *err);

#endif
