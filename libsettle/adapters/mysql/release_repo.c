/* release_repo.c — escrow release over MariaDB/MySQL (see ports/release_repo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/uow.h"

static int due(void *self, struct uow *tx, const struct release_filter *f, struct release_row *rows, size_t limit,
	       size_t *n, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	struct db_param *p;
	struct db_cursor *c;
	struct release_row r;
	char status[32], *sql, *marks = NULL;
	int64_t asap = 0;
	size_t np = 0, len;
	int rc = 0;

	*n = 0;
	p = calloc(f->n_pods + 6, sizeof *p);
	len = 2048 + 2 * f->n_pods;
	sql = malloc(len);
	if (f->n_pods)
		marks = malloc(2 * f->n_pods + 1);
	if (!p || !sql || (f->n_pods && !marks)) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	/* The hold is over once the pod completed before the cutoff; a
	 * resolved dispute releases at once; a refund in flight waits. */
	p[np++] = DB_I(f->ignore_hold ? 1 : 0);
	p[np++] = DB_S(f->cutoff);
	p[np++] = DB_I(f->after_id);
	p[np++] = DB_I(f->upto_id ? f->upto_id : INT64_MAX);
	for (size_t i = 0; i < f->n_pods; i++)
		p[np++] = DB_S(f->pods[i]);
	p[np++] = DB_I((int64_t)limit);
	snprintf(sql, len,
		 /* Walk escrows by primary key and stop after limit rows: a plan
		  * that starts from pods sorts every HOLDING escrow per batch
		  * (quadratic; found by `make bench` part (d)). With --pod the
		  * pod index is the better start. */
		 "SELECT %s e.id, e.public_id, e.payment_id, e.pod_id, e.amount, e.refunded_amount, e.released_amount, "
		 "e.currency, e.status, COALESCE(DATE_FORMAT(d.completed_at, '%%Y-%%m-%%d %%H:%%i:%%s'), ''), e.release_asap, "
		 "d.leader_id "
		 "FROM escrows e %s JOIN pods d ON d.pod_id = e.pod_id "
		 "WHERE e.status = 'HOLDING' AND (e.release_asap = 1 OR (d.status = 'COMPLETED' AND d.completed_at IS NOT NULL "
		 "AND (? = 1 OR d.completed_at < ?))) AND e.id > ? AND e.id <= ? %s%s%s"
		 "AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = e.payment_id AND r.status = 'REQUESTED') "
		 "ORDER BY e.id LIMIT ? FOR UPDATE SKIP LOCKED",
		 f->n_pods ? "" : "STRAIGHT_JOIN", f->n_pods ? "" : "FORCE INDEX (PRIMARY)",
		 f->n_pods ? "AND e.pod_id IN (" : "", f->n_pods ? sql_placeholders(marks, 2 * f->n_pods + 1, f->n_pods) : "",
		 f->n_pods ? ") " : "");
	memset(&r, 0, sizeof r);
	if (db_query(db, &c, sql, p, np,
		     DB_COLS(DC_I(&r.e.id), DC_S(r.e.public_id), DC_I(&r.e.payment_id), DC_S(r.e.pod_id), DC_I(&r.e.amount),
			     DC_I(&r.e.refunded), DC_I(&r.e.released), DC_S(r.e.currency), DC_S(status),
			     DC_S(r.completed_at), DC_I(&asap), DC_S(r.leader_id)),
		     err) < 0) {
		rc = -1;
		goto out;
	}
	while (*n < limit && (rc = db_fetch(c, err)) == 1) {
		if (escrow_status_parse(status, &r.e.status) < 0) {
			rc = err_set(err, SETTLE_EX_DATAERR, "escrow %s has unknown status %s", r.e.public_id, status);
			break;
		}
		r.release_asap = (int)asap;
		rows[(*n)++] = r;
	}
	db_cursor_close(c);
out:
	free(p);
	free(sql);
	free(marks);
	return rc < 0 ? -1 : 0;
}

/* One UPDATE for the batch: released_amount per row through a CASE, so
 * the figures stay the domain's and the round trips stay one. */
