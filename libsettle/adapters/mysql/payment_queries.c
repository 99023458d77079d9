/* payment_queries.c — the payments read model over MariaDB/MySQL (pay-show). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/uow.h"

static const char *where_of(enum payment_list_by by)
{
	switch (by) {
	case LIST_BY_USER: return "WHERE p.user_id = ? ORDER BY p.id";
	case LIST_BY_POD: return "WHERE p.pod_id = ? ORDER BY p.id";
	case LIST_BY_ORDER_ID: return "WHERE p.order_id = ?";
	case LIST_BY_PUBLIC_ID:
	default: return "WHERE p.public_id = ?";
	}
}

static int payments(void *self, enum payment_list_by by, const char *id, int (*fn)(void *, const struct payment_rec *),
		    void *arg, struct settle_err *err)
{
	struct pay_buf b;
	struct db_col cols[PAY_NCOLS];
	struct db_cursor *c;
	struct payment_rec *rows = NULL;
	size_t n = 0, cap = 0;
	char sql[2560];
	int rc;

	memset(&b, 0, sizeof b);
	pay_cols(&b, cols);
	snprintf(sql, sizeof sql, "%s%s", PAY_SELECT, where_of(by));
	/* Rows are collected one at a time but handed out after the cursor
	 * closes, because fn runs its own queries (refunds, events). */
	if (db_query(self, &c, sql, DB_PARAMS(DB_S(id)), cols, PAY_NCOLS, err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (pay_finish(&b, err) < 0) {
			rc = -1;
			break;
		}
		if (n == cap) {
			struct payment_rec *grown = realloc(rows, (cap = cap ? cap * 2 : 8) * sizeof *rows);

			if (!grown) {
				rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
				break;
			}
			rows = grown;
		}
		rows[n++] = b.rec;
	}
	db_cursor_close(c);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (fn(arg, &rows[i]) < 0)
			break;
	free(rows);
	return rc < 0 ? -1 : 0;
}

static int refunds(void *self, int64_t payment_id, int (*fn)(void *, const struct refund_rec *), void *arg,
		   struct settle_err *err)
{
	struct refund_buf b;
	struct db_col cols[REFUND_NCOLS];
	struct db_cursor *c;
	int rc;

	memset(&b, 0, sizeof b);
	refund_cols(&b, cols);
	if (db_query(self, &c, REFUND_SELECT "WHERE payment_id = ? ORDER BY id", DB_PARAMS(DB_I(payment_id)), cols,
		     REFUND_NCOLS, err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (refund_finish(&b, err) < 0) {
			rc = -1;
			break;
		}
		if (fn(arg, &b.rec) < 0)
			break;
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int events(void *self, int64_t payment_id, int (*fn)(void *, const struct payment_event_row *), void *arg,
		  struct settle_err *err)
{
	char at[40], from[32], to[32], actor[65], code[65], msg[256];
	struct payment_event_row ev = {at, from, to, actor, code, msg};
	struct db_cursor *c;
	int rc;

	if (db_query(self, &c,
		     "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'), COALESCE(from_status, ''), to_status, actor, "
		     "COALESCE(pg_code, ''), COALESCE(message, '') FROM payment_events WHERE payment_id = ? ORDER BY id",
		     DB_PARAMS(DB_I(payment_id)), DB_COLS(DC_S(at), DC_S(from), DC_S(to), DC_S(actor), DC_S(code), DC_S(msg)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (fn(arg, &ev) < 0)
			break;
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

void mysql_payment_queries(struct payment_queries *out, struct db *db)
{
	*out = (struct payment_queries){.self = db, .payments = payments, .refunds = refunds, .events = events};
}
