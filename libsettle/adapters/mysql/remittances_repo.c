/* remittances_repo.c — remittances and month closes over MariaDB/MySQL (written once, never updated). */
#include <string.h>

#include "adapters/mysql/reports.h"
#include "adapters/mysql/uow.h"

static int insert(void *self, struct uow *tx, const struct remittance *r, const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);

	if (db_exec(db,
		    "INSERT INTO remittances (public_id, kind, period, currency, amount, paid_on, created_at) "
		    "VALUES (?,?,?,?,?,?,?)",
		    DB_PARAMS(DB_S(r->public_id), DB_S(r->kind), DB_S(r->period), DB_S(r->currency), DB_I(r->amount),
			      DB_S(r->paid_on), DB_S(now)),
		    NULL, NULL, err) < 0)
		return db_is_duplicate(db_last_errno(db)) ? 0 : -1;
	return 1;
}

static int find(void *self, struct uow *tx, const char *kind, const char *period, struct remittance *out,
		struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	return db_query_one(uow_db(tx, self),
			    "SELECT public_id, kind, period, currency, amount, DATE_FORMAT(paid_on, '%Y-%m-%d'), "
			    "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') FROM remittances WHERE kind = ? AND period = ?",
			    DB_PARAMS(DB_S(kind), DB_S(period)),
			    DB_COLS(DC_S(out->public_id), DC_S(out->kind), DC_S(out->period), DC_S(out->currency),
				    DC_I(&out->amount), DC_S(out->paid_on), DC_S(out->created_at)),
			    err);
}

static int close_insert(void *self, struct uow *tx, const struct month_close *c, const char *now,
			struct settle_err *err)
{
	struct db *db = uow_db(tx, self);

	if (db_exec(db, "INSERT INTO month_closes (month, dir, manifest_sha256, closed_at) VALUES (?,?,?,?)",
		    DB_PARAMS(DB_S(c->month), DB_S(c->dir), DB_S(c->manifest_sha256), DB_S(now)), NULL, NULL, err) < 0)
		return db_is_duplicate(db_last_errno(db)) ? 0 : -1;
	return 1;
}

static int close_find(void *self, struct uow *tx, const char *month, struct month_close *out, struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	return db_query_one(uow_db(tx, self),
			    "SELECT month, dir, manifest_sha256, DATE_FORMAT(closed_at, '%Y-%m-%d %H:%i:%s.%f') "
			    "FROM month_closes WHERE month = ?",
			    DB_PARAMS(DB_S(month)),
			    DB_COLS(DC_S(out->month), DC_S(out->dir), DC_S(out->manifest_sha256), DC_S(out->closed_at)), err);
}

void mysql_remittances_repo(struct remittances_repo *out, struct db *db)
{
	*out = (struct remittances_repo){db, insert, find, close_insert, close_find};
}
