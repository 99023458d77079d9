/*
 * payment_store.c — the store port over MariaDB/MySQL.
 *
 * Every operation is one db_tx. Rows that will change are read FOR UPDATE
 * first, the move is checked by the domain's transition table, and money
 * moves write their journal entry in the same transaction. Sweeps claim
 * work with FOR UPDATE SKIP LOCKED plus a claim time in the row, so
 * several sweepers (on several hosts) never work on the same item.
 */
#include "adapters/mysql/payment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/ledger_store.h"
#include "domain/journal.h"
#include "domain/timefmt.h"

struct mysql_store {
	struct store_port port;
	struct db *db;
};

/* ------------------------------------------------------------ payment rows */

#define PAY_SELECT                                                                                              \
	"SELECT p.id, p.public_id, p.order_id, p.pod_id, p.user_id, p.amount, p.refunded_amount, "            \
	"(SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.payment_id = p.id AND r.status = 'REQUESTED'), " \
	"p.currency, p.method, p.pg, COALESCE(p.payment_key, ''), p.status, COALESCE(p.confirm_key, ''), "     \
	"COALESCE(p.pg_code, ''), COALESCE(p.pg_message, ''), COALESCE(p.va_bank, ''), "                       \
	"COALESCE(p.va_account, ''), COALESCE(p.va_due, ''), "                                                   \
	"COALESCE(DATE_FORMAT(p.approved_at, '%Y-%m-%d %H:%i:%s'), ''), "                                      \
	"DATE_FORMAT(p.created_at, '%Y-%m-%d %H:%i:%s'), p.doubt_count, COALESCE(e.public_id, ''), "            \
	"COALESCE(e.status, ''), COALESCE(e.amount, 0), COALESCE(e.refunded_amount, 0), "                       \
	"COALESCE((SELECT d.title FROM pods d WHERE d.pod_id = p.pod_id), '') "                                  \
	"FROM payments p LEFT JOIN escrows e ON e.payment_id = p.id "

#define PAY_NCOLS 27

struct pay_buf {
	struct payment_rec rec;
	char status[32];
	int64_t doubt;
};

static void pay_cols(struct pay_buf *b, struct db_col *c)
{
	struct payment_rec *r = &b->rec;
	size_t i = 0;

	c[i++] = DC_I(&r->id);
	c[i++] = DC_S(r->public_id);
	c[i++] = DC_S(r->order_id);
	c[i++] = DC_S(r->pod_id);
	c[i++] = DC_S(r->user_id);
	c[i++] = DC_I(&r->amount);
	c[i++] = DC_I(&r->refunded);
	c[i++] = DC_I(&r->refund_pending);
	c[i++] = DC_S(r->currency);
	c[i++] = DC_S(r->method);
	c[i++] = DC_S(r->pg);
	c[i++] = DC_S(r->payment_key);
	c[i++] = DC_S(b->status);
	c[i++] = DC_S(r->confirm_key);
	c[i++] = DC_S(r->pg_code);
	c[i++] = DC_S(r->pg_message);
	c[i++] = DC_S(r->va_bank);
	c[i++] = DC_S(r->va_account);
	c[i++] = DC_S(r->va_due);
	c[i++] = DC_S(r->approved_at);
	c[i++] = DC_S(r->created_at);
	c[i++] = DC_I(&b->doubt);
	c[i++] = DC_S(r->escrow_id);
	c[i++] = DC_S(r->escrow_status);
	c[i++] = DC_I(&r->escrow_amount);
	c[i++] = DC_I(&r->escrow_refunded);
	c[i++] = DC_S(r->order_name);
}

