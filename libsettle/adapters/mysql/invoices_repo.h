/* invoices_repo.h — invoice-issue's repository over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_INVOICES_REPO_H
#define SETTLE_ADAPTERS_MYSQL_INVOICES_REPO_H

#include "ports/invoices_repo.h"

struct db;

void mysql_invoices_repo(struct invoices_repo *out, struct db *db);

#endif
