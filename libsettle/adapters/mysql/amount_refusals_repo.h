/* amount_refusals_repo.h — the MySQL adapter of ports/amount_refusals.h. */
#ifndef SETTLE_ADAPTERS_MYSQL_AMOUNT_REFUSALS_REPO_H
#define SETTLE_ADAPTERS_MYSQL_AMOUNT_REFUSALS_REPO_H

#include "adapters/mysql/db.h"
#include "ports/amount_refusals.h"

void mysql_amount_refusals_repo(struct amount_refusals_repo *out, struct db *db);

#endif