static int pay_finish(struct pay_buf *b, struct settle_err *err)
{
	b->rec.doubt_count = (int)b->doubt;
	if (payment_status_parse(b->status, &b->rec.status) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s has unknown status %s", b->rec.public_id, b->status);
	return 0;
}

static int load_payment(struct db *db, const char *where, const struct db_param *p, size_t np,
			struct payment_rec *out, struct settle_err *err)
{
	struct pay_buf b;
	struct db_col cols[PAY_NCOLS];
	char sql[2048];
	int rc;

	memset(&b, 0, sizeof b);
	pay_cols(&b, cols);
	snprintf(sql, sizeof sql, "%s%s", PAY_SELECT, where);
	rc = db_query_one(db, sql, p, np, cols, PAY_NCOLS, err);
	if (rc == 1) {
		if (pay_finish(&b, err) < 0)
			return -1;
		*out = b.rec;
	}
	return rc;
}

static int lock_payment(struct db *db, int64_t id, struct payment_rec *out, struct settle_err *err)
{
	int rc;

	/* Lock the payment row itself; the escrow row is locked separately
	 * where it changes. */
	if (db_query_one(db, "SELECT id FROM payments WHERE id = ? FOR UPDATE", DB_PARAMS(DB_I(id)),
			 DB_COLS(DC_I(&(int64_t){0})), err) < 0)
		return -1;
	rc = load_payment(db, "WHERE p.id = ?", DB_PARAMS(DB_I(id)), out, err);
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment id %lld does not exist", (long long)id);
	return rc < 0 ? -1 : 0;
}

static int add_event(struct db *db, int64_t payment_id, const char *from, const char *to, const char *actor,
		     const char *code, const char *message, const char *now, struct settle_err *err)
{
	return db_exec(db,
		       "INSERT INTO payment_events (payment_id, from_status, to_status, actor, pg_code, message, created_at) "
		       "VALUES (?,?,?,?,?,?,?)",
		       DB_PARAMS(DB_I(payment_id), DB_SN(from), DB_S(to), DB_S(actor), DB_SN(code), DB_SN(message),
				 DB_S(now)),
		       NULL, NULL, err);
}

static int set_status(struct db *db, const struct payment_rec *p, enum payment_status to, const char *actor,
		      const char *code, const char *message, const char *now, struct settle_err *err)
{
	if (payment_transition(p->status, to, err) < 0)
		return err_prefix(err, "payment %s", p->public_id);
	if (db_exec(db, "UPDATE payments SET status = ?, pg_code = ?, pg_message = ?, updated_at = ? WHERE id = ?",
		    DB_PARAMS(DB_S(payment_status_name(to)), DB_SN(code), DB_SN(message), DB_S(now), DB_I(p->id)), NULL,
		    NULL, err) < 0)
		return -1;
	return add_event(db, p->id, payment_status_name(p->status), payment_status_name(to), actor, code, message, now,
			 err);
}

/* ------------------------------------------------------------ create_order */

struct create_args {
	const struct new_order *o;
	struct payment_rec *out;
	int *existing;
};

static int create_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct create_args *a = arg;
	const struct study_pod *pod = a->o->pod;
	struct payment_rec cur;
	char new_id[41], order_id[65];
	int64_t places = 0;
	int rc;

	/* settle's copy of the pod, refreshed from the source of truth */
	if (db_exec(db,
		    "INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, starts_on, ends_on, "
		    "refreshed_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE leader_id = VALUES(leader_id), "
		    "title = VALUES(title), fee = VALUES(fee), currency = VALUES(currency), capacity = VALUES(capacity), "
		    "status = VALUES(status), starts_on = VALUES(starts_on), ends_on = VALUES(ends_on), "
		    "refreshed_at = VALUES(refreshed_at)",
		    DB_PARAMS(DB_S(pod->pod_id), DB_S(pod->leader_id), DB_S(pod->title), DB_I(pod->fee),
			      DB_S(pod->currency), DB_I(pod->capacity), DB_S(pod->status), DB_S(pod->starts_on),
			      DB_S(pod->ends_on), DB_S(a->o->now)),
		    NULL, NULL, err) < 0)
		return -1;
	/* one order at a time per pod: capacity is checked under this lock */
	if (db_query_one(db, "SELECT id FROM pods WHERE pod_id = ? FOR UPDATE", DB_PARAMS(DB_S(pod->pod_id)),
			 DB_COLS(DC_I(&(int64_t){0})), err) != 1)
		return -1;
	rc = load_payment(db, "WHERE p.pod_id = ? AND p.user_id = ? AND p.live_place IS NOT NULL",
			  DB_PARAMS(DB_S(pod->pod_id), DB_S(a->o->user_id)), &cur, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (cur.status == PAY_PENDING) {
			*a->out = cur;
			*a->existing = 1;
			return 0;
		}
		return err_set(err, SETTLE_EX_DATAERR, "user %s already paid for pod %s (%s, %s)", a->o->user_id,
			       pod->pod_id, cur.public_id, payment_status_name(cur.status));
	}
	if (db_query_one(db, "SELECT COUNT(*) FROM payments WHERE pod_id = ? AND live_place IS NOT NULL",
			 DB_PARAMS(DB_S(pod->pod_id)), DB_COLS(DC_I(&places)), err) < 0)
		return -1;
	if (places >= pod->capacity || pod->participants >= pod->capacity)
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is full (%d of %d places taken)", pod->pod_id,
			       (int)(places > pod->participants ? places : pod->participants), pod->capacity);
	if (public_id(new_id, sizeof new_id, "pay_", err) < 0 ||
	    public_id(order_id, sizeof order_id, "ord-", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, status, "
		    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?, 'PENDING', ?, ?)",
		    DB_PARAMS(DB_S(new_id), DB_S(order_id), DB_S(pod->pod_id), DB_S(a->o->user_id), DB_I(pod->fee),
			      DB_S(pod->currency), DB_S(a->o->method), DB_S(a->o->pg), DB_S(a->o->now), DB_S(a->o->now)),
		    NULL, NULL, err) < 0)
		return -1;
	rc = load_payment(db, "WHERE p.public_id = ?", DB_PARAMS(DB_S(new_id)), a->out, err);
	if (rc != 1)
		return rc < 0 ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "new payment vanished");
	*a->existing = 0;
	return add_event(db, a->out->id, NULL, "PENDING", a->o->actor, NULL, NULL, a->o->now, err);
}

static int create_order(void *self, const struct new_order *o, struct payment_rec *out, int *existing,
			struct settle_err *err)
{
	struct mysql_store *s = self;
	struct create_args a = {o, out, existing};

	return db_tx(s->db, create_tx, &a, err);
}

static int get_payment(void *self, const char *by, const char *id, struct payment_rec *out, struct settle_err *err)
{
	struct mysql_store *s = self;
	const char *where = !strcmp(by, "order") ? "WHERE p.order_id = ?"
			    : !strcmp(by, "key") ? "WHERE p.payment_key = ?"
						 : "WHERE p.public_id = ?";

	return load_payment(s->db, where, DB_PARAMS(DB_S(id)), out, err);
}

