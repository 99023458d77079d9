/* kpi_queries.h — settle-report kpi's queries over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_KPI_QUERIES_H
#define SETTLE_ADAPTERS_MYSQL_KPI_QUERIES_H

#include "ports/kpi_queries.h"

struct db;

void mysql_kpi_queries(struct kpi_queries *out, struct db *db);

#endif
