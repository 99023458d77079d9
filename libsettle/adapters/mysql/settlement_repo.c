/* settlement_repo.c — settle-run's queries over MariaDB/MySQL (see ports/settlement_repo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/sql_rows.h"
#include "adapters/mysql/uow.h"
#include "domain/money.h"

/* " AND x.pod_id IN (?,…)" with the pods appended to p. */
static const char *pods_clause(const struct settle_filter *f, const char *col, char *buf, size_t len,
			       struct db_param *p, size_t *np)
{
	char marks[2 * 64 + 1];

	buf[0] = '\0';
	if (!f->n_pods)
		return buf;
	snprintf(buf, len, " AND %s IN (%s)", col, sql_placeholders(marks, sizeof marks, f->n_pods));
	for (size_t i = 0; i < f->n_pods; i++)
		p[(*np)++] = DB_S(f->pods[i]);
	return buf;
}

/* Settlements and clawbacks of a leader that no live payout carries. */
#define UNCARRIED_SETTLEMENTS                                                                                   \
	"SELECT s.id FROM settlements s WHERE s.leader_id = l.leader_id AND NOT EXISTS (SELECT 1 FROM payout_items i " \
	"WHERE i.item_kind = 'SETTLEMENT' AND i.item_id = s.id AND i.live = 1)"
#define UNCARRIED_CLAWBACKS                                                                                     \
	"SELECT c.id FROM clawbacks c WHERE c.leader_id = l.leader_id AND c.leader_part > 0 AND NOT EXISTS (SELECT 1 " \
	"FROM payout_items i WHERE i.item_kind = 'CLAWBACK' AND i.item_id = c.id AND i.live = 1)"

/* " AND col IN (?,…)" for the leaders' ids, appended to p (a fresh string). */
static char *leaders_in(const char *head, const struct leader_rec *l, size_t n, const char *tail, struct db_param *p,
			size_t *np)
{
	for (size_t i = 0; i < n; i++)
		p[(*np)++] = DB_S(l[i].leader_id);
	return sql_rows(head, n, "?", tail);
}

