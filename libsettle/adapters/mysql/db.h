/*
 * db.h — the MariaDB/MySQL connection: prepared statements only, one
 * transaction helper that retries deadlocks and lock-wait time-outs.
 *
 * Rule: every statement that carries data goes through db_exec/db_query
 * (prepared, bound parameters). Transactions go through db_tx, which
 * retries the whole unit of work on 1213 (deadlock; also how a Galera
 * certification conflict surfaces) and 1205 (lock-wait time-out).
 */
#ifndef SETTLE_ADAPTERS_MYSQL_DB_H
#define SETTLE_ADAPTERS_MYSQL_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct config;
struct db;

enum db_param_type { DBP_STR, DBP_I64, DBP_NULL, DBP_BLOB };
struct db_param {
	enum db_param_type t;
	const char *s;
	int64_t i;
	size_t len; /* DBP_BLOB */
};
#define DB_S(x) ((struct db_param){.t = DBP_STR, .s = (x)})
#define DB_SN(x) ((struct db_param){.t = (x) && *(x) ? DBP_STR : DBP_NULL, .s = (x)}) /* "" -> NULL */
#define DB_I(x) ((struct db_param){.t = DBP_I64, .i = (x)})
#define DB_BLOB(p, n) ((struct db_param){.t = DBP_BLOB, .s = (const char *)(p), .len = (n)})
#define DB_NULL ((struct db_param){.t = DBP_NULL})
#define DB_PARAMS(...) (const struct db_param[]){__VA_ARGS__}, \
	(sizeof((const struct db_param[]){__VA_ARGS__}) / sizeof(struct db_param))
#define DB_NOPARAMS NULL, 0

enum db_col_type { DBC_STR, DBC_I64 };
struct db_col {
	enum db_col_type t;
	char *s;      /* DBC_STR: caller's buffer; NULL column -> "" */
	size_t cap;
	int64_t *i;   /* DBC_I64; NULL column -> 0 */
	bool *is_null; /* optional */
};
#define DC_S(buf) ((struct db_col){.t = DBC_STR, .s = (buf), .cap = sizeof(buf)})
#define DC_I(p) ((struct db_col){.t = DBC_I64, .i = (p)})
#define DB_COLS(...) (const struct db_col[]){__VA_ARGS__}, \
	(sizeof((const struct db_col[]){__VA_ARGS__}) / sizeof(struct db_col))

struct db_options {
	const char *socket, *host, *user, *password, *name;
	unsigned port;
	unsigned connect_timeout_s;
	bool multi_statements; /* migrations only */
};

int db_open(struct db **out, const struct db_options *opt, struct settle_err *err);
/* Reads [database] from the config (password through config_secret);
 * name_override replaces the database name when non-NULL. */
int db_open_config(struct db **out, const struct config *cfg, const char *name_override, bool multi_statements,
		   struct settle_err *err);
void db_close(struct db *db);

/* Runs a prepared statement. affected / insert_id may be NULL. */
int db_exec(struct db *db, const char *sql, const struct db_param *p, size_t np, uint64_t *affected,
	    uint64_t *insert_id, struct settle_err *err);

/* Streaming cursor: rows are fetched one at a time from the server, so
 * memory does not grow with the result. Only one cursor per connection may
 * be open, and no other statement may run until it is closed. */
struct db_cursor;
int db_query(struct db *db, struct db_cursor **out, const char *sql, const struct db_param *p, size_t np,
	     const struct db_col *cols, size_t nc, struct settle_err *err);
int db_fetch(struct db_cursor *c, struct settle_err *err); /* 1 row, 0 end, -1 error */
void db_cursor_close(struct db_cursor *c);

/* One row: 1 found (columns filled), 0 none, -1 error; more rows is an error. */
int db_query_one(struct db *db, const char *sql, const struct db_param *p, size_t np, const struct db_col *cols,
		 size_t nc, struct settle_err *err);

/* Plain text statements without data (DDL in migrations, BEGIN/COMMIT). */
int db_run_script(struct db *db, const char *sql, size_t len, struct settle_err *err);
int db_simple(struct db *db, const char *sql, struct settle_err *err);

typedef int (*db_tx_fn)(struct db *db, void *arg, struct settle_err *err);
/* BEGIN; fn; COMMIT — retried from the start on 1213/1205 with jittered
 * backoff. fn returns 0 to commit, -1 (err set) to roll back. */
int db_tx(struct db *db, db_tx_fn fn, void *arg, struct settle_err *err);

/* The server error number of the last failed statement (0 if none). */
unsigned db_last_errno(const struct db *db);
bool db_is_retryable(unsigned mysql_errno);
bool db_is_duplicate(unsigned mysql_errno); /* 1062 */
/* Counts retries since the connection opened (for tests and benchmarks). */
uint64_t db_retry_count(const struct db *db);
const char *db_name(const struct db *db);

#endif
