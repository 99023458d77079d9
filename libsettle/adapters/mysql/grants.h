/*
 * grants.h — least privilege in the database (issue 11): one login per
 * role, each with only the table privileges its programs need.
 *
 * Rule: the privileges are the table in grants.c and nothing else; the SQL
 * is built from that table's constants and from names checked against a
 * strict charset (MariaDB cannot bind an identifier or a password in a
 * GRANT or CREATE USER), and a password never appears in it: a login is
 * created with the hash of its password.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_GRANTS_H
#define SETTLE_ADAPTERS_MYSQL_GRANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/err.h"

struct config;
struct db;

/* The roles, in the grants table's column order. */
size_t grants_role_count(void);
const char *grants_role_name(size_t i);
/* The role a program runs as ("settle-run" -> "settle"); NULL when it has
 * none (settle-db runs as the schema owner). */
const char *grants_role_of(const char *program);

/* The privilege letters of role on table ("SIU", "" for none; NULL when
 * the table is not in the grants table). For tests and docs. */
const char *grants_privileges(const char *role, const char *table);

/* Called with every statement: its text as run (sql) and as shown
 * (shown: the password hash replaced), or a note ("-- …") with sql NULL. */
typedef int (*grants_fn)(void *arg, const char *sql, const char *shown, struct settle_err *err);

/*
 * Creates (or updates) every role's login on db's database and grants it
 * exactly its privileges: [grants] user_prefix (default "settle_") + role,
 * at [grants] host (default localhost), password from the secret
 * [grants] <role>_password. Every password is read before any statement
 * runs, so a missing one changes nothing. With dry_run the statements are
 * handed to fn and not run.
 */
int grants_apply(struct db *db, const struct config *cfg, bool dry_run, grants_fn fn, void *arg,
		 struct settle_err *err);

#endif
