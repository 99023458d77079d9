/* fake_claims.c — the generic claims port in memory (adapters/mysql/claims.c).
 * A queue names a table and columns; the fake resolves them against its
 * own tables, so an unknown table or column fails as the SQL would. Work
 * rows: in the queue's state, open column NULL, age column <= now − min_age,
 * due column NULL or <= now, and not claimed by a live lease; oldest key
 * first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/timefmt.h"
#include "fakes/fakes.h"

/* One row of a queue's table as the claims see it. */
struct qrow {
	int64_t id;
	const char *state;
	char *claimed_until, *claimed_by;
	size_t until_len, by_len;
	const char *(*col)(const void *row, const char *name, int *ok);
	const void *row;
};

static const char *pay_col(const void *r, const char *name, int *ok)
{
	const struct fake_payment_row *p = r;

	*ok = 1;
	if (!strcmp(name, "updated_at"))
		return p->updated_at;
	if (!strcmp(name, "created_at"))
		return p->created_at;
	if (!strcmp(name, "next_check_at"))
		return p->rec.next_check_at;
	if (!strcmp(name, "status"))
		return payment_status_name(p->rec.status);
	*ok = 0;
	return NULL;
}

static const char *ref_col(const void *r, const char *name, int *ok)
{
	const struct fake_refund_row *f = r;

	*ok = 1;
	if (!strcmp(name, "updated_at"))
		return f->updated_at;
	if (!strcmp(name, "created_at"))
		return f->rec.created_at;
	if (!strcmp(name, "next_check_at"))
		return f->rec.next_check_at;
	if (!strcmp(name, "status"))
		return refund_status_name(f->rec.status);
	*ok = 0;
	return NULL;
}

static const char *part_col(const void *r, const char *name, int *ok)
{
	const struct fake_participation_row *q = r;

	*ok = 1;
	if (!strcmp(name, "next_attempt_at"))
		return q->next_attempt_at;
	if (!strcmp(name, "done_at"))
		return q->done_at;
	if (!strcmp(name, "refused_at"))
		return q->refused_at;
	*ok = 0;
	return NULL;
}

static const char *leader_col(const void *r, const char *name, int *ok)
{
	const struct fake_leader_row *l = r;

	*ok = 1;
	if (!strcmp(name, "seller_reg"))
		return seller_reg_name(l->rec.reg);
	if (!strcmp(name, "toss_seller_id"))
		return l->rec.seller_id;
	if (!strcmp(name, "seller_next_check_at"))
		return l->rec.next_check_at;
	if (!strcmp(name, "seller_reg_at"))
		return l->reg_at;
	*ok = 0;
	return NULL;
}

/* The i-th row of the queue's table; 0 past the end, -1 unknown table/id column. */
static int row_at(struct fake_store *s, const struct claim_queue *q, size_t i, struct qrow *out,
		  struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	if (!strcmp(q->table, "payments") && !strcmp(q->id_column, "id")) {
		struct fake_payment_row *p;

		if (i >= s->db.n_payments)
			return 0;
		p = &s->db.payments[i];
		*out = (struct qrow){p->rec.id, NULL, p->claimed_until, p->claimed_by, sizeof p->claimed_until,
				     sizeof p->claimed_by, pay_col, p};
		return 1;
	}
	if (!strcmp(q->table, "refunds") && !strcmp(q->id_column, "id")) {
		struct fake_refund_row *f;

		if (i >= s->db.n_refunds)
			return 0;
		f = &s->db.refunds[i];
		*out = (struct qrow){f->rec.id, NULL, f->claimed_until, f->claimed_by, sizeof f->claimed_until,
				     sizeof f->claimed_by, ref_col, f};
		return 1;
	}
	if (!strcmp(q->table, "participation_confirms") && !strcmp(q->id_column, "payment_id")) {
		struct fake_participation_row *r;

		if (i >= s->db.n_participation)
			return 0;
		r = &s->db.participation[i];
		*out = (struct qrow){r->rec.payment_id, NULL, r->claimed_until, r->claimed_by, sizeof r->claimed_until,
				     sizeof r->claimed_by, part_col, r};
		return 1;
	}
	if (!strcmp(q->table, "leaders") && !strcmp(q->id_column, "id")) {
		struct fake_leader_row *l;

		if (i >= s->db.n_leaders)
			return 0;
		l = &s->db.leaders[i];
		*out = (struct qrow){l->rec.id, NULL, l->claimed_until, l->claimed_by, sizeof l->claimed_until,
				     sizeof l->claimed_by, leader_col, l};
		return 1;
	}
	return err_set(err, SETTLE_EX_SOFTWARE, "fake claims: no table %s with key %s", q->table, q->id_column);
}

static int col(const struct qrow *r, const char *name, const char **v, struct settle_err *err)
{
	int ok = 0;

	*v = r->col(r->row, name, &ok);
	return ok ? 0 : err_set(err, SETTLE_EX_SOFTWARE, "fake claims: unknown column %s", name);
}

