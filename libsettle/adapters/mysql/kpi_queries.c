/* kpi_queries.c — the KPI aggregates over MariaDB/MySQL (see ports/kpi_queries.h). */
#include "adapters/mysql/kpi_queries.h"

#include <string.h>

#include "adapters/mysql/db.h"
#include "domain/timefmt.h"

#define DONE "('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')"

struct span {
	char from[TIME_SQL_LEN], to[TIME_SQL_LEN];
};

static struct span span_of(int64_t from_us, int64_t to_us)
{
	struct span s;

	time_sql(from_us, s.from);
	time_sql(to_us, s.to);
	return s;
}

/* Runs a streaming query, calling each(arg) per row; stops at the first
 * callback error (its err is already set). */
static int stream(struct db *db, const char *sql, const struct db_param *p, size_t np, const struct db_col *c,
		  size_t nc, int (*each)(void *arg), void *arg, struct settle_err *err)
{
	struct db_cursor *cur;
	int rc;

	if (db_query(db, &cur, sql, p, np, c, nc, err) < 0)
		return -1;
	while ((rc = db_fetch(cur, err)) == 1)
		if (each(arg) < 0) {
			rc = -1;
			break;
		}
	db_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

struct a_buf {
	struct kq_attempts r;
	int (*fn)(void *, const struct kq_attempts *);
	void *arg;
};

static int a_each(void *arg)
{
	struct a_buf *b = arg;

	return b->fn(b->arg, &b->r);
}

static int attempts(void *self, int64_t from_us, int64_t to_us, int (*fn)(void *, const struct kq_attempts *),
		    void *arg, struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);
	struct a_buf b = {.fn = fn, .arg = arg};

	return stream(self,
		      "SELECT p.pg, p.method, COUNT(DISTINCT p.id), "
		      "COUNT(DISTINCT CASE WHEN p.status IN " DONE " THEN p.id END) "
		      "FROM payment_events e JOIN payments p ON p.id = e.payment_id "
		      "WHERE e.to_status = 'CONFIRMING' AND e.created_at >= ? AND e.created_at < ? "
		      "GROUP BY p.pg, p.method ORDER BY p.pg, p.method",
		      DB_PARAMS(DB_S(s.from), DB_S(s.to)),
		      DB_COLS(DC_S(b.r.pg), DC_S(b.r.method), DC_I(&b.r.attempts), DC_I(&b.r.completed)), a_each, &b, err);
}

#define APPROVED "p.approved_at IS NOT NULL AND p.approved_at >= ? AND p.approved_at < ? AND p.status IN " DONE

static int times(void *self, int64_t from_us, int64_t to_us, struct kq_times *out, struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);

	memset(out, 0, sizeof *out);
	return db_query_one(self,
			    "SELECT COUNT(*), COALESCE(SUM(GREATEST(TIMESTAMPDIFF(MICROSECOND, p.created_at, p.approved_at), 0)), 0) "
			    "FROM payments p WHERE " APPROVED,
			    DB_PARAMS(DB_S(s.from), DB_S(s.to)), DB_COLS(DC_I(&out->n), DC_I(&out->sum_us)), err) < 0
		       ? -1
		       : 0;
}

static int time_at_rank(void *self, int64_t from_us, int64_t to_us, int64_t rank, int64_t *us, struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);
	int rc;

	*us = 0;
	if (rank < 1)
		return 0;
	rc = db_query_one(self,
			  "SELECT GREATEST(TIMESTAMPDIFF(MICROSECOND, p.created_at, p.approved_at), 0) AS t FROM payments p "
			  "WHERE " APPROVED " ORDER BY t LIMIT 1 OFFSET ?",
			  DB_PARAMS(DB_S(s.from), DB_S(s.to), DB_I(rank - 1)), DB_COLS(DC_I(us)), err);
	return rc < 0 ? -1 : 0;
}

static int orders(void *self, int64_t from_us, int64_t to_us, struct kq_orders *out, struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);

	memset(out, 0, sizeof *out);
	return db_query_one(self,
			    "SELECT COUNT(*), COALESCE(SUM(p.status IN " DONE "), 0) FROM payments p "
			    "WHERE p.created_at >= ? AND p.created_at < ?",
			    DB_PARAMS(DB_S(s.from), DB_S(s.to)), DB_COLS(DC_I(&out->orders), DC_I(&out->converted)), err) < 0
		       ? -1
		       : 0;
}

struct m_buf {
	struct kq_month r;
	int (*fn)(void *, const struct kq_month *);
	void *arg;
};

static int m_each(void *arg)
{
	struct m_buf *b = arg;

	return b->fn(b->arg, &b->r);
}

