/* watch_queries.h — the MySQL adapter of settle-watch's read model. */
#ifndef SETTLE_ADAPTERS_MYSQL_WATCH_QUERIES_H
#define SETTLE_ADAPTERS_MYSQL_WATCH_QUERIES_H

#include "ports/watch_queries.h"

struct db;

void mysql_watch_queries(struct watch_queries *out, struct db *db);

#endif
