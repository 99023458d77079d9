/* webhook_events_repo.h — the webhook events port over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_WEBHOOK_EVENTS_REPO_H
#define SETTLE_ADAPTERS_MYSQL_WEBHOOK_EVENTS_REPO_H

#include "ports/webhook_events.h"

struct db;

void mysql_webhook_events_repo(struct webhook_events_repo *out, struct db *db);

#endif
