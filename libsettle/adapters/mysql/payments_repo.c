/*
 * payments_repo.c — the payments repository over MariaDB/MySQL.
 *
 * Rule: the PG's key is stored twice on purpose. attempt_key holds the key
 * a redirect brought while the confirm is open; payment_key (unique per
 * PG) is set only once the PG has confirmed it for this order, so a refused
 * or foreign key never blocks the order it really belongs to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/uow.h"

static const char *where_of(enum payment_lookup by)
{
	switch (by) {
	case PAY_BY_ORDER_ID: return "WHERE p.order_id = ?";
	case PAY_BY_KEY: return "WHERE p.payment_key = ?";
	case PAY_BY_PUBLIC_ID:
	default: return "WHERE p.public_id = ?";
	}
}

static int find(void *self, struct uow *tx, enum payment_lookup by, const char *key, struct payment_rec *out,
		struct settle_err *err)
{
	return pay_load(uow_db(tx, self), where_of(by), DB_PARAMS(DB_S(key)), out, err);
}

static int lock(void *self, struct uow *tx, int64_t id, struct payment_rec *out, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	int rc;

	/* The payment row itself; the escrow row is locked by its own
	 * repository where it changes. */
	rc = db_query_one(db, "SELECT id FROM payments WHERE id = ? FOR UPDATE", DB_PARAMS(DB_I(id)),
			  DB_COLS(DC_I(&(int64_t){0})), err);
	if (rc == 1)
		rc = pay_load(db, "WHERE p.id = ?", DB_PARAMS(DB_I(id)), out, err);
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment id %lld does not exist", (long long)id);
	return rc < 0 ? -1 : 0;
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct payment_rec *out,
		     size_t *n_out, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	struct db_param *params;
	struct db_cursor *c;
	struct pay_buf b;
	struct db_col cols[PAY_NCOLS];
	char *sql, *marks;
	size_t len;
	int rc;

	*n_out = 0;
	if (n == 0)
		return 0;
	params = calloc(n, sizeof *params);
	len = sizeof PAY_SELECT + 64 + 2 * n;
	sql = malloc(len);
	marks = malloc(2 * n + 1);
	if (!params || !sql || !marks) {
		free(params);
		free(sql);
		free(marks);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		params[i] = DB_I(ids[i]);
	snprintf(sql, len, "%sWHERE p.id IN (%s)", PAY_SELECT, sql_placeholders(marks, 2 * n + 1, n));
	free(marks);
	memset(&b, 0, sizeof b);
	pay_cols(&b, cols);
	rc = db_query(db, &c, sql, params, n, cols, PAY_NCOLS, err);
	free(sql);
	free(params);
	if (rc < 0)
		return -1;
	/* Rows come in key order; put them in the caller's order. */
	while ((rc = db_fetch(c, err)) == 1) {
		if (pay_finish(&b, err) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (ids[i] == b.rec.id) {
				out[i] = b.rec;
				break;
			}
		(*n_out)++;
	}
	db_cursor_close(c);
	if (rc < 0)
		return -1;
	if (*n_out != n) {
		/* Compact out past missing ids, keeping the order of ids. */
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (out[i].id == ids[i])
				out[k++] = out[i];
		*n_out = k;
	}
	return 0;
}

static int find_live_place(void *self, struct uow *tx, const char *pod_id, const char *user_id,
			   struct payment_rec *out, struct settle_err *err)
{
	return pay_load(uow_db(tx, self), "WHERE p.pod_id = ? AND p.user_id = ? AND p.live_place IS NOT NULL",
			DB_PARAMS(DB_S(pod_id), DB_S(user_id)), out, err);
}

static int count_live_places(void *self, struct uow *tx, const char *pod_id, int64_t *n, struct settle_err *err)
{
	return db_query_one(uow_db(tx, self), "SELECT COUNT(*) FROM payments WHERE pod_id = ? AND live_place IS NOT NULL",
			    DB_PARAMS(DB_S(pod_id)), DB_COLS(DC_I(n)), err) < 0
		       ? -1
		       : 0;
}

static int key_owned_elsewhere(void *self, struct uow *tx, const char *pg, const char *payment_key, int64_t except_id,
			       struct settle_err *err)
{
	int64_t n = 0;

	if (db_query_one(uow_db(tx, self), "SELECT COUNT(*) FROM payments WHERE pg = ? AND payment_key = ? AND id <> ?",
			 DB_PARAMS(DB_S(pg), DB_S(payment_key), DB_I(except_id)), DB_COLS(DC_I(&n)), err) < 0)
		return -1;
	return n > 0;
}

static int insert(void *self, struct uow *tx, const struct new_payment *np, const char *now, struct payment_rec *out,
		  struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	char new_id[41], order_id[65];
	int rc;

	if (public_id(new_id, sizeof new_id, "pay_", err) < 0 || public_id(order_id, sizeof order_id, "ord-", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, status, "
		    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?, 'PENDING', ?, ?)",
		    DB_PARAMS(DB_S(new_id), DB_S(order_id), DB_S(np->pod_id), DB_S(np->user_id), DB_I(np->amount),
			      DB_S(np->currency), DB_S(np->method), DB_S(np->pg), DB_S(now), DB_S(now)),
		    NULL, NULL, err) < 0)
		return -1;
	rc = pay_load(db, "WHERE p.public_id = ?", DB_PARAMS(DB_S(new_id)), out, err);
	return rc == 1 ? 0 : rc < 0 ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "new payment vanished");
}

