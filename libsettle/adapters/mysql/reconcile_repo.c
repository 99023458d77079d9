/*
 * reconcile_repo.c — our side of PG reconciliation over MariaDB/MySQL:
 * captures and completed refunds of a period, streamed; the booked PG
 * settlement records (schema/007_reconcile.sql).
 */
#include "adapters/mysql/reconcile_repo.h"

#include <stdio.h>
#include <string.h>

#include "adapters/mysql/uow.h"
#include "domain/release.h"
#include "domain/timefmt.h"

/* A capture is the payment's approval; a refund's instant is its journal
 * entry (when the books took it), as no other column says when it ended.
 * Ordered by payment key, so one payment's events come together. */
static const char ours_sql[] =
	"SELECT p.payment_key, p.order_id, p.public_id, 1, '', p.amount, p.currency, "
	"DATE_FORMAT(p.approved_at, '%Y-%m-%d %H:%i:%s') AS at FROM payments p "
	"WHERE p.pg = ? AND p.payment_key IS NOT NULL AND p.approved_at >= ? AND p.approved_at < ? "
	"AND p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED') "
	"UNION ALL "
	"SELECT p.payment_key, p.order_id, r.public_id, 2, COALESCE(r.pg_transaction_key, ''), -r.amount, r.currency, "
	"DATE_FORMAT(e.created_at, '%Y-%m-%d %H:%i:%s') FROM refunds r JOIN payments p ON p.id = r.payment_id "
	"JOIN journal_entries e ON e.entry_key = CONCAT('refund:', r.public_id) "
	"WHERE p.pg = ? AND r.status = 'COMPLETED' AND e.created_at >= ? AND e.created_at < ? "
	"ORDER BY 1, 4, 8, 3";

static int ours(void *self, const char *pg, const char *from_utc, const char *to_utc, recon_ours_fn fn, void *arg,
		struct settle_err *err)
{
	struct db_cursor *c;
	struct recon_ours o;
	char at[32];
	int64_t kind = 0;
	int rc;

	memset(&o, 0, sizeof o);
	if (db_query((struct db *)self, &c, ours_sql,
		     DB_PARAMS(DB_S(pg), DB_S(from_utc), DB_S(to_utc), DB_S(pg), DB_S(from_utc), DB_S(to_utc)),
		     DB_COLS(DC_S(o.payment_key), DC_S(o.order_id), DC_S(o.ref), DC_I(&kind), DC_S(o.transaction_key),
			     DC_I(&o.amount), DC_S(o.currency), DC_S(at)),
		     err) < 0)
		return -1;
	snprintf(o.pg, sizeof o.pg, "%s", pg);
	while ((rc = db_fetch(c, err)) == 1) {
		int64_t us;

		o.kind = kind == 2 ? RECON_CANCEL : RECON_PAYMENT;
		if (time_parse_utc(at, &us) < 0) {
			rc = err_set(err, SETTLE_EX_SOFTWARE, "%s: bad time %s", o.ref, at);
			break;
		}
		kst_date(us, o.date);
		if (fn(arg, &o, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int payment_known(void *self, const char *pg, const char *payment_key, struct settle_err *err)
{
	int64_t one = 0;

	return db_query_one((struct db *)self,
			    "SELECT 1 FROM payments WHERE pg = ? AND payment_key = ? "
			    "AND CAST(payment_key AS BINARY) = CAST(? AS BINARY)",
			    DB_PARAMS(DB_S(pg), DB_S(payment_key), DB_S(payment_key)), DB_COLS(DC_I(&one)), err);
}

static int book(void *self, struct uow *tx, const struct recon_record *r, const char *ref, const char *entry_key,
		const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	uint64_t affected = 0;

	/* Written once (the app user may not UPDATE the table): a row already
	 * there is a duplicate key, which fails only this statement — booked
	 * before, by an earlier or a parallel run. */
	if (db_exec(db,
		    "INSERT INTO pg_settlement_records (pg, transaction_key, payment_key, kind, amount, fee, payout, "
		    "currency, sold_date, paid_out_date, matched_ref, entry_key, booked_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    DB_PARAMS(DB_S(r->pg), DB_S(r->transaction_key), DB_S(r->payment_key), DB_S(recon_kind_name(r->kind)),
			      DB_I(r->amount), DB_I(r->fee), DB_I(r->payout), DB_S(r->currency), DB_S(r->sold_date),
			      DB_S(r->paid_out_date), DB_S(ref), DB_SN(entry_key), DB_S(now)),
		    &affected, NULL, err) < 0) {
		if (!db_is_duplicate(db_last_errno(db)))
			return -1;
		err_clear(err);
		return 0;
	}
	return affected == 1;
}

void mysql_reconcile_repo(struct reconcile_repo *out, struct db *db)
{
	*out = (struct reconcile_repo){.self = db, .ours = ours, .payment_known = payment_known, .book = book};
}
