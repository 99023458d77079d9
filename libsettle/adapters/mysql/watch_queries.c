/*
 * watch_queries.c — settle-watch's read model (ports/watch_queries.h) over
 * the business tables, each query bounded by an indexed time range
 * (payments and refunds by (status, updated_at), events by (pg_code,
 * created_at)), so a run costs the window's rows, not the table's.
 */
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/uow.h"
#include "adapters/mysql/watch_queries.h"
#include "domain/timefmt.h"

#define ENDED "'COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED'"

static int payment_counts(void *self, const char *since, int64_t *completed, int64_t *failed, struct settle_err *err)
{
	*completed = *failed = 0;
	return db_query_one(self,
			    "SELECT COALESCE(SUM(status <> 'FAILED'), 0), COALESCE(SUM(status = 'FAILED'), 0) "
			    "FROM payments WHERE status IN (" ENDED ") AND updated_at >= ?",
			    DB_PARAMS(DB_S(since)), DB_COLS(DC_I(completed), DC_I(failed)), err) < 0
		       ? -1
		       : 0;
}

static int stream(struct db *db, const char *sql, const struct db_param *p, size_t np, watch_row_fn fn, void *arg,
		  struct settle_err *err)
{
	struct db_cursor *c;
	char subject[96];
	int64_t a, b;
	int rc;

