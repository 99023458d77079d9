/*
 * db.c — MariaDB Connector/C behind a small prepared-statement API.
 *
 * Prepared statements are cached per connection by their SQL text, so a
 * batch job that runs the same statement thousands of times prepares it
 * once. The transaction helper is the single place that knows which
 * server errors mean "run the whole unit of work again".
 */
#include "adapters/mysql/db.h"

#include <errno.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adapters/config/config.h"

#define STMT_CACHE 64
#define TX_ATTEMPTS 12

struct cached_stmt {
	char *sql;
	MYSQL_STMT *stmt;
	uint64_t last_used;
};

struct db {
	MYSQL *conn;
	struct cached_stmt cache[STMT_CACHE];
	uint64_t tick;
	unsigned last_errno;
	uint64_t retries;
	bool cursor_open;
	bool in_unit;        /* inside db_tx, between START TRANSACTION and COMMIT/ROLLBACK */
	unsigned unit_lost;  /* the error that ended the unit's transaction on the server */
	char name[65];
};

struct db_cursor {
	struct db *db;
	MYSQL_STMT *stmt;
	MYSQL_BIND *binds;
	unsigned long *lengths;
	my_bool *nulls;
	struct db_col *cols; /* a copy: callers pass compound literals, which
			      * die at the end of the statement that made them */
	size_t nc;
};

bool db_is_retryable(unsigned e)
{
	return e == 1213 || e == 1205;
}

bool db_is_duplicate(unsigned e)
{
	return e == 1062;
}

/* Errors after which the server no longer holds the unit's transaction:
 * a deadlock or a Galera certification / brute-force abort (1213), a
 * lock-wait time-out (1205: the unit is retried whole, so nothing of it
 * may be kept), a lost connection. */
static bool ends_unit(unsigned e)
{
	return db_is_retryable(e) || e == 2006 || e == 2013 || e == 2055 || e == 1047 || e == 1180;
}

static int code_for(unsigned e)
{
	if (db_is_retryable(e))
		return SETTLE_EX_TEMPFAIL;
	switch (e) {
	case 2002: case 2003: case 2006: case 2013: case 2055:
		return SETTLE_EX_UNAVAILABLE;
	case 1062: case 1644: case 4025: case 1452: case 1406: case 1366: case 1292:
		return SETTLE_EX_DATAERR;
	case 1142: case 1143: /* a table or column privilege the login lacks: a wrong role */
		return SETTLE_EX_CONFIG;
	default:
		return SETTLE_EX_SOFTWARE;
	}
}

/* A server that answers and refuses us (bad user or password, no such
 * database, no grant) is a configuration to fix (78); one that cannot be
 * reached is unavailable (69) and may come back. */
static int connect_code(unsigned e)
{
	switch (e) {
	case 1044: /* access denied to the database */
	case 1045: /* access denied: user or password */
	case 1049: /* unknown database */
	case 1698: /* access denied (socket authentication) */
	case 1251: /* authentication method not supported */
	case 2059: /* authentication plugin cannot be loaded */
		return SETTLE_EX_CONFIG;
	default:
		return SETTLE_EX_UNAVAILABLE;
	}
}

/* Called with every failed statement: inside a unit, an error that ended
 * the transaction poisons the unit (see unit_gone). */
static void note_failure(struct db *db)
{
	if (db->in_unit && !db->unit_lost && ends_unit(db->last_errno))
		db->unit_lost = db->last_errno;
}

static int conn_error(struct db *db, struct settle_err *err, const char *what)
{
	db->last_errno = mysql_errno(db->conn);
	note_failure(db);
	return err_set(err, code_for(db->last_errno), "database: %s: %s (error %u)", what, mysql_error(db->conn),
		       db->last_errno);
}

static int stmt_error(struct db *db, MYSQL_STMT *st, struct settle_err *err)
{
	/* An error packet read while streaming rows (a deadlock, or a Galera
	 * brute-force abort, mid-result) is left on the connection by the
	 * client library, with the statement's errno 0: without this, a 1213
	 * there was reported as "error 0" and never retried. */
	if (mysql_stmt_errno(st) == 0 && mysql_errno(db->conn) != 0)
		return conn_error(db, err, "fetch");
	db->last_errno = mysql_stmt_errno(st);
	note_failure(db);
	return err_set(err, code_for(db->last_errno), "database: %s (error %u)", mysql_stmt_error(st),
		       db->last_errno);
}