static int claim_leaders(void *self, struct uow *tx, const struct settle_filter *f, struct leader_rec *out, size_t cap,
			 size_t *n, struct settle_err *err)
{
	struct db_param p[70];
	size_t np = 0;
	char sql[2048], pods[256], kind[32] = "";
	struct leader_rec r;
	struct db_cursor *c;
	int64_t has_account = 0;
	int rc;

	*n = 0;
	if (f->n_pods > 64)
		return err_set(err, SETTLE_EX_USAGE, "at most 64 pods at once");
	memset(&r, 0, sizeof r);
	p[np++] = DB_I(f->after_row_id);
	p[np++] = DB_I(f->upto_row_id ? f->upto_row_id : INT64_MAX);
	pods_clause(f, "d.pod_id", pods, sizeof pods, p, &np);
	p[np++] = DB_I((int64_t)cap);
	/* With --pod, only the leaders of those pods; otherwise also the
	 * leaders who only have items left to carry. */
	snprintf(sql, sizeof sql,
		 "SELECT l.id, l.leader_id, l.kind, l.account_enc IS NOT NULL, COALESCE(l.toss_seller_id, '') "
		 "FROM leaders l WHERE l.id > ? AND l.id <= ? AND (EXISTS (SELECT 1 FROM escrows e JOIN pods d ON d.pod_id = e.pod_id "
		 "WHERE d.leader_id = l.leader_id AND e.status = 'RELEASED' AND e.settlement_id IS NULL "
		 "AND e.released_amount > 0%s)%s) ORDER BY l.id LIMIT ? FOR UPDATE SKIP LOCKED",
		 pods, f->n_pods ? "" : " OR EXISTS (" UNCARRIED_SETTLEMENTS ") OR EXISTS (" UNCARRIED_CLAWBACKS ")");
	if (db_query(uow_db(tx, self), &c, sql, p, np,
		     DB_COLS(DC_I(&r.row_id), DC_S(r.leader_id), DC_S(kind), DC_I(&has_account), DC_S(r.seller_id)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (*n == cap) {
			rc = err_set(err, SETTLE_EX_SOFTWARE, "more than %zu leaders claimed", cap);
			break;
		}
		r.has_account = has_account != 0;
		if (leader_kind_parse(kind, &r.kind) < 0) {
			rc = err_set(err, SETTLE_EX_DATAERR, "leader %s has unknown kind %s", r.leader_id, kind);
			break;
		}
		out[(*n)++] = r;
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int pods_to_settle(void *self, struct uow *tx, const struct leader_rec *leaders, size_t n_leaders,
			  const struct settle_filter *f, pod_release_fn fn, void *arg, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	struct db_param *p = calloc(n_leaders + 64, sizeof *p);
	size_t np = 0;
	char *in = NULL, *sql = NULL, pods[256], pod[65], leader[65], cur[4];
	struct db_cursor *c = NULL;
	struct pod_release r;
	int64_t fee_bps = 0, released = 0;
	int have = 0, rc = -1;

	if (!p || !(in = leaders_in("d.leader_id IN (", leaders, n_leaders, ")", p, &np)) ||
	    !(sql = malloc(strlen(in) + 1024))) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	pods_clause(f, "d.pod_id", pods, sizeof pods, p, &np);
	/* One locking read, summed here: a locking read sees what another
	 * runner committed (its escrows are settled by then, so not seen),
	 * where a plain read would see this transaction's older snapshot and
	 * settle the same money twice (found by `make bench` part (d)). */
	sprintf(sql,
		"SELECT d.pod_id, d.leader_id, COALESCE(d.fee_bps, -1), e.released_amount, e.currency "
		"FROM escrows e JOIN pods d ON d.pod_id = e.pod_id WHERE %s AND e.status = 'RELEASED' "
		"AND e.settlement_id IS NULL AND e.released_amount > 0%s ORDER BY d.leader_id, d.pod_id, e.currency "
		"FOR UPDATE",
		in, pods);
	if (db_query(db, &c, sql, p, np, DB_COLS(DC_S(pod), DC_S(leader), DC_I(&fee_bps), DC_I(&released), DC_S(cur)),
		     err) < 0)
		goto out;
	memset(&r, 0, sizeof r);
	while ((rc = db_fetch(c, err)) == 1) {
		if (have && (strcmp(r.pod_id, pod) || strcmp(r.currency, cur))) {
			if (fn(arg, &r, err) < 0) {
				rc = -1;
				break;
			}
			have = 0;
		}
		if (!have) {
			memset(&r, 0, sizeof r);
			snprintf(r.pod_id, sizeof r.pod_id, "%s", pod);
			snprintf(r.leader_id, sizeof r.leader_id, "%s", leader);
			snprintf(r.currency, sizeof r.currency, "%s", cur);
			r.fee_bps = (int)fee_bps;
			have = 1;
		}
		if (i64_add(&r.total, r.total, released) < 0) {
			rc = err_set(err, SETTLE_EX_DATAERR, "pod %s: released total overflows", pod);
			break;
		}
		r.escrows++;
	}
	if (rc == 0 && have)
		rc = fn(arg, &r, err);
out:
	if (c)
		db_cursor_close(c);
	free(p);
	free(in);
	free(sql);
	return rc < 0 ? -1 : 0;
}

/* Rows per multi-row INSERT (13 placeholders a row). */
#define CHUNK 1000

static int insert_chunk(struct db *db, struct settlement_rec *s, size_t n, const char *now, struct settle_err *err)
{
	struct db_param *p = calloc(n * 13 + 1, sizeof *p);
	char *ins = sql_rows("INSERT INTO settlements (public_id, pod_id, leader_id, currency, fee_bps, total, fee, "
			     "supply, vat, leader_share, withholding, net, status, created_at, updated_at) VALUES ",
			     n, "(?,?,?,?,?,?,?,?,?,?,0,?,'COMPLETED',?,?)", "");
	char *tie = sql_rows("UPDATE escrows e JOIN settlements s ON s.pod_id = e.pod_id AND s.currency = e.currency "
			     "SET e.settlement_id = s.id, e.updated_at = ? WHERE e.status = 'RELEASED' "
			     "AND e.settlement_id IS NULL AND e.released_amount > 0 AND s.public_id IN (",
			     n, "?", ")");
	uint64_t tied = 0;
	int64_t summed = 0;
	size_t np = 0;
	int rc = -1;

	if (!p || !ins || !tie) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct settlement_split *x = &s[i].split;

		if (public_id(s[i].public_id, sizeof s[i].public_id, "set_", err) < 0)
			goto out;
		p[np++] = DB_S(s[i].public_id);
		p[np++] = DB_S(s[i].pod_id);
		p[np++] = DB_S(s[i].leader_id);
		p[np++] = DB_S(s[i].currency);
		p[np++] = DB_I(s[i].fee_bps);
		p[np++] = DB_I(x->total);
		p[np++] = DB_I(x->fee);
		p[np++] = DB_I(x->supply);
		p[np++] = DB_I(x->vat);
		p[np++] = DB_I(x->leader_share);
		p[np++] = DB_I(x->leader_share);
		p[np++] = DB_S(now);
		p[np++] = DB_S(now);
		summed += s[i].escrows;
	}
	if (db_exec(db, ins, p, np, NULL, NULL, err) < 0)
		goto out;
	np = 0;
	p[np++] = DB_S(now);
	for (size_t i = 0; i < n; i++)
		p[np++] = DB_S(s[i].public_id);
	if (db_exec(db, tie, p, np, &tied, NULL, err) < 0)
		goto out;
	/* A second guard: the settlements take exactly the escrows summed. */
	if ((int64_t)tied != summed) {
		err_set(err, SETTLE_EX_TEMPFAIL, "%llu escrows to tie to %zu settlement(s) (pod %s%s), %lld summed; "
			"another runner moved them, nothing was kept", (unsigned long long)tied, n, s[0].pod_id,
			n > 1 ? " and others" : "", (long long)summed);
		goto out;
	}
	rc = 0;
out:
	free(p);
	free(ins);
	free(tie);
	return rc;
}

static int insert(void *self, struct uow *tx, struct settlement_rec *s, size_t n, const char *now,
		  struct settle_err *err)
{
	for (size_t off = 0; off < n; off += CHUNK)
		if (insert_chunk(uow_db(tx, self), s + off, n - off < CHUNK ? n - off : CHUNK, now, err) < 0)
			return -1;
	return 0;
}

static int carryable(void *self, struct uow *tx, const struct leader_rec *leaders, size_t n_leaders, carry_item_fn fn,
		     void *arg, struct settle_err *err)
{
	struct db_param *p = calloc(2 * n_leaders, sizeof *p);
	char *a = NULL, *b = NULL, *sql = NULL, kind[16], leader[65];
	struct db_cursor *c = NULL;
	struct carry_item it;
	size_t np = 0, at = 0;
	int rc = -1;

	if (!p || !(a = leaders_in("s.leader_id IN (", leaders, n_leaders, ")", p, &np)) ||
	    !(b = leaders_in("c.leader_id IN (", leaders, n_leaders, ")", p, &np)) ||
	    !(sql = malloc(strlen(a) + strlen(b) + 1024))) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	sprintf(sql,
		"SELECT s.leader_id, 'SETTLEMENT', s.id, s.leader_share, s.currency FROM settlements s WHERE %s "
		"AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.item_kind = 'SETTLEMENT' AND i.item_id = s.id "
		"AND i.live = 1) "
		"UNION ALL SELECT c.leader_id, 'CLAWBACK', c.id, -c.leader_part, c.currency FROM clawbacks c WHERE %s "
		"AND c.leader_part > 0 AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.item_kind = 'CLAWBACK' "
		"AND i.item_id = c.id AND i.live = 1) ORDER BY 1, 2 DESC, 3",
		a, b);
	memset(&it, 0, sizeof it);
	if (db_query(uow_db(tx, self), &c, sql, p, np,
		     DB_COLS(DC_S(leader), DC_S(kind), DC_I(&it.id), DC_I(&it.amount), DC_S(it.currency)), err) < 0)
		goto out;
	while ((rc = db_fetch(c, err)) == 1) {
		/* Rows come by leader id: find the leader once per change. */
		if (strcasecmp(leaders[at].leader_id, leader)) {
			for (at = 0; at < n_leaders && strcasecmp(leaders[at].leader_id, leader); at++)
				;
			if (at == n_leaders) {
				rc = err_set(err, SETTLE_EX_SOFTWARE, "item of leader %s, who was not asked about", leader);
				break;
			}
		}
		it.kind = strcmp(kind, "CLAWBACK") ? CARRY_SETTLEMENT : CARRY_CLAWBACK;
		if (fn(arg, at, &it, err) < 0) {
			rc = -1;
			break;
		}
	}
out:
	if (c)
		db_cursor_close(c);
	free(p);
	free(a);
	free(b);
	free(sql);
	return rc < 0 ? -1 : 0;
}

static int pod_known(void *self, struct uow *tx, const char *pod_id, struct settle_err *err)
{
	int64_t n = 0;

	if (db_query_one(uow_db(tx, self), "SELECT COUNT(*) FROM pods WHERE pod_id = ?", DB_PARAMS(DB_S(pod_id)),
			 DB_COLS(DC_I(&n)), err) < 0)
		return -1;
	return n > 0;
}

static int unknown_leaders(void *self, struct uow *tx, int64_t *leaders, int64_t *pods, struct settle_err *err)
{
	return db_query_one(uow_db(tx, self),
			    "SELECT COUNT(DISTINCT d.leader_id), COUNT(DISTINCT d.pod_id) FROM escrows e "
			    "JOIN pods d ON d.pod_id = e.pod_id LEFT JOIN leaders l ON l.leader_id = d.leader_id "
			    "WHERE e.status = 'RELEASED' AND e.settlement_id IS NULL AND e.released_amount > 0 "
			    "AND l.id IS NULL",
			    DB_NOPARAMS, DB_COLS(DC_I(leaders), DC_I(pods)), err) < 0
		       ? -1
		       : 0;
}

/* Two reads, run only when a unit was lost to another runner (Galera). */
#define HAS_RELEASED                                                                                          \
	"EXISTS (SELECT 1 FROM escrows e JOIN pods d ON d.pod_id = e.pod_id WHERE d.leader_id = l.leader_id "  \
	"AND e.status = 'RELEASED' AND e.settlement_id IS NULL AND e.released_amount > 0)"

static int pick_leader(void *self, struct uow *tx, uint64_t r, int64_t *row_id, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	int64_t n = 0;

	*row_id = 0;
	if (db_query_one(db, "SELECT COUNT(*) FROM leaders l WHERE " HAS_RELEASED, DB_NOPARAMS, DB_COLS(DC_I(&n)),
			 err) < 0)
		return -1;
	if (n == 0)
		return 0;
	return db_query_one(db, "SELECT l.id FROM leaders l WHERE " HAS_RELEASED " ORDER BY l.id LIMIT 1 OFFSET ?",
			    DB_PARAMS(DB_I((int64_t)(r % (uint64_t)n))), DB_COLS(DC_I(row_id)), err) < 0
		       ? -1
		       : 0;
}

void mysql_settlement_repo(struct settlement_repo *out, struct db *db)
{
	*out = (struct settlement_repo){.self = db,
					.claim_leaders = claim_leaders,
					.pick_leader = pick_leader,
					.pods_to_settle = pods_to_settle,
					.insert = insert,
					.carryable = carryable,
					.pod_known = pod_known,
					.unknown_leaders = unknown_leaders};
}
