/* settlement_repo.c — settle-run's queries over MariaDB/MySQL (see ports/settlement_repo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/payment_rows.h"
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

static int next_leader(void *self, struct uow *tx, const struct settle_filter *f, struct leader_rec *out,
		       struct settle_err *err)
{
	struct db_param p[70];
	size_t np = 0;
	char sql[2048], pods[256], kind[32] = "";
	int64_t has_account = 0;
	int rc;

	if (f->n_pods > 64)
		return err_set(err, SETTLE_EX_USAGE, "at most 64 pods at once");
	memset(out, 0, sizeof *out);
	p[np++] = DB_I(f->after_row_id);
	pods_clause(f, "d.pod_id", pods, sizeof pods, p, &np);
	/* With --pod, only the leaders of those pods; otherwise also the
	 * leaders who only have items left to carry. */
	snprintf(sql, sizeof sql,
		 "SELECT l.id, l.leader_id, l.kind, l.account_enc IS NOT NULL, COALESCE(l.toss_seller_id, '') "
		 "FROM leaders l WHERE l.id > ? AND (EXISTS (SELECT 1 FROM escrows e JOIN pods d ON d.pod_id = e.pod_id "
		 "WHERE d.leader_id = l.leader_id AND e.status = 'RELEASED' AND e.settlement_id IS NULL "
		 "AND e.released_amount > 0%s)%s) ORDER BY l.id LIMIT 1 FOR UPDATE SKIP LOCKED",
		 pods, f->n_pods ? "" : " OR EXISTS (" UNCARRIED_SETTLEMENTS ") OR EXISTS (" UNCARRIED_CLAWBACKS ")");
	rc = db_query_one(uow_db(tx, self), sql, p, np,
			  DB_COLS(DC_I(&out->row_id), DC_S(out->leader_id), DC_S(kind), DC_I(&has_account),
				  DC_S(out->toss_seller_id)),
			  err);
	if (rc == 1) {
		out->has_account = has_account != 0;
		if (leader_kind_parse(kind, &out->kind) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "leader %s has unknown kind %s", out->leader_id, kind);
	}
	return rc;
}

