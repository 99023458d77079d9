/* refunds_repo.c — the refunds repository over MariaDB/MySQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/uow.h"

static int find(void *self, struct uow *tx, const char *public_id_, struct refund_rec *out, struct settle_err *err)
{
	return refund_load(uow_db(tx, self), "WHERE public_id = ?", DB_PARAMS(DB_S(public_id_)), out, err);
}

static int lock(void *self, struct uow *tx, int64_t id, struct refund_rec *out, struct settle_err *err)
{
	int rc = refund_load(uow_db(tx, self), "WHERE id = ? FOR UPDATE", DB_PARAMS(DB_I(id)), out, err);

	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "refund id %lld does not exist", (long long)id);
	return rc < 0 ? -1 : 0;
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct refund_rec *out, size_t *n_out,
		     struct settle_err *err)
{
	/* Refund batches are small (one sweep batch); one look-up each keeps
	 * this simple. */
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = refund_load(uow_db(tx, self), "WHERE id = ?", DB_PARAMS(DB_I(ids[i])), &out[*n_out], err);

		if (rc < 0)
			return -1;
		*n_out += (size_t)rc;
	}
	return 0;
}

static int insert(void *self, struct uow *tx, const struct new_refund *nr, const char *now, struct refund_rec *out,
		  struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	char pub[41], cancel_id[65], key[160];
	int rc;

	if (public_id(pub, sizeof pub, "ref_", err) < 0 || public_id(cancel_id, sizeof cancel_id, "cxl-", err) < 0)
		return -1;
	/* Derived from the refund, never random: a re-send carries the same key. */
	snprintf(key, sizeof key, "refund:%s", pub);
	if (db_exec(db,
		    "INSERT INTO refunds (public_id, payment_id, amount, currency, status, reason, idempotency_key, "
		    "cancel_order_id, created_at, updated_at) VALUES (?,?,?,?, 'REQUESTED', ?,?,?,?,?)",
		    DB_PARAMS(DB_S(pub), DB_I(nr->payment_id), DB_I(nr->amount), DB_S(nr->currency), DB_S(nr->reason),
			      DB_S(key), DB_S(cancel_id), DB_S(now), DB_S(now)),
		    NULL, NULL, err) < 0)
		return -1;
	rc = refund_load(db, "WHERE public_id = ?", DB_PARAMS(DB_S(pub)), out, err);
	return rc == 1 ? 0 : rc < 0 ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "new refund vanished");
}

static int save(void *self, struct uow *tx, const struct refund_rec *r, const char *now, struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "UPDATE refunds SET status = ?, pg_code = ?, pg_message = ?, pg_transaction_key = ?, "
		       "doubt_count = ?, next_check_at = ?, updated_at = ? WHERE id = ?",
		       DB_PARAMS(DB_S(refund_status_name(r->status)), DB_SN(r->pg_code), DB_SN(r->pg_message),
				 DB_SN(r->pg_transaction_key), DB_I(r->doubt_count), DB_SN(r->next_check_at), DB_S(now),
				 DB_I(r->id)),
		       NULL, NULL, err);
}

void mysql_refunds_repo(struct refunds_repo *out, struct db *db)
{
	*out = (struct refunds_repo){
		.self = db, .find = find, .lock = lock, .load_many = load_many, .insert = insert, .save = save};
}
