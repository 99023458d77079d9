/* payees.h — the payees port over MariaDB/MySQL (accounts decrypted with the data key). */
#ifndef SETTLE_ADAPTERS_MYSQL_PAYEES_H
#define SETTLE_ADAPTERS_MYSQL_PAYEES_H

#include "ports/payees.h"

struct db;
struct data_keyring;

/* keys may be NULL: then a leader with an account is an error (EX_CONFIG).
 * A leader's account opens with the key of its row's key_id: the current
 * one, or the one before while settle-db rotate-key runs. */
struct payees_port *mysql_payees_new(struct db *db, const struct data_keyring *keys);
void mysql_payees_free(struct payees_port *p);

#endif