/* ------------------------------------------------------------ begin_confirm */

struct confirm_args {
	int64_t id;
	const char *payment_key, *confirm_key, *actor, *now;
};

static int confirm_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct confirm_args *a = arg;
	struct payment_rec p;

	if (lock_payment(db, a->id, &p, err) < 0)
		return -1;
	if (payment_transition(p.status, PAY_CONFIRMING, err) < 0)
		return err_prefix(err, "order %s", p.order_id);
	if (db_exec(db,
		    "UPDATE payments SET status = 'CONFIRMING', payment_key = ?, confirm_key = ?, updated_at = ?, "
		    "next_check_at = NULL WHERE id = ?",
		    DB_PARAMS(DB_S(a->payment_key), DB_S(a->confirm_key), DB_S(a->now), DB_I(a->id)), NULL, NULL,
		    err) < 0) {
		if (db_is_duplicate(db_last_errno(db)))
			err_set(err, SETTLE_EX_DATAERR, "payment key is already used by another order");
		return -1;
	}
	return add_event(db, p.id, "PENDING", "CONFIRMING", a->actor, NULL, NULL, a->now, err);
}

static int begin_confirm(void *self, int64_t payment_id, const char *payment_key, const char *confirm_key,
			 const char *actor, const char *now, struct settle_err *err)
{
	struct mysql_store *s = self;
	struct confirm_args a = {payment_id, payment_key, confirm_key, actor, now};

	return db_tx(s->db, confirm_tx, &a, err);
}

/* ------------------------------------------------------------ refunds */

#define REFUND_SELECT                                                                                         \
	"SELECT id, public_id, payment_id, amount, currency, status, reason, idempotency_key, cancel_order_id, " \
	"COALESCE(pg_code, ''), COALESCE(pg_message, ''), DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), "        \
	"doubt_count FROM refunds "

static int load_refund(struct db *db, const char *where, const struct db_param *p, size_t np, struct refund_rec *r,
		       struct settle_err *err)
{
	char sql[1024];
	int64_t doubt = 0;
	int rc;

	snprintf(sql, sizeof sql, "%s%s", REFUND_SELECT, where);
	memset(r, 0, sizeof *r);
	rc = db_query_one(db, sql, p, np,
			  DB_COLS(DC_I(&r->id), DC_S(r->public_id), DC_I(&r->payment_id), DC_I(&r->amount),
				  DC_S(r->currency), DC_S(r->status), DC_S(r->reason), DC_S(r->idempotency_key),
				  DC_S(r->cancel_order_id), DC_S(r->pg_code), DC_S(r->pg_message), DC_S(r->created_at),
				  DC_I(&doubt)),
			  err);
	r->doubt_count = (int)doubt;
	return rc;
}

struct refund_args {
	int64_t payment_id, amount;
	const char *reason, *actor, *now;
	struct refund_rec *out;
};

static int refund_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct refund_args *a = arg;
	struct payment_rec p;
	char pub[41], cancel_id[65], key[160];
	int64_t remaining, amount;

	if (lock_payment(db, a->payment_id, &p, err) < 0)
		return -1;
	if (p.status != PAY_COMPLETED && p.status != PAY_PARTIALLY_REFUNDED)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s is %s; only a completed payment can be refunded",
			       p.public_id, payment_status_name(p.status));
	if (!strcmp(p.escrow_status, "RELEASED"))
		return err_set(err, SETTLE_EX_DATAERR,
			       "payment %s: escrow %s was already released to the leader; refunding now needs a "
			       "clawback through settle-run (leader_payable:{leader}), not pay-refund",
			       p.public_id, p.escrow_id);
	if (strcmp(p.escrow_status, "HOLDING") && strcmp(p.escrow_status, "DISPUTED"))
		return err_set(err, SETTLE_EX_DATAERR, "payment %s: escrow is %s; nothing is held to refund",
			       p.public_id, p.escrow_status[0] ? p.escrow_status : "missing");
	/* One refund in flight per payment: the sweep tells whether a refund
	 * landed from the PG's balance, which two in doubt at once would make
	 * ambiguous. */
	if (p.refund_pending > 0)
		return err_set(err, SETTLE_EX_TEMPFAIL,
			       "payment %s has a refund of %lld still in doubt; `pay-capture --sweep` settles it first",
			       p.public_id, (long long)p.refund_pending);
	remaining = p.amount - p.refunded;
	amount = a->amount ? a->amount : remaining;
	if (remaining <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s has nothing left to refund (%lld refunded, %lld "
			       "pending)", p.public_id, (long long)p.refunded, (long long)p.refund_pending);
	if (amount > remaining)
		return err_set(err, SETTLE_EX_DATAERR,
			       "refund of %lld %s exceeds what remains of payment %s (%lld)", (long long)amount,
			       p.currency, p.public_id, (long long)remaining);
	if (public_id(pub, sizeof pub, "ref_", err) < 0 || public_id(cancel_id, sizeof cancel_id, "cxl-", err) < 0)
		return -1;
	snprintf(key, sizeof key, "refund:%s", pub);
	if (db_exec(db,
		    "INSERT INTO refunds (public_id, payment_id, amount, currency, status, reason, idempotency_key, "
		    "cancel_order_id, created_at, updated_at) VALUES (?,?,?,?, 'REQUESTED', ?,?,?,?,?)",
		    DB_PARAMS(DB_S(pub), DB_I(p.id), DB_I(amount), DB_S(p.currency), DB_S(a->reason), DB_S(key),
			      DB_S(cancel_id), DB_S(a->now), DB_S(a->now)),
		    NULL, NULL, err) < 0)
		return -1;
	if (add_event(db, p.id, payment_status_name(p.status), payment_status_name(p.status), a->actor, NULL,
		      "refund requested", a->now, err) < 0)
		return -1;
	return load_refund(db, "WHERE public_id = ?", DB_PARAMS(DB_S(pub)), a->out, err) == 1 ? 0 : -1;
}