static int pods_to_settle(void *self, struct uow *tx, const char *leader_id, const struct settle_filter *f,
			  struct pod_release *out, size_t cap, size_t *n, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	struct db_param p[70];
	size_t np = 0;
	char sql[2048], pods[256], pod[65], leader[65], cur[4];
	struct db_cursor *c;
	int64_t fee_bps = 0, released = 0;
	int rc;

	*n = 0;
	p[np++] = DB_S(leader_id);
	pods_clause(f, "d.pod_id", pods, sizeof pods, p, &np);
	/* One locking read, summed here: a locking read sees what another
	 * runner committed (its escrows are settled by then, so not seen),
	 * where a plain read would see this transaction's older snapshot and
	 * settle the same money twice (found by `make bench` part (d)). */
	snprintf(sql, sizeof sql,
		 "SELECT d.pod_id, d.leader_id, COALESCE(d.fee_bps, -1), e.released_amount, e.currency "
		 "FROM escrows e JOIN pods d ON d.pod_id = e.pod_id WHERE d.leader_id = ? AND e.status = 'RELEASED' "
		 "AND e.settlement_id IS NULL AND e.released_amount > 0%s ORDER BY d.pod_id, e.currency FOR UPDATE",
		 pods);
	if (db_query(db, &c, sql, p, np,
		     DB_COLS(DC_S(pod), DC_S(leader), DC_I(&fee_bps), DC_I(&released), DC_S(cur)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		struct pod_release *r = *n ? &out[*n - 1] : NULL;

		if (!r || strcmp(r->pod_id, pod) || strcmp(r->currency, cur)) {
			if (*n == cap) {
				rc = err_set(err, SETTLE_EX_SOFTWARE, "leader %s has more than %zu pods to settle at once",
					     leader_id, cap);
				break;
			}
			r = &out[(*n)++];
			memset(r, 0, sizeof *r);
			snprintf(r->pod_id, sizeof r->pod_id, "%s", pod);
			snprintf(r->leader_id, sizeof r->leader_id, "%s", leader);
			snprintf(r->currency, sizeof r->currency, "%s", cur);
			r->fee_bps = (int)fee_bps;
		}
		if (i64_add(&r->total, r->total, released) < 0) {
			rc = err_set(err, SETTLE_EX_DATAERR, "pod %s: released total overflows", pod);
			break;
		}
		r->escrows++;
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int insert(void *self, struct uow *tx, struct settlement_rec *s, const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	const struct settlement_split *x = &s->split;
	uint64_t id = 0, tied = 0;

	if (public_id(s->public_id, sizeof s->public_id, "set_", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO settlements (public_id, pod_id, leader_id, currency, fee_bps, total, fee, supply, vat, "
		    "leader_share, withholding, net, status, created_at, updated_at) "
		    "VALUES (?,?,?,?,?,?,?,?,?,?, 0, ?, 'COMPLETED', ?, ?)",
		    DB_PARAMS(DB_S(s->public_id), DB_S(s->pod_id), DB_S(s->leader_id), DB_S(s->currency), DB_I(s->fee_bps),
			      DB_I(x->total), DB_I(x->fee), DB_I(x->supply), DB_I(x->vat), DB_I(x->leader_share),
			      DB_I(x->leader_share), DB_S(now), DB_S(now)),
		    NULL, &id, err) < 0)
		return -1;
	s->id = (int64_t)id;
	if (db_exec(db,
		    "UPDATE escrows SET settlement_id = ?, updated_at = ? WHERE pod_id = ? AND currency = ? "
		    "AND status = 'RELEASED' AND settlement_id IS NULL AND released_amount > 0",
		    DB_PARAMS(DB_I(s->id), DB_S(now), DB_S(s->pod_id), DB_S(s->currency)), &tied, NULL, err) < 0)
		return -1;
	/* A second guard: the settlement takes exactly the escrows it summed. */
	if ((int64_t)tied != s->escrows)
		return err_set(err, SETTLE_EX_TEMPFAIL, "pod %s: %llu escrows to tie to settlement %s, %lld summed; "
			       "another runner moved them, nothing was kept", s->pod_id, (unsigned long long)tied,
			       s->public_id, (long long)s->escrows);
	return 0;
}

static int carryable(void *self, struct uow *tx, const char *leader_id, struct carry_item *out, size_t cap, size_t *n,
		     struct settle_err *err)
{
	struct db_cursor *c;
	struct carry_item it;
	char kind[16];
	int rc;

	*n = 0;
	memset(&it, 0, sizeof it);
	if (db_query(uow_db(tx, self), &c,
		     "SELECT 'SETTLEMENT', s.id, s.leader_share, s.currency FROM settlements s WHERE s.leader_id = ? "
		     "AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.item_kind = 'SETTLEMENT' AND i.item_id = s.id "
		     "AND i.live = 1) "
		     "UNION ALL SELECT 'CLAWBACK', c.id, -c.leader_part, c.currency FROM clawbacks c WHERE c.leader_id = ? "
		     "AND c.leader_part > 0 AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.item_kind = 'CLAWBACK' "
		     "AND i.item_id = c.id AND i.live = 1) ORDER BY 1 DESC, 2",
		     DB_PARAMS(DB_S(leader_id), DB_S(leader_id)),
		     DB_COLS(DC_S(kind), DC_I(&it.id), DC_I(&it.amount), DC_S(it.currency)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (*n == cap) {
			rc = err_set(err, SETTLE_EX_SOFTWARE, "leader %s has more than %zu items to carry", leader_id, cap);
			break;
		}
		it.kind = strcmp(kind, "CLAWBACK") ? CARRY_SETTLEMENT : CARRY_CLAWBACK;
		out[(*n)++] = it;
	}
	db_cursor_close(c);
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

void mysql_settlement_repo(struct settlement_repo *out, struct db *db)
{
	*out = (struct settlement_repo){.self = db,
					.next_leader = next_leader,
					.pods_to_settle = pods_to_settle,
					.insert = insert,
					.carryable = carryable,
					.pod_known = pod_known,
					.unknown_leaders = unknown_leaders};
}
