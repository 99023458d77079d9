/* payment_store.h — the store port (port_store.h) over MariaDB/MySQL. */
#ifndef SETTLE_ADAPTERS_MYSQL_PAYMENT_STORE_H
#define SETTLE_ADAPTERS_MYSQL_PAYMENT_STORE_H

#include "ports/store.h"

struct db;

/* The port borrows db; free it with mysql_store_free before db_close. */
struct store_port *mysql_store_new(struct db *db);
void mysql_store_free(struct store_port *port);

#endif
