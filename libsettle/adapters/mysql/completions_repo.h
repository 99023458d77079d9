/* completions_repo.h — ports/completions_repo.h over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_COMPLETIONS_REPO_H
#define SETTLE_ADAPTERS_MYSQL_COMPLETIONS_REPO_H

#include "adapters/mysql/db.h"
#include "ports/completions_repo.h"

void mysql_completions_repo(struct completions_repo *out, struct db *db);

#endif