static int released(void *self, struct uow *tx, const struct release_row *rows, size_t n, const char *now,
		    struct settle_err *err)
{
	struct db_param *p;
	char *sql, *marks;
	size_t np = 0, len = 256 + 16 * n + 2 * n; /* " WHEN ? THEN ?" and "?," per row */
	int rc;

	if (n == 0)
		return 0;
	p = calloc(3 * n + 2, sizeof *p);
	sql = malloc(len);
	marks = malloc(2 * n + 1);
	if (!p || !sql || !marks) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	{
		size_t at = (size_t)snprintf(sql, len, "UPDATE escrows SET status = 'RELEASED', released_amount = CASE id");

		for (size_t i = 0; i < n; i++) {
			at += (size_t)snprintf(sql + at, len - at, " WHEN ? THEN ?");
			p[np++] = DB_I(rows[i].e.id);
			p[np++] = DB_I(rows[i].e.released);
		}
		p[np++] = DB_S(now);
		p[np++] = DB_S(now);
		for (size_t i = 0; i < n; i++)
			p[np++] = DB_I(rows[i].e.id);
		snprintf(sql + at, len - at,
			 " END, released_at = ?, release_asap = 0, updated_at = ? WHERE status = 'HOLDING' AND id IN (%s)",
			 sql_placeholders(marks, 2 * n + 1, n));
	}
	{
		uint64_t changed = 0;

		rc = db_exec(uow_db(tx, self), sql, p, np, &changed, NULL, err);
		if (rc == 0 && changed != n)
			rc = err_set(err, SETTLE_EX_SOFTWARE, "release: %llu of %zu escrows changed",
				     (unsigned long long)changed, n);
	}
out:
	free(p);
	free(sql);
	free(marks);
	return rc;
}

static int pod_state(void *self, struct uow *tx, const char *pod_id, char *status, size_t status_len,
		     char *completed_at, size_t completed_len, int64_t *holding, int64_t *disputed, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	char st[32] = "", at[32] = "";
	int rc;

	rc = db_query_one(db,
			  "SELECT status, COALESCE(DATE_FORMAT(completed_at, '%Y-%m-%d %H:%i:%s'), '') FROM pods "
			  "WHERE pod_id = ?",
			  DB_PARAMS(DB_S(pod_id)), DB_COLS(DC_S(st), DC_S(at)), err);
	if (rc != 1)
		return rc;
	snprintf(status, status_len, "%s", st);
	snprintf(completed_at, completed_len, "%s", at);
	if (db_query_one(db,
			 "SELECT COALESCE(SUM(status = 'HOLDING'), 0), COALESCE(SUM(status = 'DISPUTED'), 0) FROM escrows "
			 "WHERE pod_id = ?",
			 DB_PARAMS(DB_S(pod_id)), DB_COLS(DC_I(holding), DC_I(disputed)), err) < 0)
		return -1;
	return 1;
}

static int complete_pod(void *self, struct uow *tx, const char *pod_id, const char *at, struct settle_err *err)
{
	uint64_t n = 0;

	if (db_exec(uow_db(tx, self),
		    "UPDATE pods SET status = 'COMPLETED', completed_at = COALESCE(completed_at, ?) WHERE pod_id = ?",
		    DB_PARAMS(DB_S(at), DB_S(pod_id)), &n, NULL, err) < 0)
		return -1;
	return 0;
}

/* Two reads of ix_escrows_status, run only when a batch was lost. */
static int pick_holding(void *self, struct uow *tx, uint64_t r, int64_t *id, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	int64_t n = 0;

	*id = 0;
	if (db_query_one(db, "SELECT COUNT(*) FROM escrows WHERE status = 'HOLDING'", DB_NOPARAMS, DB_COLS(DC_I(&n)),
			 err) < 0)
		return -1;
	if (n == 0)
		return 0;
	return db_query_one(db, "SELECT id FROM escrows WHERE status = 'HOLDING' LIMIT 1 OFFSET ?",
			    DB_PARAMS(DB_I((int64_t)(r % (uint64_t)n))), DB_COLS(DC_I(id)), err) < 0
		       ? -1
		       : 0;
}

void mysql_release_repo(struct release_repo *out, struct db *db)
{
	*out = (struct release_repo){
		.self = db, .due = due, .released = released, .pick_holding = pick_holding, .pod_state = pod_state,
		.complete_pod = complete_pod};
}
