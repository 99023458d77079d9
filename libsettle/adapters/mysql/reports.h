/*
 * reports.h — settle-report's adapters over MariaDB/MySQL: the report
 * queries (streamed) and the remittances and month-close rows.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_REPORTS_H
#define SETTLE_ADAPTERS_MYSQL_REPORTS_H

#include "ports/remittances_repo.h"
#include "ports/report_queries.h"

struct db;

void mysql_report_queries(struct report_queries *out, struct db *db);
void mysql_remittances_repo(struct remittances_repo *out, struct db *db);

/* The settlements report's SELECT, for the benchmark to run the same rows
 * through `mariadb --batch` (two '?' parameters: from, to, UTC). */
extern const char report_settlements_sql[];

#endif
