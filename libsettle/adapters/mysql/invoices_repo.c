/* invoices_repo.c — invoice-issue's repository over MariaDB/MySQL (ports/invoices_repo.h). */
#include <stdio.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/invoices_repo.h"
#include "adapters/mysql/uow.h"
#include "domain/timefmt.h"

/* A settlement's month is its pod's completion (Korea-time bounds come in
 * as UTC); an item is uninvoiced while no tax_invoice_items row names it. */
#define SETTLEMENTS_OF_MONTH(who)                                                                                \
	"FROM settlements s JOIN pods p ON p.pod_id = s.pod_id "                                                 \
	"LEFT JOIN tax_invoice_items ti ON ti.item_kind = 'SETTLEMENT' AND ti.item_id = s.id "                  \
	"WHERE s.leader_id = " who " AND s.status = 'COMPLETED' AND p.completed_at >= ? AND p.completed_at < ? "       \
	"AND ti.id IS NULL"
#define CLAWBACKS_OF_MONTH(who)                                                                                  \
	"FROM clawbacks c JOIN settlements s ON s.id = c.settlement_id JOIN pods p ON p.pod_id = s.pod_id "      \
	"LEFT JOIN tax_invoice_items ti ON ti.item_kind = 'CLAWBACK' AND ti.item_id = c.id "                    \
	"WHERE c.leader_id = " who " AND p.completed_at >= ? AND p.completed_at < ? AND ti.id IS NULL"