static int begin_refund(void *self, int64_t payment_id, int64_t amount, const char *reason, const char *actor,
			const char *now, struct refund_rec *out, struct settle_err *err)
{
	struct mysql_store *s = self;
	struct refund_args a = {payment_id, amount, reason, actor, now, out};

	return db_tx(s->db, refund_tx, &a, err);
}

static int get_refund(void *self, const char *public_id_, struct refund_rec *out, struct settle_err *err)
{
	struct mysql_store *s = self;

	return load_refund(s->db, "WHERE public_id = ?", DB_PARAMS(DB_S(public_id_)), out, err);
}

/* ------------------------------------------------------------ outcomes */

struct apply_args {
	const struct outcome *o;
	size_t n;
	const char *actor, *now;
	struct journal_entry *entries;
	char (*keys)[160];
	const char **key_ptrs;
	size_t n_entries;
};

static int apply_captured(struct db *db, struct apply_args *a, const struct outcome *o, struct settle_err *err)
{
	struct payment_rec p;
	struct journal_entry *e;
	char escrow_acct[ACCOUNT_MAX], esc_id[41];
	struct money m;

	if (lock_payment(db, o->id, &p, err) < 0)
		return -1;
	if (p.status == PAY_COMPLETED || p.status == PAY_PARTIALLY_REFUNDED || p.status == PAY_REFUNDED)
		return 0; /* already done by another run: nothing twice */
	if (o->pg && o->pg->total_amount != p.amount)
		return err_set(err, SETTLE_EX_DATAERR, "order %s: PG confirmed %lld but the order is %lld; refusing",
			       p.order_id, (long long)o->pg->total_amount, (long long)p.amount);
	if (set_status(db, &p, PAY_COMPLETED, a->actor, NULL, NULL, a->now, err) < 0)
		return -1;
	if (db_exec(db, "UPDATE payments SET approved_at = ?, payment_key = COALESCE(payment_key, ?), doubt_count = 0, "
			"next_check_at = NULL WHERE id = ?",
		    DB_PARAMS(DB_S(a->now), o->pg && o->pg->payment_key[0] ? DB_S(o->pg->payment_key) : DB_NULL,
			      DB_I(p.id)),
		    NULL, NULL, err) < 0)
		return -1;
	if (public_id(esc_id, sizeof esc_id, "esc_", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO escrows (public_id, payment_id, pod_id, amount, currency, status, held_at, updated_at) "
		    "VALUES (?,?,?,?,?, 'HOLDING', ?, ?)",
		    DB_PARAMS(DB_S(esc_id), DB_I(p.id), DB_S(p.pod_id), DB_I(p.amount), DB_S(p.currency), DB_S(a->now),
			      DB_S(a->now)),
		    NULL, NULL, err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO participation_confirms (payment_id, pod_id, user_id, next_attempt_at) VALUES (?,?,?,?) "
		    "ON DUPLICATE KEY UPDATE payment_id = payment_id",
		    DB_PARAMS(DB_I(p.id), DB_S(p.pod_id), DB_S(p.user_id), DB_S(a->now)), NULL, NULL, err) < 0)
		return -1;
	e = &a->entries[a->n_entries];
	journal_init(e, "capture", p.public_id);
	memcpy(m.cur, p.currency, sizeof m.cur);
	m.minor = p.amount;
	if (account_name(escrow_acct, sizeof escrow_acct, "escrow", p.pod_id, err) < 0 ||
	    journal_move(e, "pg_clearing", escrow_acct, m, err) < 0)
		return -1;
	snprintf(a->keys[a->n_entries], sizeof a->keys[0], "capture:%s", p.public_id);
	a->key_ptrs[a->n_entries] = a->keys[a->n_entries];
	a->n_entries++;
	return 0;
}

static int apply_await(struct db *db, struct apply_args *a, const struct outcome *o, struct settle_err *err)
{
	struct payment_rec p;

	if (lock_payment(db, o->id, &p, err) < 0)
		return -1;
	if (p.status == PAY_WAITING_FOR_DEPOSIT)
		return 0;
	if (set_status(db, &p, PAY_WAITING_FOR_DEPOSIT, a->actor, NULL, NULL, a->now, err) < 0)
		return -1;
	return db_exec(db,
		       "UPDATE payments SET va_secret = ?, va_bank = ?, va_account = ?, va_due = ?, doubt_count = 0, "
		       "next_check_at = NULL WHERE id = ?",
		       DB_PARAMS(DB_SN(o->pg ? o->pg->secret : NULL), DB_SN(o->pg ? o->pg->va_bank : NULL),
				 DB_SN(o->pg ? o->pg->va_account : NULL), DB_SN(o->pg ? o->pg->va_due : NULL), DB_I(p.id)),
		       NULL, NULL, err);
}