static int months(void *self, int64_t from_us, int64_t to_us, int (*fn)(void *, const struct kq_month *), void *arg,
		  struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);
	struct m_buf b = {.fn = fn, .arg = arg};

	/* Korea time is UTC+9 without daylight saving: a fixed interval. */
	return stream(self,
		      "SELECT DATE_FORMAT(p.approved_at + INTERVAL 9 HOUR, '%Y-%m') AS m, p.currency, COUNT(*), "
		      "SUM(p.amount) FROM payments p WHERE " APPROVED " GROUP BY m, p.currency ORDER BY m, p.currency",
		      DB_PARAMS(DB_S(s.from), DB_S(s.to)),
		      DB_COLS(DC_S(b.r.month), DC_S(b.r.currency), DC_I(&b.r.payments), DC_I(&b.r.amount)), m_each, &b,
		      err);
}

struct p_buf {
	struct kq_pod r;
	int (*fn)(void *, const struct kq_pod *);
	void *arg;
};

static int p_each(void *arg)
{
	struct p_buf *b = arg;

	return b->fn(b->arg, &b->r);
}

static int pods(void *self, int64_t from_us, int64_t to_us, int (*fn)(void *, const struct kq_pod *), void *arg,
		struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);
	struct p_buf b = {.fn = fn, .arg = arg};

	return stream(self,
		      "SELECT k.pod_id, k.currency, COALESCE(pa.n, 0), COALESCE(pa.amount, 0), COALESCE(rf.n, 0), "
		      "COALESCE(rf.amount, 0), COALESCE(rf.pn, 0), COALESCE(rf.pamount, 0), COALESCE(rf.onum, 0), "
		      "COALESCE(rf.oamount, 0) FROM ("
		      " SELECT p.pod_id, p.currency FROM payments p WHERE " APPROVED
		      " UNION SELECT p.pod_id, r.currency FROM refunds r JOIN payments p ON p.id = r.payment_id "
		      "  WHERE r.status = 'COMPLETED' AND r.created_at >= ? AND r.created_at < ?) k "
		      "LEFT JOIN (SELECT p.pod_id, p.currency, COUNT(*) AS n, SUM(p.amount) AS amount FROM payments p "
		      "  WHERE " APPROVED " GROUP BY p.pod_id, p.currency) pa "
		      " ON pa.pod_id = k.pod_id AND pa.currency = k.currency "
		      "LEFT JOIN (SELECT p.pod_id, r.currency, COUNT(DISTINCT r.payment_id) AS n, SUM(r.amount) AS amount, "
		      "  COUNT(DISTINCT CASE WHEN r.basis = 'POLICY' THEN r.payment_id END) AS pn, "
		      "  SUM(CASE WHEN r.basis = 'POLICY' THEN r.amount ELSE 0 END) AS pamount, "
		      "  COUNT(DISTINCT CASE WHEN r.basis = 'OVERRIDE' THEN r.payment_id END) AS onum, "
		      "  SUM(CASE WHEN r.basis = 'OVERRIDE' THEN r.amount ELSE 0 END) AS oamount "
		      "  FROM refunds r JOIN payments p ON p.id = r.payment_id "
		      "  WHERE r.status = 'COMPLETED' AND r.created_at >= ? AND r.created_at < ? GROUP BY p.pod_id, r.currency) rf "
		      " ON rf.pod_id = k.pod_id AND rf.currency = k.currency "
		      "ORDER BY k.pod_id, k.currency",
		      DB_PARAMS(DB_S(s.from), DB_S(s.to), DB_S(s.from), DB_S(s.to), DB_S(s.from), DB_S(s.to), DB_S(s.from),
				DB_S(s.to)),
		      DB_COLS(DC_S(b.r.pod_id), DC_S(b.r.currency), DC_I(&b.r.payments), DC_I(&b.r.amount),
			      DC_I(&b.r.refunds), DC_I(&b.r.refunded), DC_I(&b.r.policy_n), DC_I(&b.r.policy_amount),
			      DC_I(&b.r.override_n), DC_I(&b.r.override_amount)),
		      p_each, &b, err);
}

static int disputes(void *self, int64_t from_us, int64_t to_us, struct kq_disputes *out, struct settle_err *err)
{
	struct span s = span_of(from_us, to_us);

	memset(out, 0, sizeof *out);
	return db_query_one(self,
			    "SELECT COUNT(*), COALESCE(SUM(status = 'OPEN'), 0), COALESCE(SUM(resolution = 'RELEASE'), 0), "
			    "COALESCE(SUM(resolution = 'REFUND'), 0), COALESCE(SUM(resolution = 'SPLIT'), 0) "
			    "FROM disputes WHERE opened_at >= ? AND opened_at < ?",
			    DB_PARAMS(DB_S(s.from), DB_S(s.to)),
			    DB_COLS(DC_I(&out->opened), DC_I(&out->open), DC_I(&out->released), DC_I(&out->refunded),
				    DC_I(&out->split)),
			    err) < 0
		       ? -1
		       : 0;
}

void mysql_kpi_queries(struct kpi_queries *out, struct db *db)
{
	*out = (struct kpi_queries){.self = db,
				    .attempts = attempts,
				    .times = times,
				    .time_at_rank = time_at_rank,
				    .orders = orders,
				    .months = months,
				    .pods = pods,
				    .disputes = disputes};
}