static int unsettled_pods(void *self, struct uow *tx, const char *start, const char *end, char (*out)[65], size_t cap,
			  size_t *n, struct settle_err *err)
{
	struct db_cursor *cur;
	char pod[65];
	int rc;

	*n = 0;
	if (db_query(uow_db(tx, self), &cur,
		     "SELECT DISTINCT p.pod_id FROM pods p JOIN escrows e ON e.pod_id = p.pod_id "
		     "WHERE p.completed_at >= ? AND p.completed_at < ? AND (e.status IN ('HOLDING', 'DISPUTED') "
		     "OR (e.status = 'RELEASED' AND e.settlement_id IS NULL AND e.released_amount > 0)) "
		     "ORDER BY p.pod_id",
		     DB_PARAMS(DB_S(start), DB_S(end)), DB_COLS(DC_S(pod)), err) < 0)
		return -1;
	while ((rc = db_fetch(cur, err)) > 0) {
		if (*n < cap)
			snprintf(out[*n], 65, "%s", pod);
		(*n)++;
	}
	db_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

static int next_leader(void *self, struct uow *tx, const char *start, const char *end, int64_t after_row,
		       struct invoice_leader *out, struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	return db_query_one(uow_db(tx, self),
			    "SELECT l.id, l.leader_id, l.kind, l.name, l.email, COALESCE(l.business_number, '') "
			    "FROM leaders l WHERE l.id > ? AND (EXISTS (SELECT 1 " SETTLEMENTS_OF_MONTH("l.leader_id") ") "
			    "OR EXISTS (SELECT 1 " CLAWBACKS_OF_MONTH("l.leader_id") ")) "
			    "ORDER BY l.id LIMIT 1 FOR UPDATE SKIP LOCKED",
			    DB_PARAMS(DB_I(after_row), DB_S(start), DB_S(end), DB_S(start), DB_S(end)),
			    DB_COLS(DC_I(&out->row_id), DC_S(out->leader_id), DC_S(out->kind), DC_S(out->name),
				    DC_S(out->email), DC_S(out->brn)),
			    err);
}

/* "2026-11-17 03:00:00.000000" (UTC) → "20261117" (Korea time). */
static int kst_day(const char *utc, char out[9], struct settle_err *err)
{
	int64_t us;

	if (time_parse_utc(utc, &us) < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "unreadable time %.40s from the database", utc);
	time_kst_yyyymmdd(us, out);
	return 0;
}

static int items(void *self, struct uow *tx, const char *leader_id, const char *start, const char *end,
		 int with_clawbacks, struct invoice_item *out, size_t cap, size_t *n, struct settle_err *err)
{
	struct db_cursor *cur;
	struct invoice_item it;
	int64_t kind;
	char at[32];
	int rc;
	static const char settlements[] =
		"SELECT 1 AS kind, s.id AS id, s.pod_id AS pod, p.title, DATE_FORMAT(p.completed_at, '%Y-%m-%d %H:%i:%s'), "
		"s.supply, s.vat, s.currency " SETTLEMENTS_OF_MONTH("?");
	static const char both[] =
		"SELECT 1 AS kind, s.id AS id, s.pod_id AS pod, p.title, DATE_FORMAT(p.completed_at, '%Y-%m-%d %H:%i:%s'), "
		"s.supply, s.vat, s.currency " SETTLEMENTS_OF_MONTH("?") " UNION ALL "
		"SELECT 2, c.id, s.pod_id, p.title, DATE_FORMAT(c.created_at, '%Y-%m-%d %H:%i:%s'), -c.supply_part, "
		"-c.vat_part, c.currency " CLAWBACKS_OF_MONTH("?") " ORDER BY pod, kind, id";

	*n = 0;
	memset(&it, 0, sizeof it);
	if (with_clawbacks)
		rc = db_query(uow_db(tx, self), &cur, both,
			      DB_PARAMS(DB_S(leader_id), DB_S(start), DB_S(end), DB_S(leader_id), DB_S(start), DB_S(end)),
			      DB_COLS(DC_I(&kind), DC_I(&it.id), DC_S(it.pod_id), DC_S(it.title), DC_S(at),
				      DC_I(&it.supply), DC_I(&it.vat), DC_S(it.currency)),
			      err);
	else
		rc = db_query(uow_db(tx, self), &cur, settlements, DB_PARAMS(DB_S(leader_id), DB_S(start), DB_S(end)),
			      DB_COLS(DC_I(&kind), DC_I(&it.id), DC_S(it.pod_id), DC_S(it.title), DC_S(at),
				      DC_I(&it.supply), DC_I(&it.vat), DC_S(it.currency)),
			      err);
	if (rc < 0)
		return -1;
	while ((rc = db_fetch(cur, err)) > 0) {
		if (*n == cap) {
			rc = err_set(err, SETTLE_EX_DATAERR, "leader %s has more than %zu items in the month", leader_id,
				     cap);
			break;
		}
		it.kind = (int)kind;
		if (kst_day(at, it.date, err) < 0) {
			rc = -1;
			break;
		}
		out[(*n)++] = it;
	}
	db_cursor_close(cur);
	if (rc < 0)
		return -1;
	/* grouped by pod in SQL order already (settlements alone are too) */
	return 0;
}

#define REC_COLS(r)                                                                                              \
	DB_COLS(DC_I(&(r)->id), DC_S((r)->public_id), DC_S((r)->leader_id), DC_I(&seq), DC_S((r)->type_code),    \
		DC_S((r)->amendment_code), DC_S((r)->status), DC_S((r)->mgt_key), DC_S((r)->issue_id),           \
		DC_S((r)->write_date), DC_I(&(r)->supply), DC_I(&(r)->vat), DC_I(&(r)->total), DC_I(&late),       \
		DC_S((r)->xml_path))
#define REC_SELECT                                                                                               \
	"SELECT id, public_id, leader_id, sequence, type_code, COALESCE(amendment_code, ''), status, "           \
	"COALESCE(mgt_key, ''), COALESCE(nts_issue_id, ''), COALESCE(DATE_FORMAT(write_date, '%Y%m%d'), ''), "   \
	"supply, vat, total, late, COALESCE(xml_path, '') FROM tax_invoices "

static int invoices(void *self, struct uow *tx, const char *leader_id, const char *period, struct invoice_rec *out,
		    size_t cap, size_t *n, struct settle_err *err)
{
	struct db_cursor *cur;
	struct invoice_rec r;
	int64_t seq, late;
	int rc;

	*n = 0;
	memset(&r, 0, sizeof r);
	if (db_query(uow_db(tx, self), &cur, REC_SELECT "WHERE leader_id = ? AND period = ? ORDER BY sequence",
		     DB_PARAMS(DB_S(leader_id), DB_S(period)), REC_COLS(&r), err) < 0)
		return -1;
	while ((rc = db_fetch(cur, err)) > 0) {
		if (*n == cap) {
			rc = err_set(err, SETTLE_EX_DATAERR, "leader %s has more than %zu invoices for %s", leader_id, cap,
				     period);
			break;
		}
		r.sequence = (int)seq;
		r.late = (int)late;
		out[(*n)++] = r;
	}
	db_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

static int drafts(void *self, struct uow *tx, const char *period, invoice_rec_fn fn, void *arg, struct settle_err *err)
{
	struct db_cursor *cur;
	struct invoice_rec r;
	int64_t seq, late;
	int rc;

	memset(&r, 0, sizeof r);
	if (db_query(uow_db(tx, self), &cur, REC_SELECT "WHERE period = ? AND status = 'DRAFT' ORDER BY id",
		     DB_PARAMS(DB_S(period)), REC_COLS(&r), err) < 0)
		return -1;
	while ((rc = db_fetch(cur, err)) > 0) {
		r.sequence = (int)seq;
		r.late = (int)late;
		if (fn(arg, &r, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

static int insert(void *self, struct uow *tx, const struct invoice_doc *d, const char *leader_id, int64_t original_id,
		  const struct invoice_item *its, size_t n_items, const char *now, char public_id_[41], int64_t *id,
		  struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	uint64_t insert_id = 0;

	if (public_id(public_id_, 41, "inv_", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO tax_invoices (public_id, leader_id, period, sequence, type_code, amendment_code, "
		    "write_date, currency, supply, vat, total, status, original_id, mgt_key, invoicee_brn, late, "
		    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?, 'DRAFT', ?,?,?,?,?,?)",
		    DB_PARAMS(DB_S(public_id_), DB_S(leader_id), DB_S(d->period), DB_I(d->sequence), DB_S(d->type_code),
			      DB_SN(d->amendment_code), DB_S(d->write_date), DB_S(d->currency), DB_I(d->supply),
			      DB_I(d->vat), DB_I(d->total), original_id ? DB_I(original_id) : DB_NULL, DB_S(d->mgt_key),
			      DB_S(d->invoicee.brn), DB_I(d->late), DB_S(now), DB_S(now)),
		    NULL, &insert_id, err) < 0)
		return -1;
	*id = (int64_t)insert_id;
	for (size_t i = 0; i < d->n_lines; i++) {
		const struct invoice_line *l = &d->lines[i];

		if (db_exec(db,
			    "INSERT INTO tax_invoice_lines (invoice_id, seq, name, supply_date, supply, vat, items) "
			    "VALUES (?,?,?,?,?,?,?)",
			    DB_PARAMS(DB_I(*id), DB_I(l->seq), DB_S(l->name), DB_S(l->date), DB_I(l->supply), DB_I(l->vat),
				      DB_I(l->items)),
			    NULL, NULL, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < n_items; i++) {
		const struct invoice_item *it = &its[i];

		if (db_exec(db,
			    "INSERT INTO tax_invoice_items (invoice_id, item_kind, item_id, supply, vat) VALUES (?,?,?,?,?)",
			    DB_PARAMS(DB_I(*id), DB_S(it->kind == INVOICE_ITEM_CLAWBACK ? "CLAWBACK" : "SETTLEMENT"),
				      DB_I(it->id), DB_I(it->supply), DB_I(it->vat)),
			    NULL, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int one_row(struct db *db, const char *what, int64_t id, struct settle_err *err, const char *sql,
		   const struct db_param *p, size_t np)
{
	uint64_t affected = 0;

	if (db_exec(db, sql, p, np, &affected, NULL, err) < 0)
		return -1;
	if (affected != 1)
		return err_set(err, SETTLE_EX_TEMPFAIL, "invoice id %lld is no longer a draft (%s by another run?)",
			       (long long)id, what);
	return 0;
}

static int outcome(void *self, struct uow *tx, int64_t id, enum invoice_status to, const char *issue_id,
		   const char *xml_path, const char *code, const char *message, const char *now, struct settle_err *err)
{
	char buf[256];
	const char *msg = buf;

	snprintf(buf, sizeof buf, "%s", message ? message : "");
	return one_row(uow_db(tx, self), invoice_status_name(to), id, err,
		       "UPDATE tax_invoices SET status = ?, nts_issue_id = ?, xml_path = ?, "
		       "issued_at = IF(? = 'ISSUED', ?, issued_at), provider_code = ?, provider_message = ?, "
		       "updated_at = ? WHERE id = ? AND status = 'DRAFT'",
		       DB_PARAMS(DB_S(invoice_status_name(to)), DB_SN(issue_id), DB_SN(xml_path),
				 DB_S(invoice_status_name(to)), DB_S(now), DB_SN(code), DB_SN(msg), DB_S(now), DB_I(id)));
}

static int attempted(void *self, struct uow *tx, int64_t id, int in_doubt, const char *now, struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "UPDATE tax_invoices SET submitted_at = COALESCE(submitted_at, ?), doubt_count = doubt_count + ?, "
		       "updated_at = ? WHERE id = ? AND status = 'DRAFT'",
		       DB_PARAMS(DB_S(now), DB_I(in_doubt ? 1 : 0), DB_S(now), DB_I(id)), NULL, NULL, err);
}

static int load(void *self, struct uow *tx, int64_t id, struct invoice_doc *d, struct invoice_line *lines, size_t cap,
		struct invoice_leader *leader, char public_id_[41], struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	struct db_cursor *cur;
	struct invoice_line l;
	int64_t seq, late, nitems;
	char pid[41] = "";
	int rc;

	memset(d, 0, sizeof *d);
	memset(leader, 0, sizeof *leader);
	rc = db_query_one(db,
			  "SELECT t.public_id, t.leader_id, t.sequence, t.type_code, COALESCE(t.amendment_code, ''), "
			  "COALESCE(o.nts_issue_id, ''), t.mgt_key, t.period, DATE_FORMAT(t.write_date, '%Y%m%d'), "
			  "t.currency, t.late, t.supply, t.vat, t.total, COALESCE(t.invoicee_brn, ''), l.id, l.name, "
			  "l.email, l.kind FROM tax_invoices t LEFT JOIN tax_invoices o ON o.id = t.original_id "
			  "JOIN leaders l ON l.leader_id = t.leader_id WHERE t.id = ?",
			  DB_PARAMS(DB_I(id)),
			  DB_COLS(DC_S(pid), DC_S(leader->leader_id), DC_I(&seq),
				  DC_S(d->type_code), DC_S(d->amendment_code), DC_S(d->original_issue_id), DC_S(d->mgt_key),
				  DC_S(d->period), DC_S(d->write_date), DC_S(d->currency), DC_I(&late), DC_I(&d->supply),
				  DC_I(&d->vat), DC_I(&d->total), DC_S(leader->brn), DC_I(&leader->row_id), DC_S(leader->name),
				  DC_S(leader->email), DC_S(leader->kind)),
			  err);
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "invoice id %lld does not exist", (long long)id);
	if (rc < 0)
		return -1;
	if (public_id_)
		memcpy(public_id_, pid, sizeof pid);
	d->sequence = (int)seq;
	d->late = (int)late;
	d->type = d->sequence ? INVOICE_AMENDMENT : INVOICE_ORIGINAL;
	snprintf(d->invoicee.brn, sizeof d->invoicee.brn, "%s", leader->brn);
	snprintf(d->invoicee.name, sizeof d->invoicee.name, "%s", leader->name);
	snprintf(d->invoicee.representative, sizeof d->invoicee.representative, "%s", leader->name);
	snprintf(d->invoicee.email, sizeof d->invoicee.email, "%s", leader->email);
	d->lines = lines;
	memset(&l, 0, sizeof l);
	if (db_query(db, &cur,
		     "SELECT seq, name, DATE_FORMAT(supply_date, '%Y%m%d'), supply, vat, items FROM tax_invoice_lines "
		     "WHERE invoice_id = ? ORDER BY seq",
		     DB_PARAMS(DB_I(id)), DB_COLS(DC_I(&seq), DC_S(l.name), DC_S(l.date), DC_I(&l.supply), DC_I(&l.vat),
						  DC_I(&nitems)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(cur, err)) > 0) {
		if (d->n_lines == cap) {
			rc = err_set(err, SETTLE_EX_DATAERR, "invoice id %lld has more than %zu lines", (long long)id, cap);
			break;
		}
		l.seq = (int)seq;
		l.items = nitems;
		lines[d->n_lines++] = l;
	}
	db_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

void mysql_invoices_repo(struct invoices_repo *out, struct db *db)
{
	*out = (struct invoices_repo){.self = db,
				      .unsettled_pods = unsettled_pods,
				      .next_leader = next_leader,
				      .items = items,
				      .invoices = invoices,
				      .insert = insert,
				      .outcome = outcome,
				      .attempted = attempted,
				      .load = load,
				      .drafts = drafts};
}
