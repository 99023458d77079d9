/* sellers_repo.h — the sellers repository over MariaDB/MySQL (accounts decrypted with the data key). */
#ifndef SETTLE_ADAPTERS_MYSQL_SELLERS_REPO_H
#define SETTLE_ADAPTERS_MYSQL_SELLERS_REPO_H

#include "ports/sellers_repo.h"

struct db;
struct data_keyring;

/* key may be NULL: then reading a leader's account is an error (EX_CONFIG). */
struct sellers_repo *mysql_sellers_repo_new(struct db *db, const struct data_keyring *keys);
void mysql_sellers_repo_free(struct sellers_repo *r);

#endif