static int apply_end(struct db *db, struct apply_args *a, const struct outcome *o, enum payment_status to,
		     struct settle_err *err)
{
	struct payment_rec p;

	if (lock_payment(db, o->id, &p, err) < 0)
		return -1;
	if (p.status == to)
		return 0;
	return set_status(db, &p, to, a->actor, o->code, o->message, a->now, err);
}

static int apply_doubt(struct db *db, struct apply_args *a, const struct outcome *o, const char *table,
		       struct settle_err *err)
{
	char next[TIME_SQL_LEN], sql[256];

	time_sql(o->next_check_us, next);
	snprintf(sql, sizeof sql,
		 "UPDATE %s SET doubt_count = doubt_count + 1, next_check_at = ?, pg_code = ?, pg_message = ? WHERE id = ?",
		 table);
	if (db_exec(db, sql, DB_PARAMS(DB_S(next), DB_SN(o->code), DB_SN(o->message), DB_I(o->id)), NULL, NULL, err) < 0)
		return -1;
	if (!strcmp(table, "payments"))
		return add_event(db, o->id, "CONFIRMING", "CONFIRMING", a->actor, o->code,
				 o->message && *o->message ? o->message : "in doubt: will ask the PG", a->now, err);
	return 0;
}

static int apply_refunded(struct db *db, struct apply_args *a, const struct outcome *o, struct settle_err *err)
{
	struct refund_rec r;
	struct payment_rec p;
	struct journal_entry *e;
	enum refund_status rs;
	enum payment_status to;
	char escrow_acct[ACCOUNT_MAX];
	struct money m;
	int64_t refunded;
	int full_escrow;

	if (db_query_one(db, "SELECT id FROM refunds WHERE id = ? FOR UPDATE", DB_PARAMS(DB_I(o->id)),
			 DB_COLS(DC_I(&(int64_t){0})), err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_DATAERR, "refund id %lld missing", (long long)o->id);
	if (load_refund(db, "WHERE id = ?", DB_PARAMS(DB_I(o->id)), &r, err) != 1)
		return -1;
	if (!strcmp(r.status, "COMPLETED"))
		return 0;
	rs = !strcmp(r.status, "REQUESTED") ? REFUND_REQUESTED : REFUND_FAILED;
	if (refund_transition(rs, REFUND_COMPLETED, err) < 0)
		return err_prefix(err, "refund %s", r.public_id);
	if (lock_payment(db, r.payment_id, &p, err) < 0)
		return -1;
	if (db_exec(db, "UPDATE refunds SET status = 'COMPLETED', pg_transaction_key = ?, pg_code = NULL, "
			"pg_message = NULL, updated_at = ? WHERE id = ?",
		    DB_PARAMS(DB_SN(o->pg ? o->pg->last_transaction_key : NULL), DB_S(a->now), DB_I(r.id)), NULL, NULL,
		    err) < 0)
		return -1;
	refunded = p.refunded + r.amount;
	if (refunded > p.amount)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s would be refunded %lld of %lld", p.public_id,
			       (long long)refunded, (long long)p.amount);
	to = refunded == p.amount ? PAY_REFUNDED : PAY_PARTIALLY_REFUNDED;
	if (set_status(db, &p, to, a->actor, NULL, NULL, a->now, err) < 0)
		return -1;
	full_escrow = p.escrow_refunded + r.amount == p.escrow_amount;
	if (full_escrow) {
		enum escrow_status es;

		if (escrow_status_parse(p.escrow_status, &es) < 0 || escrow_transition(es, ESCROW_REFUNDED, err) < 0)
			return err->msg[0] ? -1 : err_set(err, SETTLE_EX_DATAERR, "escrow of %s is %s", p.public_id,
							 p.escrow_status);
	}
	if (db_exec(db, "UPDATE payments SET refunded_amount = ? WHERE id = ?", DB_PARAMS(DB_I(refunded), DB_I(p.id)),
		    NULL, NULL, err) < 0 ||
	    db_exec(db, "UPDATE escrows SET refunded_amount = refunded_amount + ?, status = ?, updated_at = ? "
			"WHERE payment_id = ?",
		    DB_PARAMS(DB_I(r.amount), DB_S(full_escrow ? "REFUNDED" : p.escrow_status), DB_S(a->now),
			      DB_I(p.id)),
		    NULL, NULL, err) < 0)
		return -1;
	e = &a->entries[a->n_entries];
	journal_init(e, "refund", r.public_id);
	memcpy(m.cur, r.currency, sizeof m.cur);
	m.minor = r.amount;
	if (account_name(escrow_acct, sizeof escrow_acct, "escrow", p.pod_id, err) < 0 ||
	    journal_move(e, escrow_acct, "pg_clearing", m, err) < 0)
		return -1;
	snprintf(a->keys[a->n_entries], sizeof a->keys[0], "refund:%s", r.public_id);
	a->key_ptrs[a->n_entries] = a->keys[a->n_entries];
	a->n_entries++;
	return 0;
}

