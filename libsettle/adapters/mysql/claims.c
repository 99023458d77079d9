/*
 * claims.c — the claims port over MariaDB/MySQL (see ports/claims.h).
 *
 * The queue's table and column names come from the job's static
 * description, never from input; every value is a bound parameter. They
 * are still checked to be plain identifiers, so a mistake can only fail.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/uow.h"

static int ident_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int queue_ok(const struct claim_queue *q, struct settle_err *err)
{
	if (!ident_ok(q->table) || !ident_ok(q->id_column) || (q->state_column && !ident_ok(q->state_column)) ||
	    (q->open_column && !ident_ok(q->open_column)) || (q->age_column && !ident_ok(q->age_column)) ||
	    (q->due_column && !ident_ok(q->due_column)))
		return err_set(err, SETTLE_EX_SOFTWARE, "claim queue %s: bad identifier", q->table ? q->table : "?");
	return 0;
}

/* The work condition of the queue: state, open, age and due, with their
 * parameters appended to p (at most 4). */
static void work_where(const struct claim_req *r, char *buf, size_t len, struct db_param *p, size_t *np)
{
	const struct claim_queue *q = r->queue;
	size_t at = 0;

	at += (size_t)snprintf(buf + at, len - at, "1 = 1");
	if (q->state_column) {
		at += (size_t)snprintf(buf + at, len - at, " AND %s = ?", q->state_column);
		p[(*np)++] = DB_S(q->state);
	}
	if (q->open_column)
		at += (size_t)snprintf(buf + at, len - at, " AND %s IS NULL", q->open_column);
	if (q->age_column) {
		at += (size_t)snprintf(buf + at, len - at, " AND %s <= ? - INTERVAL ? SECOND", q->age_column);
		p[(*np)++] = DB_S(r->now);
		p[(*np)++] = DB_I(r->min_age_s);
	}
	if (q->due_column) {
		snprintf(buf + at, len - at, " AND (%s IS NULL OR %s <= ?)", q->due_column, q->due_column);
		p[(*np)++] = DB_S(r->now);
	}
}

static int claim(void *self, struct uow *tx, const struct claim_req *r, int64_t *ids, size_t *n,
		 struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	const struct claim_queue *q = r->queue;
	struct db_param p[8], *up = NULL;
	size_t np = 0;
	char where[512], sql[1024], *upd = NULL, *marks = NULL;
	struct db_cursor *c;
	int64_t id = 0;
	int rc = 0;

	*n = 0;
	if (queue_ok(q, err) < 0)
		return -1;
	work_where(r, where, sizeof where, p, &np);
	p[np++] = DB_S(r->now);
	p[np++] = DB_I((int64_t)r->limit);
	snprintf(sql, sizeof sql,
		 "SELECT %s FROM %s WHERE %s AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY %s LIMIT ? "
		 "FOR UPDATE SKIP LOCKED",
		 q->id_column, q->table, where, q->id_column);
	if (db_query(db, &c, sql, p, np, DB_COLS(DC_I(&id)), err) < 0)
		return -1;
	while (*n < r->limit && (rc = db_fetch(c, err)) == 1)
		ids[(*n)++] = id;
	db_cursor_close(c);
	if (rc < 0)
		return -1;
	if (*n == 0)
		return 0;
	/* Mark them in the same transaction, in one statement. */
	up = calloc(*n + 3, sizeof *up);
	marks = malloc(2 * *n + 1);
	upd = malloc(256 + 2 * *n);
	if (!up || !marks || !upd) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	up[0] = DB_S(r->now);
	up[1] = DB_I(r->lease_s);
	up[2] = DB_S(r->owner);
	for (size_t i = 0; i < *n; i++)
		up[3 + i] = DB_I(ids[i]);
	snprintf(upd, 256 + 2 * *n, "UPDATE %s SET claimed_until = ? + INTERVAL ? SECOND, claimed_by = ? WHERE %s IN (%s)",
		 q->table, q->id_column, sql_placeholders(marks, 2 * *n + 1, *n));
	rc = db_exec(db, upd, up, *n + 3, NULL, NULL, err);
out:
	free(up);
	free(marks);
	free(upd);
	return rc < 0 ? -1 : 0;
}

/* UPDATE … WHERE id IN (ids) AND claimed_by = owner, with set_sql's
 * leading parameters (0 or 2: now, lease). */
static int update_owned(struct db *db, const struct claim_req *r, const char *set_sql, int with_lease,
			const int64_t *ids, size_t n, struct settle_err *err)
{
	size_t lead = with_lease ? 2 : 0, np = lead + 1 + n;
	struct db_param *p;
	char *sql, *marks;
	int rc;

	if (n == 0)
		return 0;
	if (queue_ok(r->queue, err) < 0)
		return -1;
	p = calloc(np, sizeof *p);
	marks = malloc(2 * n + 1);
	sql = malloc(256 + 2 * n);
	if (!p || !marks || !sql) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	if (with_lease) {
		p[0] = DB_S(r->now);
		p[1] = DB_I(r->lease_s);
	}
	p[lead] = DB_S(r->owner);
	for (size_t i = 0; i < n; i++)
		p[lead + 1 + i] = DB_I(ids[i]);
	snprintf(sql, 256 + 2 * n, "UPDATE %s SET %s WHERE claimed_by = ? AND %s IN (%s)", r->queue->table, set_sql,
		 r->queue->id_column, sql_placeholders(marks, 2 * n + 1, n));
	rc = db_exec(db, sql, p, np, NULL, NULL, err);
out:
	free(p);
	free(marks);
	free(sql);
	return rc;
}

static int renew(void *self, struct uow *tx, const struct claim_req *r, const int64_t *ids, size_t n,
		 struct settle_err *err)
{
	return update_owned(uow_db(tx, self), r, "claimed_until = ? + INTERVAL ? SECOND", 1, ids, n, err);
}

static int release(void *self, struct uow *tx, const struct claim_req *r, const int64_t *ids, size_t n,
		   struct settle_err *err)
{
	return update_owned(uow_db(tx, self), r, "claimed_until = NULL, claimed_by = NULL", 0, ids, n, err);
}

static int held_by_others(void *self, struct uow *tx, const struct claim_req *r, int64_t *count, char *until,
			  size_t until_len, struct settle_err *err)
{
	struct db_param p[8];
	size_t np = 0;
	char where[512], sql[1024], last[40] = "";

	*count = 0;
	if (queue_ok(r->queue, err) < 0)
		return -1;
	/* Due or not: what another runner holds is work this run could not do. */
	{
		struct claim_req any = *r;
		struct claim_queue q = *r->queue;

		q.due_column = NULL;
		q.age_column = NULL;
		any.queue = &q;
		work_where(&any, where, sizeof where, p, &np);
	}
	p[np++] = DB_S(r->now);
	p[np++] = DB_S(r->owner);
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*), COALESCE(DATE_FORMAT(MAX(claimed_until), '%%Y-%%m-%%d %%H:%%i:%%s'), '') FROM %s "
		 "WHERE %s AND claimed_until > ? AND claimed_by <> ?",
		 r->queue->table, where);
	if (db_query_one(uow_db(tx, self), sql, p, np, DB_COLS(DC_I(count), DC_S(last)), err) < 0)
		return -1;
	snprintf(until, until_len, "%s", last);
	return 0;
}

void mysql_claims(struct claims_port *out, struct db *db)
{
	*out = (struct claims_port){
		.self = db, .claim = claim, .renew = renew, .release = release, .held_by_others = held_by_others};
}
