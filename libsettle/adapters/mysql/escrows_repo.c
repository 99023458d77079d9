/* escrows_repo.c — the escrows repository over MariaDB/MySQL. */
#include <stdio.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/uow.h"

static int insert(void *self, struct uow *tx, struct escrow *e, const char *now, struct settle_err *err)
{
	uint64_t id = 0;

	if (public_id(e->public_id, sizeof e->public_id, "esc_", err) < 0)
		return -1;
	if (db_exec(uow_db(tx, self),
		    "INSERT INTO escrows (public_id, payment_id, pod_id, amount, refunded_amount, currency, status, "
		    "held_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
		    DB_PARAMS(DB_S(e->public_id), DB_I(e->payment_id), DB_S(e->pod_id), DB_I(e->amount),
			      DB_I(e->refunded), DB_S(e->currency), DB_S(escrow_status_name(e->status)), DB_S(now),
			      DB_S(now)),
		    NULL, &id, err) < 0)
		return -1;
	e->id = (int64_t)id;
	return 0;
}

/* Loads and locks one escrow by an id column ("payment_id", "public_id"). */
static int lock_where(struct db *db, const char *where, struct db_param key, struct escrow *out, struct settle_err *err)
{
	char status[32] = "", sql[512];
	int64_t asap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(sql, sizeof sql,
		 "SELECT id, public_id, payment_id, pod_id, amount, refunded_amount, released_amount, currency, status, "
		 "COALESCE(settlement_id, 0), release_asap FROM escrows WHERE %s = ? FOR UPDATE",
		 where);
	rc = db_query_one(db, sql, &key, 1,
			  DB_COLS(DC_I(&out->id), DC_S(out->public_id), DC_I(&out->payment_id), DC_S(out->pod_id),
				  DC_I(&out->amount), DC_I(&out->refunded), DC_I(&out->released), DC_S(out->currency),
				  DC_S(status), DC_I(&out->settlement_id), DC_I(&asap)),
			  err);
	out->release_asap = (int)asap;
	if (rc == 1 && escrow_status_parse(status, &out->status) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s has unknown status %s", out->public_id, status);
	return rc;
}

static int lock_by_payment(void *self, struct uow *tx, int64_t payment_id, struct escrow *out, struct settle_err *err)
{
	return lock_where(uow_db(tx, self), "payment_id", DB_I(payment_id), out, err);
}

static int lock_by_public_id(void *self, struct uow *tx, const char *public_id_, struct escrow *out,
			     struct settle_err *err)
{
	return lock_where(uow_db(tx, self), "public_id", DB_S(public_id_), out, err);
}

static int save(void *self, struct uow *tx, const struct escrow *e, const char *now, struct settle_err *err)
{
	return db_exec(uow_db(tx, self), "UPDATE escrows SET refunded_amount = ?, released_amount = ?, status = ?, release_asap = ?, updated_at = ? "
		       "WHERE id = ?",
		       DB_PARAMS(DB_I(e->refunded), DB_I(e->released), DB_S(escrow_status_name(e->status)),
				 DB_I(e->release_asap), DB_S(now), DB_I(e->id)),
		       NULL,
		       NULL, err);
}

void mysql_escrows_repo(struct escrows_repo *out, struct db *db)
{
	*out = (struct escrows_repo){.self = db, .insert = insert, .lock_by_payment = lock_by_payment, .lock_by_public_id = lock_by_public_id, .save = save};
}