static int apply_refund_failed(struct db *db, struct apply_args *a, const struct outcome *o, struct settle_err *err)
{
	struct refund_rec r;

	if (load_refund(db, "WHERE id = ? FOR UPDATE", DB_PARAMS(DB_I(o->id)), &r, err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_DATAERR, "refund id %lld missing", (long long)o->id);
	if (!strcmp(r.status, "FAILED"))
		return 0;
	if (refund_transition(!strcmp(r.status, "REQUESTED") ? REFUND_REQUESTED : REFUND_COMPLETED, REFUND_FAILED,
			      err) < 0)
		return err_prefix(err, "refund %s", r.public_id);
	if (db_exec(db, "UPDATE refunds SET status = 'FAILED', pg_code = ?, pg_message = ?, updated_at = ? WHERE id = ?",
		    DB_PARAMS(DB_SN(o->code), DB_SN(o->message), DB_S(a->now), DB_I(r.id)), NULL, NULL, err) < 0)
		return -1;
	return add_event(db, r.payment_id, NULL, "REFUND_FAILED", a->actor, o->code, o->message, a->now, err);
}

static int apply_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct apply_args *a = arg;

	a->n_entries = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct outcome *o = &a->o[i];
		char next[TIME_SQL_LEN];
		int rc = 0;

		switch (o->kind) {
		case OUT_CAPTURED: rc = apply_captured(db, a, o, err); break;
		case OUT_AWAIT_DEPOSIT: rc = apply_await(db, a, o, err); break;
		case OUT_FAILED: rc = apply_end(db, a, o, PAY_FAILED, err); break;
		case OUT_EXPIRED: rc = apply_end(db, a, o, PAY_EXPIRED, err); break;
		case OUT_DOUBT: rc = apply_doubt(db, a, o, "payments", err); break;
		case OUT_REFUNDED: rc = apply_refunded(db, a, o, err); break;
		case OUT_REFUND_FAILED: rc = apply_refund_failed(db, a, o, err); break;
		case OUT_REFUND_DOUBT: rc = apply_doubt(db, a, o, "refunds", err); break;
		case OUT_PARTICIPATION_DONE:
			rc = db_exec(db, "UPDATE participation_confirms SET done_at = ?, attempts = attempts + 1, "
					 "last_error = NULL WHERE payment_id = ?",
				     DB_PARAMS(DB_S(a->now), DB_I(o->id)), NULL, NULL, err);
			break;
		case OUT_PARTICIPATION_RETRY:
			time_sql(o->next_check_us, next);
			rc = db_exec(db, "UPDATE participation_confirms SET attempts = attempts + 1, last_error = ?, "
					 "next_attempt_at = ? WHERE payment_id = ?",
				     DB_PARAMS(DB_SN(o->message), DB_S(next), DB_I(o->id)), NULL, NULL, err);
			break;
		}
		if (rc < 0)
			return -1;
	}
	if (a->n_entries && ledger_write_batch(db, a->key_ptrs, a->entries, a->n_entries, a->now, err) < 0)
		return -1;
	return 0;
}

static int apply_outcomes(void *self, const struct outcome *o, size_t n, const char *actor, const char *now,
			  struct settle_err *err)
{
	struct mysql_store *s = self;
	struct apply_args a = {.o = o, .n = n, .actor = actor, .now = now};
	int rc;

	if (n == 0)
		return 0;
	a.entries = calloc(n, sizeof *a.entries);
	a.keys = calloc(n, sizeof *a.keys);
	a.key_ptrs = calloc(n, sizeof *a.key_ptrs);
	if (!a.entries || !a.keys || !a.key_ptrs) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
	} else {
		rc = db_tx(s->db, apply_tx, &a, err);
	}
	free(a.entries);
	free(a.keys);
	free(a.key_ptrs);
	return rc;
}

/* ------------------------------------------------------------ sweep claims */

struct claim_args {
	enum sweep_kind kind;
	const char *now;
	int64_t older_than_s;
	int claim_s;
	struct sweep_item *items;
	size_t limit, *n;
};