	if (db_query(db, &c, sql, p, np, DB_COLS(DC_S(subject), DC_I(&a), DC_I(&b)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (fn(arg, subject, a, b, err) < 0) {
			rc = -1;
			break;
		}
	db_cursor_close(c);
	return rc;
}

static int refund_counts(void *self, const char *since, watch_row_fn fn, void *arg, struct settle_err *err)
{
	/* WITH ROLLUP's total row has a NULL pod: "" is the whole platform. */
	return stream(self,
		      "SELECT COALESCE(pod, ''), SUM(paid), SUM(refunded) FROM ("
		      " SELECT pod_id AS pod, 1 AS paid, 0 AS refunded FROM payments"
		      "  WHERE status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED') AND updated_at >= ?"
		      " UNION ALL SELECT p.pod_id, 0, 1 FROM refunds r JOIN payments p ON p.id = r.payment_id"
		      "  WHERE r.status = 'COMPLETED' AND r.updated_at >= ?) x GROUP BY pod WITH ROLLUP",
		      DB_PARAMS(DB_S(since), DB_S(since)), fn, arg, err);
}

static int user_counts(void *self, const char *since, int64_t min, watch_row_fn fn, void *arg, struct settle_err *err)
{
	return stream(self,
		      "SELECT user_id, SUM(status = 'FAILED'), SUM(status <> 'FAILED') FROM payments "
		      "WHERE status IN (" ENDED ") AND updated_at >= ? GROUP BY user_id "
		      "HAVING SUM(status = 'FAILED') > ? OR SUM(status <> 'FAILED') > ?",
		      DB_PARAMS(DB_S(since), DB_I(min), DB_I(min)), fn, arg, err);
}

static int tamper_count(void *self, const char *since, int64_t *n, struct settle_err *err)
{
	*n = 0;
	return db_query_one(self,
			    "SELECT (SELECT COUNT(*) FROM amount_refusals WHERE created_at >= ?) + (SELECT COUNT(*) FROM "
			    "payment_events WHERE pg_code = 'AMOUNT_MISMATCH' AND created_at >= ?)",
			    DB_PARAMS(DB_S(since), DB_S(since)), DB_COLS(DC_I(n)), err) < 0
		       ? -1
		       : 0;
}

static int failing_pgs(void *self, const char *now, watch_row_fn fn, void *arg, struct settle_err *err)
{
	return stream(self,
		      "SELECT o.pg, TIMESTAMPDIFF(SECOND, MIN(o.at), ?), COUNT(*) FROM pg_outcomes o "
		      "LEFT JOIN (SELECT pg, MAX(at) AS last_ok FROM pg_outcomes WHERE ok = 1 GROUP BY pg) s ON s.pg = o.pg "
		      "WHERE o.ok = 0 AND (s.last_ok IS NULL OR o.at > s.last_ok) GROUP BY o.pg",
		      DB_PARAMS(DB_S(now)), fn, arg, err);
}

static int payouts_in_doubt(void *self, const char *older_than, const char *now, int64_t *n, int64_t *oldest_s,
			    struct settle_err *err)
{
	*n = *oldest_s = 0;
	return db_query_one(self,
			    "SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(updated_at), ?), 0) FROM payouts "
			    "WHERE status = 'SENDING' AND updated_at < ?",
			    DB_PARAMS(DB_S(now), DB_S(older_than)), DB_COLS(DC_I(n), DC_I(oldest_s)), err) < 0
		       ? -1
		       : 0;
}

static int job_last(void *self, const char *job, char *status, size_t status_len, char *message, size_t msg_len,
		    int64_t *last_success_us, struct settle_err *err)
{
	char st[16] = "", msg[501] = "", ok[40] = "";

	*last_success_us = 0;
	if (db_query_one(self, "SELECT status, COALESCE(message, '') FROM job_runs WHERE job = ? "
			       "ORDER BY started_at DESC, id DESC LIMIT 1",
			 DB_PARAMS(DB_S(job)), DB_COLS(DC_S(st), DC_S(msg)), err) < 0 ||
	    db_query_one(self, "SELECT COALESCE(MAX(finished_at), '') FROM job_runs WHERE job = ? AND status = 'DONE'",
			 DB_PARAMS(DB_S(job)), DB_COLS(DC_S(ok)), err) < 0)
		return -1;
	snprintf(status, status_len, "%s", st);
	snprintf(message, msg_len, "%s", msg);
	if (ok[0] && time_parse_utc(ok, last_success_us) < 0)
		*last_success_us = 0;
	return 0;
}

static int card_counts(void *self, const char *since, int64_t min, watch_card_fn fn, void *arg,
		       struct settle_err *err)
{
	struct db_cursor *c;
	char masked[33], issuer[17];
	int64_t failed, paid;
	int rc;

	/* Bounded by ix_payments_status's time range like user_counts; the
	 * card columns come from the rows in the window only. */
	if (db_query(self, &c,
		     "SELECT card_masked, COALESCE(card_issuer, ''), SUM(status = 'FAILED'), SUM(status <> 'FAILED') "
		     "FROM payments WHERE status IN (" ENDED ") AND updated_at >= ? AND card_masked IS NOT NULL "
		     "GROUP BY card_masked, card_issuer HAVING SUM(status = 'FAILED') > ? OR SUM(status <> 'FAILED') > ?",
		     DB_PARAMS(DB_S(since), DB_I(min), DB_I(min)),
		     DB_COLS(DC_S(masked), DC_S(issuer), DC_I(&failed), DC_I(&paid)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (fn(arg, masked, issuer, failed, paid, err) < 0) {
			rc = -1;
			break;
		}
	db_cursor_close(c);
	return rc;
}

static int add_alert(void *self, struct uow *tx, const struct watch_fire *f, const char *window_start,
		     const char *now, struct settle_err *err)
{
	uint64_t affected = 0;

	if (db_exec(uow_db(tx, self),
		    "INSERT INTO alerts (rule, subject, window_start, value, threshold, detail, created_at) "
		    "SELECT ?,?,?,?,?,?,? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE rule = ? AND "
		    "subject = ? AND window_start = ?)",
		    DB_PARAMS(DB_S(f->rule), DB_S(f->subject), DB_S(window_start), DB_S(f->value), DB_S(f->threshold),
			      DB_S(f->detail), DB_S(now), DB_S(f->rule), DB_S(f->subject), DB_S(window_start)),
		    &affected, NULL, err) < 0)
		return -1;
	return affected == 1;
}

void mysql_watch_queries(struct watch_queries *out, struct db *db)
{
	*out = (struct watch_queries){.self = db,
				      .payment_counts = payment_counts,
				      .refund_counts = refund_counts,
				      .user_counts = user_counts,
				      .tamper_count = tamper_count,
				      .failing_pgs = failing_pgs,
				      .payouts_in_doubt = payouts_in_doubt,
				      .job_last = job_last,
				      .card_counts = card_counts,
				      .add_alert = add_alert};
}
