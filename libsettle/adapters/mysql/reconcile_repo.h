/* reconcile_repo.h — ports/reconcile_repo.h over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_RECONCILE_REPO_H
#define SETTLE_ADAPTERS_MYSQL_RECONCILE_REPO_H

#include "adapters/mysql/db.h"
#include "ports/reconcile_repo.h"

void mysql_reconcile_repo(struct reconcile_repo *out, struct db *db);

#endif
