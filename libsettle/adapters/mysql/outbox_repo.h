/* outbox_repo.h — the MySQL outbox adapter. */
#ifndef SETTLE_ADAPTERS_MYSQL_OUTBOX_REPO_H
#define SETTLE_ADAPTERS_MYSQL_OUTBOX_REPO_H

#include "ports/outbox.h"

struct db;

void mysql_outbox(struct outbox_port *out, struct db *db);

#endif
