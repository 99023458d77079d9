/* settlement_queries.h — the leader's-settlements read model over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_SETTLEMENT_QUERIES_H
#define SETTLE_ADAPTERS_MYSQL_SETTLEMENT_QUERIES_H

#include "ports/settlement_queries.h"

struct db;

void mysql_settlement_queries(struct settlement_queries *out, struct db *db);

#endif
