/*
 * study_db.h — the Study port over settle's own `pods` table, used when no
 * Study Service is configured ([study] base_url unset): pods come from
 * `settle-db load-pods`, and participation confirms have no one to tell.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_STUDY_DB_H
#define SETTLE_ADAPTERS_MYSQL_STUDY_DB_H

#include "ports/study.h"

struct db;

struct study_port *study_db_new(struct db *db);
void study_db_free(struct study_port *port);

#endif