static int claim_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct claim_args *a = arg;
	struct db_cursor *c;
	struct pay_buf b;
	struct db_col cols[PAY_NCOLS + 1];
	int64_t refund_id = 0;
	char sql[3072];
	const char *where;
	int rc = 0;

	*a->n = 0;
	switch (a->kind) {
	case SWEEP_CONFIRMING:
		where = "WHERE p.status = 'CONFIRMING' AND p.updated_at <= ? - INTERVAL ? SECOND "
			"AND (p.next_check_at IS NULL OR p.next_check_at <= ?)";
		break;
	case SWEEP_WAITING:
		where = "WHERE p.status = 'WAITING_FOR_DEPOSIT' AND p.updated_at <= ? - INTERVAL ? SECOND "
			"AND (p.next_check_at IS NULL OR p.next_check_at <= ?)";
		break;
	case SWEEP_PENDING_EXPIRED:
		where = "WHERE p.status = 'PENDING' AND p.created_at <= ? - INTERVAL ? SECOND "
			"AND (p.next_check_at IS NULL OR p.next_check_at <= ?)";
		break;
	case SWEEP_REFUNDS:
		where = "JOIN refunds r ON r.payment_id = p.id WHERE r.status = 'REQUESTED' "
			"AND r.updated_at <= ? - INTERVAL ? SECOND AND (r.next_check_at IS NULL OR r.next_check_at <= ?)";
		break;
	case SWEEP_PARTICIPATION:
		where = "JOIN participation_confirms q ON q.payment_id = p.id WHERE q.done_at IS NULL "
			"AND q.next_attempt_at <= ? + INTERVAL ? SECOND AND q.next_attempt_at <= ?";
		break;
	default:
		return err_set(err, SETTLE_EX_SOFTWARE, "unknown sweep kind");
	}
	/* The refund id rides along as one extra column, spliced in before
	 * PAY_SELECT's FROM. */
	{
		char head[2048];
		const char *from = strstr(PAY_SELECT, "FROM payments");

		snprintf(head, sizeof head, "%.*s, %s %s", (int)(from - PAY_SELECT), PAY_SELECT,
			 a->kind == SWEEP_REFUNDS ? "r.id" : "0", from);
		snprintf(sql, sizeof sql, "%s%s ORDER BY p.id LIMIT ? FOR UPDATE SKIP LOCKED", head, where);
	}
	memset(&b, 0, sizeof b);
	pay_cols(&b, cols);
	cols[PAY_NCOLS] = DC_I(&refund_id);
	if (db_query(db, &c, sql,
		     DB_PARAMS(DB_S(a->now), DB_I(a->kind == SWEEP_PARTICIPATION ? 0 : a->older_than_s), DB_S(a->now),
			       DB_I((int64_t)a->limit)),
		     cols, PAY_NCOLS + 1, err) < 0)
		return -1;
	while (*a->n < a->limit && (rc = db_fetch(c, err)) == 1) {
		struct sweep_item *it = &a->items[*a->n];

		if (pay_finish(&b, err) < 0) {
			rc = -1;
			break;
		}
		memset(it, 0, sizeof *it);
		it->pay = b.rec;
		it->refund.id = refund_id;
		(*a->n)++;
	}
	db_cursor_close(c);
	if (rc < 0)
		return -1;
	/* Hide the claimed rows from other sweepers for claim_s. */
	for (size_t i = 0; i < *a->n; i++) {
		struct sweep_item *it = &a->items[i];
		const char *upd = a->kind == SWEEP_REFUNDS
					  ? "UPDATE refunds SET next_check_at = ? + INTERVAL ? SECOND WHERE id = ?"
				  : a->kind == SWEEP_PARTICIPATION
					  ? "UPDATE participation_confirms SET next_attempt_at = ? + INTERVAL ? SECOND "
					    "WHERE payment_id = ?"
					  : "UPDATE payments SET next_check_at = ? + INTERVAL ? SECOND WHERE id = ?";

		if (db_exec(db, upd,
			    DB_PARAMS(DB_S(a->now), DB_I(a->claim_s),
				      DB_I(a->kind == SWEEP_REFUNDS ? it->refund.id : it->pay.id)),
			    NULL, NULL, err) < 0)
			return -1;
		if (a->kind == SWEEP_REFUNDS &&
		    load_refund(db, "WHERE id = ?", DB_PARAMS(DB_I(it->refund.id)), &it->refund, err) != 1)
			return -1;
	}
	return 0;
}

static int claim(void *self, enum sweep_kind kind, const char *now, int64_t older_than_s, int claim_s,
		 struct sweep_item *items, size_t limit, size_t *n, struct settle_err *err)
{
	struct mysql_store *s = self;
	struct claim_args a = {kind, now, older_than_s, claim_s, items, limit, n};

	return db_tx(s->db, claim_tx, &a, err);
}

/* ------------------------------------------------------------ PG health */

static int pg_record(void *self, const char *pg, int ok, const char *code, const char *now, struct settle_err *err)
{
	struct mysql_store *s = self;

	return db_exec(s->db, "INSERT INTO pg_outcomes (pg, ok, code, at) VALUES (?,?,?,?)",
		       DB_PARAMS(DB_S(pg), DB_I(ok ? 1 : 0), DB_SN(code), DB_S(now)), NULL, NULL, err);
}

static int pg_failures(void *self, const char *pg, int window_s, const char *now, int64_t *failures,
		       struct settle_err *err)
{
	struct mysql_store *s = self;

	/* Failures since the window began or since the last good answer,
	 * whichever is later: one success closes the breaker. */
	return db_query_one(s->db,
			    "SELECT COUNT(*) FROM pg_outcomes WHERE pg = ? AND ok = 0 AND at > GREATEST(? - INTERVAL ? SECOND, "
			    "COALESCE((SELECT MAX(at) FROM pg_outcomes WHERE pg = ? AND ok = 1), '1970-01-01'))",
			    DB_PARAMS(DB_S(pg), DB_S(now), DB_I(window_s), DB_S(pg)), DB_COLS(DC_I(failures)), err) < 0
		       ? -1
		       : 0;
}

struct probe_args {
	const char *pg, *now;
	int every_s, granted;
};

static int probe_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct probe_args *a = arg;
	int64_t due = 0, fresh = 0;

	/* A probe time no later than the last good answer belongs to an
	 * earlier trip: this trip starts now, and its first probe is due
	 * every_s from now, not at once. */
	if (db_exec(db, "INSERT IGNORE INTO pg_probes (pg, probed_at) VALUES (?, '1970-01-01')", DB_PARAMS(DB_S(a->pg)),
		    NULL, NULL, err) < 0 ||
	    db_query_one(db,
			 "SELECT probed_at <= COALESCE((SELECT MAX(at) FROM pg_outcomes WHERE pg = ? AND ok = 1), "
			 "'1970-01-01'), probed_at <= ? - INTERVAL ? SECOND FROM pg_probes WHERE pg = ? FOR UPDATE",
			 DB_PARAMS(DB_S(a->pg), DB_S(a->now), DB_I(a->every_s), DB_S(a->pg)),
			 DB_COLS(DC_I(&fresh), DC_I(&due)), err) != 1)
		return -1;
	a->granted = !fresh && due;
	if (!fresh && !due)
		return 0;
	return db_exec(db, "UPDATE pg_probes SET probed_at = ? WHERE pg = ?", DB_PARAMS(DB_S(a->now), DB_S(a->pg)), NULL,
		       NULL, err);
}

