/* payouts_repo.c — the payouts repository over MariaDB/MySQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/payment_rows.h"
#include "adapters/mysql/sql_rows.h"
#include "adapters/mysql/uow.h"

#define PAYOUT_SELECT                                                                                          \
	"SELECT id, public_id, leader_id, leader_kind, currency, gross, income_tax, local_tax, withholding, amount, " \
	"status, channel, idempotency_key, COALESCE(bank_reference, ''), COALESCE(failure_code, ''), "            \
	"COALESCE(failure_message, ''), COALESCE(DATE_FORMAT(business_date, '%Y-%m-%d'), ''), "                  \
	"COALESCE(DATE_FORMAT(next_check_at, '%Y-%m-%d %H:%i:%s.%f'), ''), doubt_count FROM payouts "

struct payout_buf {
	struct payout_rec r;
	char kind[32], status[32];
	int64_t doubt;
};

#define PAYOUT_NCOLS 19

static void payout_cols(struct payout_buf *b, struct db_col c[PAYOUT_NCOLS])
{
	struct payout_rec *r = &b->r;
	size_t i = 0;

	c[i++] = DC_I(&r->id);
	c[i++] = DC_S(r->public_id);
	c[i++] = DC_S(r->leader_id);
	c[i++] = DC_S(b->kind);
	c[i++] = DC_S(r->currency);
	c[i++] = DC_I(&r->gross);
	c[i++] = DC_I(&r->income_tax);
	c[i++] = DC_I(&r->local_tax);
	c[i++] = DC_I(&r->withholding);
	c[i++] = DC_I(&r->amount);
	c[i++] = DC_S(b->status);
	c[i++] = DC_S(r->channel);
	c[i++] = DC_S(r->idempotency_key);
	c[i++] = DC_S(r->bank_reference);
	c[i++] = DC_S(r->failure_code);
	c[i++] = DC_S(r->failure_message);
	c[i++] = DC_S(r->business_date);
	c[i++] = DC_S(r->next_check_at);
	c[i++] = DC_I(&b->doubt);
}

static int payout_finish(struct payout_buf *b, struct settle_err *err)
{
	b->r.doubt_count = (int)b->doubt;
	if (payout_status_parse(b->status, &b->r.status) < 0 || leader_kind_parse(b->kind, &b->r.leader_kind) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "payout %s has unknown status %s or kind %s", b->r.public_id,
			       b->status, b->kind);
	return 0;
}

static int load(struct db *db, const char *where, const struct db_param *p, size_t np, struct payout_rec *out,
		struct settle_err *err)
{
	struct payout_buf b;
	struct db_col cols[PAYOUT_NCOLS];
	char sql[1536];
	int rc;

	memset(&b, 0, sizeof b);
	payout_cols(&b, cols);
	snprintf(sql, sizeof sql, "%s%s", PAYOUT_SELECT, where);
	rc = db_query_one(db, sql, p, np, cols, PAYOUT_NCOLS, err);
	if (rc == 1) {
		if (payout_finish(&b, err) < 0)
			return -1;
		*out = b.r;
	}
	return rc;
}

/* Rows per multi-row statement: well under the 65 535 placeholders. */
#define CHUNK 1000

static int insert_chunk(struct db *db, struct payout_rec *p, size_t n, const char *now, struct settle_err *err)
{
	struct db_param *params = calloc(n * 15, sizeof *params);
	char *ins = sql_rows("INSERT INTO payouts (public_id, leader_id, leader_kind, currency, gross, income_tax, "
			     "local_tax, withholding, amount, status, channel, idempotency_key, business_date, created_at, "
			     "updated_at) VALUES ",
			     n, "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "");
	char *back = sql_rows("SELECT id, public_id FROM payouts WHERE public_id IN (", n, "?", ")");
	struct db_cursor *c = NULL;
	char pid[41];
	int64_t id = 0;
	size_t np = 0, found = 0;
	int rc = -1;

	if (!params || !ins || !back) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (public_id(p[i].public_id, sizeof p[i].public_id, "pyo_", err) < 0)
			goto out;
		/* Derived from the payout, never random: a re-send carries it again. */
		snprintf(p[i].idempotency_key, sizeof p[i].idempotency_key, "payout:%s", p[i].public_id);
		params[np++] = DB_S(p[i].public_id);
		params[np++] = DB_S(p[i].leader_id);
		params[np++] = DB_S(leader_kind_name(p[i].leader_kind));
		params[np++] = DB_S(p[i].currency);
		params[np++] = DB_I(p[i].gross);
		params[np++] = DB_I(p[i].income_tax);
		params[np++] = DB_I(p[i].local_tax);
		params[np++] = DB_I(p[i].withholding);
		params[np++] = DB_I(p[i].amount);
		params[np++] = DB_S(payout_status_name(p[i].status));
		params[np++] = DB_S(p[i].channel);
		params[np++] = DB_S(p[i].idempotency_key);
		params[np++] = DB_S(p[i].business_date);
		params[np++] = DB_S(now);
		params[np++] = DB_S(now);
	}
	if (db_exec(db, ins, params, np, NULL, NULL, err) < 0)
		goto out;
	/* On Galera the ids of one INSERT are not consecutive: read back. */
	for (size_t i = 0; i < n; i++)
		params[i] = DB_S(p[i].public_id);
	if (db_query(db, &c, back, params, n, DB_COLS(DC_I(&id), DC_S(pid)), err) < 0)
		goto out;
	while ((rc = db_fetch(c, err)) == 1)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(p[i].public_id, pid)) {
				p[i].id = id;
				found++;
				break;
			}
	db_cursor_close(c);
	if (rc == 0 && found != n)
		rc = err_set(err, SETTLE_EX_SOFTWARE, "%zu of %zu new payouts could not be read back", n - found, n);