/*
 * Once the server has ended a unit's transaction, no statement of that unit
 * may run: the session is back in autocommit, so each would commit on its
 * own. On a Galera cluster a certification or brute-force abort is reported
 * once, by the next statement; a path that carried on after it (an error it
 * meant to tolerate, say) wrote payouts without their journal entry. So the
 * rest of the unit fails with the error that ended it, and db_tx retries.
 */
static int unit_gone(struct db *db, struct settle_err *err)
{
	if (!db->in_unit || !db->unit_lost)
		return 0;
	db->last_errno = db->unit_lost;
	return err_set(err, code_for(db->unit_lost),
		       "database: the unit of work was already aborted (error %u); nothing more of it runs",
		       db->unit_lost);
}

int db_open(struct db **out, const struct db_options *opt, struct settle_err *err)
{
	struct db *db;
	unsigned timeout = opt->connect_timeout_s ? opt->connect_timeout_s : 10;
	unsigned long flags = opt->multi_statements ? CLIENT_MULTI_STATEMENTS : 0;

	*out = NULL;
	db = calloc(1, sizeof *db);
	if (!db)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	db->conn = mysql_init(NULL);
	if (!db->conn) {
		free(db);
		return err_set(err, SETTLE_EX_OSERR, "database: mysql_init failed");
	}
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* UTC everywhere; strict mode so a bad value is an error, not a warning. */
	mysql_options(db->conn, MYSQL_INIT_COMMAND,
		      "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
		      "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (!mysql_real_connect(db->conn, opt->socket ? NULL : opt->host, opt->user, opt->password, opt->name,
				opt->port, opt->socket, flags)) {
		err_set(err, connect_code(mysql_errno(db->conn)), "database: cannot connect to %s%s%s: %s",
			opt->socket ? opt->socket : opt->host ? opt->host : "localhost", opt->name ? " database " : "",
			opt->name ? opt->name : "", mysql_error(db->conn));
		mysql_close(db->conn);
		free(db);
		return -1;
	}
	snprintf(db->name, sizeof db->name, "%s", opt->name ? opt->name : "");
	*out = db;
	return 0;
}

int db_open_config(struct db **out, const struct config *cfg, const char *name_override, bool multi_statements,
		   struct settle_err *err)
{
	struct db_options opt = {0};
	char password[256], role_user[96];
	int64_t port, timeout;
	int rc;

	opt.socket = config_get(cfg, "database", "socket");
	opt.host = config_get(cfg, "database", "host");
	opt.user = config_get_or(cfg, "database", "user", "settle");
	opt.name = name_override ? name_override : config_get_or(cfg, "database", "name", "settle");
	if (config_get_int(cfg, "database", "port", 3306, 1, 65535, &port, err) < 0 ||
	    config_get_int(cfg, "database", "connect_timeout_s", 10, 1, 600, &timeout, err) < 0)
		return -1;
	opt.port = (unsigned)port;
	opt.connect_timeout_s = (unsigned)timeout;
	opt.multi_statements = multi_statements;
	if (!opt.socket && !opt.host)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [database] needs socket or host", config_path(cfg));
	/* A systemd unit names its role's login with credentials
	 * (SetCredential=database.user:…, LoadCredential=database.password:…);
	 * they win over the file's, so one settle.conf serves every role. */
	rc = config_credential("database.user", role_user, sizeof role_user, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		opt.user = role_user;
		rc = config_credential("database.password", password, sizeof password, err);
		if (rc == 0)
			return err_set(err, SETTLE_EX_CONFIG,
				       "credential database.user (%s) is set but credential database.password is missing",
				       role_user);
	} else {
		rc = config_secret(cfg, "database", "password", password, sizeof password, err);
	}
	if (rc < 0)
		return -1;
	opt.password = rc ? password : NULL;
	rc = db_open(out, &opt, err);
	memset(password, 0, sizeof password);
	return rc;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT_CACHE; i++) {
		if (db->cache[i].stmt)
			mysql_stmt_close(db->cache[i].stmt);
		free(db->cache[i].sql);
	}
	mysql_close(db->conn);
	free(db);
}