/* approved_at is set once, by the capture; a later save keeps it. */
static int save(void *self, struct uow *tx, const struct payment_rec *p, const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	int owned = payment_owns_key(p->status);

	if (db_exec(db,
		    "UPDATE payments SET status = ?, attempt_key = ?, payment_key = ?, confirm_key = ?, pg_code = ?, "
		    "pg_message = ?, va_secret = ?, va_bank = ?, va_account = ?, va_due = ?, approved_at = COALESCE(approved_at, ?), "
		    "doubt_count = ?, next_check_at = ?, refunded_amount = ?, updated_at = ? WHERE id = ?",
		    DB_PARAMS(DB_S(payment_status_name(p->status)), DB_SN(p->payment_key),
			      owned ? DB_SN(p->payment_key) : DB_NULL, DB_SN(p->confirm_key), DB_SN(p->pg_code),
			      DB_SN(p->pg_message), DB_SN(p->va_secret), DB_SN(p->va_bank), DB_SN(p->va_account),
			      DB_SN(p->va_due), DB_SN(p->approved_at), DB_I(p->doubt_count), DB_SN(p->next_check_at),
			      DB_I(p->refunded), DB_S(now), DB_I(p->id)),
		    NULL, NULL, err) < 0) {
		if (db_is_duplicate(db_last_errno(db)))
			err_set(err, SETTLE_EX_DATAERR, "payment key of %s is already used by another order",
				p->public_id);
		return -1;
	}
	return 0;
}

static int add_event(void *self, struct uow *tx, int64_t payment_id, const struct payment_event *ev, const char *now,
		     struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "INSERT INTO payment_events (payment_id, from_status, to_status, actor, pg_code, message, created_at) "
		       "VALUES (?,?,?,?,?,?,?)",
		       DB_PARAMS(DB_I(payment_id), DB_SN(ev->from), DB_S(ev->to), DB_S(ev->actor), DB_SN(ev->code),
				 DB_SN(ev->message), DB_S(now)),
		       NULL, NULL, err);
}

static int set_card(void *self, struct uow *tx, int64_t payment_id, const char *masked_number, const char *issuer,
		    struct settle_err *err)
{
	return db_exec(uow_db(tx, self), "UPDATE payments SET card_masked = ?, card_issuer = ? WHERE id = ?",
		       DB_PARAMS(DB_SN(masked_number), DB_SN(issuer),
				 DB_I(payment_id)),
		       NULL, NULL, err);
}

void mysql_payments_repo(struct payments_repo *out, struct db *db)
{
	*out = (struct payments_repo){
		.self = db,
		.find = find,
		.lock = lock,
		.load_many = load_many,
		.find_live_place = find_live_place,
		.count_live_places = count_live_places,
		.key_owned_elsewhere = key_owned_elsewhere,
		.insert = insert,
		.save = save,
		.add_event = add_event,
		.set_card = set_card,
	};
}
