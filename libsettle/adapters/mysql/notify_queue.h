/* notify_queue.h — the MySQL notify_queue adapter. */
#ifndef SETTLE_ADAPTERS_MYSQL_NOTIFY_QUEUE_H
#define SETTLE_ADAPTERS_MYSQL_NOTIFY_QUEUE_H

#include "ports/notify_queue.h"

struct db;

void mysql_notify_queue(struct notify_queue *out, struct db *db);

#endif