static MYSQL_STMT *prepared(struct db *db, const char *sql, struct settle_err *err)
{
	struct cached_stmt *slot = NULL;
	MYSQL_STMT *st;

	db->tick++;
	for (int i = 0; i < STMT_CACHE; i++) {
		if (db->cache[i].sql && !strcmp(db->cache[i].sql, sql)) {
			db->cache[i].last_used = db->tick;
			return db->cache[i].stmt;
		}
	}
	for (int i = 0; i < STMT_CACHE; i++) {
		if (!db->cache[i].sql) {
			slot = &db->cache[i];
			break;
		}
		if (!slot || db->cache[i].last_used < slot->last_used)
			slot = &db->cache[i];
	}
	if (slot->stmt) {
		mysql_stmt_close(slot->stmt);
		free(slot->sql);
		slot->stmt = NULL;
		slot->sql = NULL;
	}
	st = mysql_stmt_init(db->conn);
	if (!st) {
		conn_error(db, err, "mysql_stmt_init");
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		stmt_error(db, st, err);
		mysql_stmt_close(st);
		return NULL;
	}
	slot->sql = strdup(sql);
	if (!slot->sql) {
		mysql_stmt_close(st);
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	slot->stmt = st;
	slot->last_used = db->tick;
	return st;
}

static int bind_params(struct db *db, MYSQL_STMT *st, const struct db_param *p, size_t np, MYSQL_BIND **binds,
		       struct settle_err *err)
{
	MYSQL_BIND *b;

	*binds = NULL;
	if (mysql_stmt_param_count(st) != np)
		return err_set(err, SETTLE_EX_SOFTWARE, "database: statement takes %lu parameters, %zu given",
			       mysql_stmt_param_count(st), np);
	if (np == 0)
		return 0;
	b = calloc(np, sizeof *b);
	if (!b)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	for (size_t i = 0; i < np; i++) {
		switch (p[i].t) {
		case DBP_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)(uintptr_t)p[i].s;
			b[i].buffer_length = p[i].s ? strlen(p[i].s) : 0;
			break;
		case DBP_BLOB:
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)(uintptr_t)p[i].s;
			b[i].buffer_length = p[i].len;
			break;
		case DBP_I64:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)(uintptr_t)&p[i].i;
			break;
		case DBP_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		}
	}
	if (mysql_stmt_bind_param(st, b)) {
		free(b);
		return stmt_error(db, st, err);
	}
	*binds = b;
	return 0;
}

int db_exec(struct db *db, const char *sql, const struct db_param *p, size_t np, uint64_t *affected,
	    uint64_t *insert_id, struct settle_err *err)
{
	MYSQL_STMT *st;
	MYSQL_BIND *binds;
	int rc = 0;

	if (db->cursor_open)
		return err_set(err, SETTLE_EX_SOFTWARE, "database: statement run while a cursor is open");
	if (unit_gone(db, err) < 0)
		return -1;
	db->last_errno = 0;
	st = prepared(db, sql, err);
	if (!st)
		return -1;
	if (bind_params(db, st, p, np, &binds, err) < 0)
		return -1;
	if (mysql_stmt_execute(st)) {
		rc = stmt_error(db, st, err);
	} else {
		if (affected)
			*affected = mysql_stmt_affected_rows(st);
		if (insert_id)
			*insert_id = mysql_stmt_insert_id(st);
		/* A statement that returns rows here is a caller mistake; drain it. */
		if (mysql_stmt_field_count(st))
			mysql_stmt_free_result(st);
	}
	free(binds);
	return rc;
}