/* 1 when the row is work of the queue (due and old enough when asked). */
static int is_work(const struct claim_req *req, const struct qrow *r, int due_and_age, struct settle_err *err)
{
	const struct claim_queue *q = req->queue;
	int64_t now = fake_ts_us(req->now);
	const char *v;

	if (q->state_column) {
		if (col(r, q->state_column, &v, err) < 0)
			return -1;
		if (strcmp(v, q->state))
			return 0;
	}
	if (q->open_column) {
		if (col(r, q->open_column, &v, err) < 0)
			return -1;
		if (v[0])
			return 0;
	}
	if (due_and_age && q->age_column) {
		if (col(r, q->age_column, &v, err) < 0)
			return -1;
		if (!v[0] || fake_ts_us(v) > now - req->min_age_s * 1000000)
			return 0;
	}
	if (due_and_age && q->due_column) {
		if (col(r, q->due_column, &v, err) < 0)
			return -1;
		if (v[0] && fake_ts_us(v) > now)
			return 0;
	}
	return 1;
}

static int sort_ids(const void *a, const void *b)
{
	const struct qrow *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int claim(void *self, struct uow *tx, const struct claim_req *req, int64_t *ids, size_t *n,
		 struct settle_err *err)
{
	struct fake_store *s = self;
	struct qrow rows[FAKE_MAX_PAYMENTS + FAKE_MAX_REFUNDS], r;
	size_t n_rows = 0;
	int64_t now = fake_ts_us(req->now);
	int rc;

	(void)tx;
	*n = 0;
	for (size_t i = 0; (rc = row_at(s, req->queue, i, &r, err)) == 1; i++) {
		int w = is_work(req, &r, 1, err);

		if (w < 0)
			return -1;
		if (w && (!r.claimed_until[0] || fake_ts_us(r.claimed_until) <= now))
			rows[n_rows++] = r;
	}
	if (rc < 0)
		return -1;
	qsort(rows, n_rows, sizeof rows[0], sort_ids);
	/* SELECT … FOR UPDATE SKIP LOCKED, then one UPDATE when any came. */
	if (n_rows && fake_store_write(s, "claims.claim", err) < 0)
		return -1;
	for (size_t i = 0; i < n_rows && *n < req->limit; i++) {
		char until[FAKE_TS];

		time_sql(now + (int64_t)req->lease_s * 1000000, until);
		snprintf(rows[i].claimed_until, rows[i].until_len, "%s", until);
		snprintf(rows[i].claimed_by, rows[i].by_len, "%s", req->owner);
		ids[(*n)++] = rows[i].id;
	}
	return 0;
}

/* Rows of ids this owner holds: set (lease) or clear. */
static int update_owned(struct fake_store *s, const struct claim_req *req, int renew_lease, const int64_t *ids,
			size_t n, struct settle_err *err)
{
	struct qrow r;
	int rc;

	if (n == 0)
		return 0;
	if (fake_store_write(s, renew_lease ? "claims.renew" : "claims.release", err) < 0)
		return -1;
	for (size_t i = 0; (rc = row_at(s, req->queue, i, &r, err)) == 1; i++) {
		int mine = 0;

		for (size_t k = 0; k < n; k++)
			mine |= ids[k] == r.id;
		if (!mine || strcmp(r.claimed_by, req->owner))
			continue;
		if (renew_lease) {
			char until[FAKE_TS];

			time_sql(fake_ts_us(req->now) + (int64_t)req->lease_s * 1000000, until);
			snprintf(r.claimed_until, r.until_len, "%s", until);
		} else {
			r.claimed_until[0] = '\0';
			r.claimed_by[0] = '\0';
		}
	}
	return rc < 0 ? -1 : 0;
}

static int renew(void *self, struct uow *tx, const struct claim_req *req, const int64_t *ids, size_t n,
		 struct settle_err *err)
{
	(void)tx;
	return update_owned(self, req, 1, ids, n, err);
}

static int release(void *self, struct uow *tx, const struct claim_req *req, const int64_t *ids, size_t n,
		   struct settle_err *err)
{
	(void)tx;
	return update_owned(self, req, 0, ids, n, err);
}

static int held_by_others(void *self, struct uow *tx, const struct claim_req *req, int64_t *count, char *until,
			  size_t until_len, struct settle_err *err)
{
	struct fake_store *s = self;
	int64_t now = fake_ts_us(req->now), last = 0;
	struct qrow r;
	int rc;

	(void)tx;
	*count = 0;
	until[0] = '\0';
	/* Due or not: what another runner holds is work this run could not do. */
	for (size_t i = 0; (rc = row_at(s, req->queue, i, &r, err)) == 1; i++) {
		int w = is_work(req, &r, 0, err);

		if (w < 0)
			return -1;
		if (!w || !r.claimed_until[0] || fake_ts_us(r.claimed_until) <= now || !r.claimed_by[0] ||
		    !strcmp(r.claimed_by, req->owner))
			continue;
		(*count)++;
		if (fake_ts_us(r.claimed_until) > last)
			last = fake_ts_us(r.claimed_until);
	}
	if (rc < 0)
		return -1;
	if (*count) {
		char t[FAKE_TS];

		time_sql(last, t);
		snprintf(until, until_len, "%.19s", t);
	}
	return 0;
}

void fake_claims(struct claims_port *out, struct fake_store *s)
{
	*out = (struct claims_port){
		.self = s, .claim = claim, .renew = renew, .release = release, .held_by_others = held_by_others};
}