out:
	free(params);
	free(ins);
	free(back);
	return rc < 0 ? -1 : 0;
}

static int insert(void *self, struct uow *tx, struct payout_rec *p, size_t n, const char *now, struct settle_err *err)
{
	for (size_t off = 0; off < n; off += CHUNK)
		if (insert_chunk(uow_db(tx, self), p + off, n - off < CHUNK ? n - off : CHUNK, now, err) < 0)
			return -1;
	return 0;
}

static int link_chunk(struct db *db, const struct payout_link *l, size_t n, struct settle_err *err)
{
	struct db_param *params = calloc(n * 4, sizeof *params);
	char *sql = sql_rows("INSERT INTO payout_items (payout_id, item_kind, item_id, amount) VALUES ", n, "(?,?,?,?)",
			     "");
	size_t np = 0;
	int rc = -1;

	if (!params || !sql) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		params[np++] = DB_I(l[i].payout_id);
		params[np++] = DB_S(carry_kind_name(l[i].item.kind));
		params[np++] = DB_I(l[i].item.id);
		params[np++] = DB_I(l[i].item.amount);
	}
	rc = db_exec(db, sql, params, np, NULL, NULL, err);
	if (rc < 0 && db_is_duplicate(db_last_errno(db)))
		err_set(err, SETTLE_EX_DATAERR, "an item of payout id %lld%s is already carried by a live payout",
			(long long)l[0].payout_id, n > 1 ? " or of another of the batch" : "");
out:
	free(params);
	free(sql);
	return rc < 0 ? -1 : 0;
}

static int link(void *self, struct uow *tx, const struct payout_link *links, size_t n, struct settle_err *err)
{
	for (size_t off = 0; off < n; off += CHUNK)
		if (link_chunk(uow_db(tx, self), links + off, n - off < CHUNK ? n - off : CHUNK, err) < 0)
			return -1;
	return 0;
}

static int unlink_items(void *self, struct uow *tx, int64_t payout_id, struct settle_err *err)
{
	return db_exec(uow_db(tx, self), "UPDATE payout_items SET live = NULL WHERE payout_id = ?",
		       DB_PARAMS(DB_I(payout_id)), NULL, NULL, err);
}

static int find(void *self, struct uow *tx, const char *public_id_, struct payout_rec *out, struct settle_err *err)
{
	return load(uow_db(tx, self), "WHERE public_id = ?", DB_PARAMS(DB_S(public_id_)), out, err);
}

static int lock(void *self, struct uow *tx, int64_t id, struct payout_rec *out, struct settle_err *err)
{
	int rc = load(uow_db(tx, self), "WHERE id = ? FOR UPDATE", DB_PARAMS(DB_I(id)), out, err);

	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "payout id %lld does not exist", (long long)id);
	return rc < 0 ? -1 : 0;
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct payout_rec *out, size_t *n_out,
		     struct settle_err *err)
{
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = load(uow_db(tx, self), "WHERE id = ?", DB_PARAMS(DB_I(ids[i])), &out[*n_out], err);

		if (rc < 0)
			return -1;
		*n_out += (size_t)rc;
	}
	return 0;
}

static int save(void *self, struct uow *tx, const struct payout_rec *p, const char *now, struct settle_err *err)
{
	const char *st = payout_status_name(p->status);

	return db_exec(uow_db(tx, self),
		       "UPDATE payouts SET status = ?, bank_reference = ?, failure_code = ?, failure_message = ?, "
		       "doubt_count = ?, next_check_at = ?, sent_at = IF(? IN ('SENT', 'PAID'), COALESCE(sent_at, ?), sent_at), "
		       "paid_at = IF(? = 'PAID', COALESCE(paid_at, ?), paid_at), updated_at = ? WHERE id = ?",
		       DB_PARAMS(DB_S(st), DB_SN(p->bank_reference), DB_SN(p->failure_code), DB_SN(p->failure_message),
				 DB_I(p->doubt_count), DB_SN(p->next_check_at), DB_S(st), DB_S(now), DB_S(st), DB_S(now),
				 DB_S(now), DB_I(p->id)),
		       NULL, NULL, err);
}

void mysql_payouts_repo(struct payouts_repo *out, struct db *db)
{
	*out = (struct payouts_repo){.self = db,
				     .insert = insert,
				     .link = link,
				     .unlink = unlink_items,
				     .find = find,
				     .lock = lock,
				     .load_many = load_many,
				     .save = save};
}