int db_query(struct db *db, struct db_cursor **out, const char *sql, const struct db_param *p, size_t np,
	     const struct db_col *cols, size_t nc, struct settle_err *err)
{
	struct db_cursor *c;
	MYSQL_STMT *st;
	MYSQL_BIND *pb;

	*out = NULL;
	if (db->cursor_open)
		return err_set(err, SETTLE_EX_SOFTWARE, "database: a cursor is already open");
	if (unit_gone(db, err) < 0)
		return -1;
	db->last_errno = 0;
	st = prepared(db, sql, err);
	if (!st)
		return -1;
	if (mysql_stmt_field_count(st) != nc)
		return err_set(err, SETTLE_EX_SOFTWARE, "database: query returns %u columns, %zu bound",
			       mysql_stmt_field_count(st), nc);
	if (bind_params(db, st, p, np, &pb, err) < 0)
		return -1;
	if (mysql_stmt_execute(st)) {
		free(pb);
		return stmt_error(db, st, err);
	}
	free(pb);
	c = calloc(1, sizeof *c);
	if (c) {
		c->binds = calloc(nc ? nc : 1, sizeof *c->binds);
		c->lengths = calloc(nc ? nc : 1, sizeof *c->lengths);
		c->nulls = calloc(nc ? nc : 1, sizeof *c->nulls);
		c->cols = calloc(nc ? nc : 1, sizeof *c->cols);
	}
	if (!c || !c->binds || !c->lengths || !c->nulls || !c->cols) {
		if (c) {
			free(c->binds);
			free(c->lengths);
			free(c->nulls);
			free(c->cols);
		}
		free(c);
		mysql_stmt_free_result(st);
		mysql_stmt_reset(st);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	for (size_t i = 0; i < nc; i++) {
		if (cols[i].t == DBC_STR) {
			c->binds[i].buffer_type = MYSQL_TYPE_STRING;
			c->binds[i].buffer = cols[i].s;
			c->binds[i].buffer_length = cols[i].cap ? cols[i].cap - 1 : 0;
		} else {
			c->binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
			c->binds[i].buffer = cols[i].i;
		}
		c->binds[i].length = &c->lengths[i];
		c->binds[i].is_null = &c->nulls[i];
	}
	if (nc && mysql_stmt_bind_result(st, c->binds)) {
		stmt_error(db, st, err);
		c->db = db;
		c->stmt = st;
		db->cursor_open = true;
		db_cursor_close(c);
		return -1;
	}
	c->db = db;
	c->stmt = st;
	if (nc)
		memcpy(c->cols, cols, nc * sizeof *cols); /* cols may be NULL when nc is 0 */
	c->nc = nc;
	db->cursor_open = true;
	*out = c;
	return 0;
}

int db_fetch(struct db_cursor *c, struct settle_err *err)
{
	int rc = mysql_stmt_fetch(c->stmt);

	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1)
		return stmt_error(c->db, c->stmt, err);
	for (size_t i = 0; i < c->nc; i++) {
		const struct db_col *col = &c->cols[i];

		if (col->is_null)
			*col->is_null = c->nulls[i];
		if (col->t == DBC_STR) {
			if (c->nulls[i]) {
				col->s[0] = '\0';
			} else if (c->lengths[i] >= col->cap) {
				return err_set(err, SETTLE_EX_SOFTWARE,
					       "database: column %zu is %lu bytes, longer than its buffer", i + 1,
					       c->lengths[i]);
			} else {
				col->s[c->lengths[i]] = '\0';
			}
		} else if (c->nulls[i]) {
			*col->i = 0;
		}
	}
	if (rc == MYSQL_DATA_TRUNCATED)
		return err_set(err, SETTLE_EX_SOFTWARE, "database: a column was truncated");
	return 1;
}

void db_cursor_close(struct db_cursor *c)
{
	int rc;

	if (!c)
		return;
	/* Read what the caller left unread, to its end: a caller that stops
	 * after the LIMIT rows it asked for never sees the packet that ends
	 * the result, which may be an error (on Galera, the 1213 of a
	 * brute-force abort) that must poison the unit. */
	while ((rc = mysql_stmt_fetch(c->stmt)) == 0 || rc == MYSQL_DATA_TRUNCATED)
		;
	if (rc == 1) {
		struct settle_err ignored;

		stmt_error(c->db, c->stmt, &ignored);
	}
	/* No mysql_stmt_reset here: it is a round trip (COM_STMT_RESET), and on
	 * Galera it was the command that received, and swallowed, the 1213 of
	 * a brute-force abort that came while the unit was idle; the unit's
	 * next statement then ran in autocommit. A statement read to its end
	 * needs no reset to run again. */
	mysql_stmt_free_result(c->stmt);
	c->db->cursor_open = false;
	free(c->binds);
	free(c->lengths);
	free(c->nulls);
	free(c->cols);
	free(c);
}

