/* disputes_repo.c — disputes and their history over MariaDB/MySQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/uow.h"

#define DISPUTE_SELECT                                                                                         \
	"SELECT d.id, d.public_id, d.escrow_id, e.public_id, e.pod_id, d.status, d.reason, d.opened_by, "         \
	"COALESCE(d.resolution, ''), COALESCE(d.refund_amount, 0), COALESCE(d.release_amount, 0), "               \
	"DATE_FORMAT(d.opened_at, '%Y-%m-%d %H:%i:%s'), COALESCE(DATE_FORMAT(d.resolved_at, '%Y-%m-%d %H:%i:%s'), '') " \
	"FROM disputes d JOIN escrows e ON e.id = d.escrow_id "

#define DISPUTE_COLS(d)                                                                                        \
	DB_COLS(DC_I(&(d)->id), DC_S((d)->public_id), DC_I(&(d)->escrow_id), DC_S((d)->escrow_public_id),          \
		DC_S((d)->pod_id), DC_S((d)->status), DC_S((d)->reason), DC_S((d)->opened_by), DC_S((d)->resolution), \
		DC_I(&(d)->refund_amount), DC_I(&(d)->release_amount), DC_S((d)->opened_at), DC_S((d)->resolved_at))

static int open_dispute(void *self, struct uow *tx, struct dispute_rec *d, const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	uint64_t id = 0;

	if (public_id(d->public_id, sizeof d->public_id, "dsp_", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO disputes (public_id, escrow_id, status, reason, opened_by, opened_at) "
		    "VALUES (?,?, 'OPEN', ?,?,?)",
		    DB_PARAMS(DB_S(d->public_id), DB_I(d->escrow_id), DB_S(d->reason), DB_S(d->opened_by), DB_S(now)),
		    NULL, &id, err) < 0) {
		if (db_is_duplicate(db_last_errno(db)))
			err_set(err, SETTLE_EX_DATAERR, "escrow %s already has an open dispute", d->escrow_public_id);
		return -1;
	}
	d->id = (int64_t)id;
	return 0;
}

static int lock_open(void *self, struct uow *tx, int64_t escrow_id, struct dispute_rec *out, struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	return db_query_one(uow_db(tx, self), DISPUTE_SELECT "WHERE d.escrow_id = ? AND d.status = 'OPEN' FOR UPDATE",
			    DB_PARAMS(DB_I(escrow_id)), DISPUTE_COLS(out), err);
}

static int resolve(void *self, struct uow *tx, const struct dispute_rec *d, const char *now, struct settle_err *err)
{
	uint64_t n = 0;

	if (db_exec(uow_db(tx, self),
		    "UPDATE disputes SET status = 'RESOLVED', resolution = ?, refund_amount = ?, release_amount = ?, "
		    "resolved_at = ? WHERE id = ? AND status = 'OPEN'",
		    DB_PARAMS(DB_S(d->resolution), DB_I(d->refund_amount), DB_I(d->release_amount), DB_S(now), DB_I(d->id)),
		    &n, NULL, err) < 0)
		return -1;
	return n == 1 ? 0 : err_set(err, SETTLE_EX_DATAERR, "dispute %s is already resolved", d->public_id);
}

static int add_step(void *self, struct uow *tx, int64_t dispute_id, const char *step, const char *actor,
		    const char *message, const char *now, struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "INSERT INTO dispute_events (dispute_id, step, actor, message, created_at) VALUES (?,?,?,?,?)",
		       DB_PARAMS(DB_I(dispute_id), DB_S(step), DB_S(actor), DB_SN(message), DB_S(now)), NULL, NULL, err);
}

static int list(void *self, const char *escrow_public_id, int (*fn)(void *, const struct dispute_rec *), void *arg,
		struct settle_err *err)
{
	struct dispute_rec d;
	struct dispute_rec *rows = NULL;
	struct db_cursor *c;
	size_t n = 0, cap = 0;
	int rc;

	memset(&d, 0, sizeof d);
	if (escrow_public_id)
		rc = db_query(self, &c, DISPUTE_SELECT "WHERE e.public_id = ? ORDER BY d.id",
			      DB_PARAMS(DB_S(escrow_public_id)), DISPUTE_COLS(&d), err);
	else
		rc = db_query(self, &c, DISPUTE_SELECT "ORDER BY d.id", DB_NOPARAMS, DISPUTE_COLS(&d), err);
	if (rc < 0)
		return -1;
	/* Handed out after the cursor closes: fn may read the steps. */
	while ((rc = db_fetch(c, err)) == 1) {
		if (n == cap) {
			struct dispute_rec *g = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *rows);

			if (!g) {
				rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
				break;
			}
			rows = g;
		}
		rows[n++] = d;
	}
	db_cursor_close(c);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (fn(arg, &rows[i]) < 0)
			break;
	free(rows);
	return rc < 0 ? -1 : 0;
}

static int steps(void *self, int64_t dispute_id, int (*fn)(void *, const struct dispute_step *), void *arg,
		 struct settle_err *err)
{
	char at[32], step[32], actor[65], msg[501];
	struct dispute_step s = {at, step, actor, msg};
	struct db_cursor *c;
	int rc;

	if (db_query(self, &c,
		     "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), step, actor, COALESCE(message, '') "
		     "FROM dispute_events WHERE dispute_id = ? ORDER BY id",
		     DB_PARAMS(DB_I(dispute_id)), DB_COLS(DC_S(at), DC_S(step), DC_S(actor), DC_S(msg)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (fn(arg, &s) < 0)
			break;
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

void mysql_disputes_repo(struct disputes_repo *out, struct db *db)
{
	*out = (struct disputes_repo){.self = db,
				      .open = open_dispute,
				      .lock_open = lock_open,
				      .resolve = resolve,
				      .add_step = add_step,
				      .list = list,
				      .steps = steps};
}
