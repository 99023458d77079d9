/*
 * migrate.h — schema/NNN_name.sql applied in order, recorded with their
 * SHA-256 in schema_migrations.
 *
 * Rule: before anything is applied, every already-applied file is checked
 * against its recorded checksum; one changed or missing file refuses the
 * whole run with nothing applied.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_MIGRATE_H
#define SETTLE_ADAPTERS_MYSQL_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "domain/err.h"

struct db;

struct migration_status {
	char version[8];   /* "001" */
	char name[128];    /* "001_core.sql" */
	char checksum[65];
	bool applied;
	char applied_at[32];
	bool changed;      /* applied, but the file differs now */
	bool missing;      /* applied, but the file is gone */
};

/* Lists migrations (files and applied rows, merged, in order). *out is
 * malloc'd; free it. */
int migrate_status(struct db *db, const char *dir, struct migration_status **out, size_t *n,
		   struct settle_err *err);
/* Applies the pending ones; *applied gets how many. dry_run lists only. */
int migrate_apply(struct db *db, const char *dir, const char *now, bool dry_run, size_t *applied,
		  struct settle_err *err);

#endif