static int pg_take_probe(void *self, const char *pg, int every_s, const char *now, struct settle_err *err)
{
	struct mysql_store *s = self;
	struct probe_args a = {pg, now, every_s, 0};

	if (db_tx(s->db, probe_tx, &a, err) < 0)
		return -1;
	return a.granted;
}

static int pg_prune(void *self, int keep_s, const char *now, struct settle_err *err)
{
	struct mysql_store *s = self;
	uint64_t deleted;

	/* Small chunks, each its own statement, so pruning never holds locks
	 * long enough to stall the writers. */
	do {
		deleted = 0;
		if (db_exec(s->db, "DELETE FROM pg_outcomes WHERE at < ? - INTERVAL ? SECOND LIMIT 5000",
			    DB_PARAMS(DB_S(now), DB_I(keep_s)), &deleted, NULL, err) < 0)
			return -1;
	} while (deleted == 5000);
	return 0;
}

/* ------------------------------------------------------------ look-ups */

static int list_payments(void *self, const char *by, const char *id, int (*fn)(void *, const struct payment_rec *),
			 void *arg, struct settle_err *err)
{
	struct mysql_store *s = self;
	const char *where = !strcmp(by, "user")  ? "WHERE p.user_id = ? ORDER BY p.id"
			    : !strcmp(by, "pod") ? "WHERE p.pod_id = ? ORDER BY p.id"
			    : !strcmp(by, "order") ? "WHERE p.order_id = ?"
						   : "WHERE p.public_id = ?";
	struct pay_buf b;
	struct db_col cols[PAY_NCOLS];
	struct db_cursor *c;
	char sql[2048];
	int rc;

	memset(&b, 0, sizeof b);
	pay_cols(&b, cols);
	snprintf(sql, sizeof sql, "%s%s", PAY_SELECT, where);
	/* Rows are collected one at a time but handed out after the cursor
	 * closes, because fn may run its own queries. */
	if (db_query(s->db, &c, sql, DB_PARAMS(DB_S(id)), cols, PAY_NCOLS, err) < 0)
		return -1;
	struct payment_rec *rows = NULL;
	size_t n = 0, cap = 0;

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

static int list_refunds(void *self, int64_t payment_id, int (*fn)(void *, const struct refund_rec *), void *arg,
			struct settle_err *err)
{
	struct mysql_store *s = self;
	struct refund_rec r;
	struct db_cursor *c;
	int64_t doubt;
	int rc;

	memset(&r, 0, sizeof r);
	if (db_query(s->db, &c, REFUND_SELECT "WHERE payment_id = ? ORDER BY id", DB_PARAMS(DB_I(payment_id)),
		     DB_COLS(DC_I(&r.id), DC_S(r.public_id), DC_I(&r.payment_id), DC_I(&r.amount), DC_S(r.currency),
			     DC_S(r.status), DC_S(r.reason), DC_S(r.idempotency_key), DC_S(r.cancel_order_id),
			     DC_S(r.pg_code), DC_S(r.pg_message), DC_S(r.created_at), DC_I(&doubt)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (fn(arg, &r) < 0)
			break;
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int list_events(void *self, int64_t payment_id,
		       int (*fn)(void *, const char *, const char *, const char *, const char *, const char *,
				 const char *),
		       void *arg, struct settle_err *err)
{
	struct mysql_store *s = self;
	char at[40], from[32], to[32], actor[65], code[65], msg[256];
	struct db_cursor *c;
	int rc;

	if (db_query(s->db, &c,
		     "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'), COALESCE(from_status, ''), to_status, actor, "
		     "COALESCE(pg_code, ''), COALESCE(message, '') FROM payment_events WHERE payment_id = ? ORDER BY id",
		     DB_PARAMS(DB_I(payment_id)), DB_COLS(DC_S(at), DC_S(from), DC_S(to), DC_S(actor), DC_S(code), DC_S(msg)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (fn(arg, at, from, to, actor, code, msg) < 0)
			break;
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

struct store_port *mysql_store_new(struct db *db)
{
	struct mysql_store *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->db = db;
	s->port = (struct store_port){
		.self = s,
		.create_order = create_order,
		.get_payment = get_payment,
		.begin_confirm = begin_confirm,
		.begin_refund = begin_refund,
		.get_refund = get_refund,
		.apply_outcomes = apply_outcomes,
		.claim = claim,
		.pg_record = pg_record,
		.pg_failures = pg_failures,
		.pg_take_probe = pg_take_probe,
		.pg_prune = pg_prune,
		.list_payments = list_payments,
		.list_refunds = list_refunds,
		.list_events = list_events,
	};
	return &s->port;
}

void mysql_store_free(struct store_port *port)
{
	free(port ? port->self : NULL);
}
