/* refund_terms_repo.h — the refund terms port over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_REFUND_TERMS_REPO_H
#define SETTLE_ADAPTERS_MYSQL_REFUND_TERMS_REPO_H

#include "ports/refund_terms.h"

struct db;

void mysql_refund_terms_repo(struct refund_terms_repo *out, struct db *db);

#endif