int db_query_one(struct db *db, const char *sql, const struct db_param *p, size_t np, const struct db_col *cols,
		 size_t nc, struct settle_err *err)
{
	struct db_cursor *c;
	int rc, more;

	if (db_query(db, &c, sql, p, np, cols, nc, err) < 0)
		return -1;
	rc = db_fetch(c, err);
	if (rc == 1) {
		/* Drain; a second row means the caller's query is not unique. */
		struct settle_err ignored;

		more = mysql_stmt_fetch(c->stmt);
		(void)ignored;
		if (more == 0 || more == MYSQL_DATA_TRUNCATED)
			rc = err_set(err, SETTLE_EX_SOFTWARE, "database: query for one row returned several");
	}
	db_cursor_close(c);
	return rc;
}

int db_run_script(struct db *db, const char *sql, size_t len, struct settle_err *err)
{
	int status, n = 1;

	if (unit_gone(db, err) < 0)
		return -1;
	db->last_errno = 0;
	if (mysql_real_query(db->conn, sql, len))
		return conn_error(db, err, "statement 1");
	for (;;) {
		MYSQL_RES *res = mysql_store_result(db->conn);

		if (res)
			mysql_free_result(res);
		status = mysql_next_result(db->conn);
		if (status == -1)
			return 0;
		n++;
		if (status > 0) {
			char what[32];

			snprintf(what, sizeof what, "statement %d", n);
			return conn_error(db, err, what);
		}
	}
}

/* The statement itself, for db_tx's own START / COMMIT / ROLLBACK. */
static int simple(struct db *db, const char *sql, struct settle_err *err)
{
	db->last_errno = 0;
	if (mysql_real_query(db->conn, sql, strlen(sql)))
		return conn_error(db, err, sql);
	MYSQL_RES *res = mysql_store_result(db->conn);
	if (res)
		mysql_free_result(res);
	return 0;
}

int db_simple(struct db *db, const char *sql, struct settle_err *err)
{
	if (unit_gone(db, err) < 0)
		return -1;
	return simple(db, sql, err);
}

static void backoff(int attempt)
{
	/* 5 ms doubling up to ~640 ms, with full jitter so racing workers
	 * do not collide again in lock step. */
	long cap_us = 5000L << (attempt < 7 ? attempt : 7);
	long us = cap_us / 2 + (long)(random() % (cap_us / 2 + 1));
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

	nanosleep(&ts, NULL);
}

/* Ends the unit's transaction and leaves the unit; a failed ROLLBACK is
 * harmless (the server has rolled back already, or the connection is gone). */
static void leave_unit(struct db *db)
{
	struct settle_err ignored;

	simple(db, "ROLLBACK", &ignored);
	db->in_unit = false;
	db->unit_lost = 0;
}

int db_tx(struct db *db, db_tx_fn fn, void *arg, struct settle_err *err)
{
	if (db->in_unit)
		return err_set(err, SETTLE_EX_SOFTWARE, "database: a unit of work started inside another");
	for (int attempt = 0;; attempt++) {
		unsigned failed_errno;
		int rc;

		err_clear(err);
		db->in_unit = true;
		db->unit_lost = 0;
		rc = simple(db, "START TRANSACTION", err);
		if (rc == 0) {
			rc = fn(db, arg, err);
			/* fn may have tolerated an error that ended the
			 * transaction: then there is nothing left to commit. */
			if (rc == 0 && db->unit_lost)
				rc = unit_gone(db, err);
			if (rc == 0 && simple(db, "COMMIT", err) == 0) {
				db->in_unit = false;
				return 0;
			}
		}
		failed_errno = db->unit_lost ? db->unit_lost : db->last_errno;
		leave_unit(db);
		db->last_errno = failed_errno;
		if (!db_is_retryable(failed_errno))
			return -1;
		if (attempt + 1 >= TX_ATTEMPTS)
			return err_prefix(err, "gave up after %d attempts", TX_ATTEMPTS);
		db->retries++;
		backoff(attempt);
	}
}

unsigned db_last_errno(const struct db *db)
{
	return db->last_errno;
}

uint64_t db_retry_count(const struct db *db)
{
	return db->retries;
}

const char *db_name(const struct db *db)
{
	return db->name;
}
