/*
 * report_queries.c — settle-report's read models over MariaDB/MySQL. Each
 * is one streamed SELECT (db_query/db_fetch: a row at a time from the
 * server), its rows handed out while the cursor is open; Korea-time text
 * is formatted by the server (UTC + 9 h, no daylight saving).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/reports.h"
#include "domain/timefmt.h"

#define KST(col) "DATE_FORMAT(" col " + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i:%s')"
#define KST_OR_EMPTY(col) "COALESCE(" KST(col) ", '')"

/* Runs a cursor to its end, calling each(arg) per row; stops at the first
 * callback failure (its error stays in err). */
static int stream(struct db *db, const char *sql, const struct db_param *p, size_t np, const struct db_col *cols,
		  size_t nc, int (*each)(void *arg, struct settle_err *err), void *arg, struct settle_err *err)
{
	struct db_cursor *c;
	int rc, stop = 0;

	if (db_query(db, &c, sql, p, np, cols, nc, err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		if (each(arg, err) < 0) {
			stop = 1;
			break;
		}
	db_cursor_close(c);
	return rc < 0 || stop ? -1 : 0;
}

/* --- settlements ---------------------------------------------------------- */

const char report_settlements_sql[] =
	"SELECT s.public_id, " KST("s.created_at") ", s.pod_id, COALESCE(p.title, ''), s.leader_id, s.currency, "
	"s.total, s.fee, s.supply, s.vat, s.leader_share, s.clawed_back, COALESCE(po.public_id, ''), "
	"COALESCE(po.status, ''), s.status "
	"FROM settlements s LEFT JOIN pods p ON p.pod_id = s.pod_id "
	"LEFT JOIN payout_items i ON i.item_kind = 'SETTLEMENT' AND i.item_id = s.id AND i.live = 1 "
	"LEFT JOIN payouts po ON po.id = i.payout_id "
	"WHERE s.created_at >= ? AND s.created_at < ? ORDER BY s.created_at, s.id";

struct s_buf {
	char id[41], at[24], pod[65], title[804], leader[65], cur[4], payout[41], pstatus[17], status[17];
	struct rq_settlement r;
	int (*fn)(void *, const struct rq_settlement *);
	void *arg;
};

static int s_each(void *arg, struct settle_err *err)
{
	struct s_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int settlements(void *self, const struct period *p, int (*fn)(void *, const struct rq_settlement *), void *arg,
		       struct settle_err *err)
{
	struct s_buf *b = calloc(1, sizeof *b);
	int rc;

	if (!b)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	b->r.public_id = b->id;
	b->r.pod_id = b->pod;
	b->r.title = b->title;
	b->r.leader_id = b->leader;
	b->r.currency = b->cur;
	b->r.status = b->status;
	b->r.settled_kst = b->at;
	b->r.payout_id = b->payout;
	b->r.payout_status = b->pstatus;
	b->fn = fn;
	b->arg = arg;
	rc = stream(self, report_settlements_sql, DB_PARAMS(DB_S(p->from_sql), DB_S(p->to_sql)),
		    DB_COLS(DC_S(b->id), DC_S(b->at), DC_S(b->pod), DC_S(b->title), DC_S(b->leader), DC_S(b->cur),
			    DC_I(&b->r.total), DC_I(&b->r.fee), DC_I(&b->r.supply), DC_I(&b->r.vat),
			    DC_I(&b->r.leader_share), DC_I(&b->r.clawed_back), DC_S(b->payout), DC_S(b->pstatus),
			    DC_S(b->status)),
		    s_each, b, err);
	free(b);
	return rc;
}

/* --- payouts -------------------------------------------------------------- */

#define PAYOUT_COLS(line, ord)                                                                                     \
	"SELECT " line ", po.id, " ord ", po.public_id, po.leader_id, po.leader_kind, po.currency, po.channel, "   \
	"po.status, " KST("po.created_at") ", " KST_OR_EMPTY("po.sent_at") ", " KST_OR_EMPTY("po.paid_at") ", "    \
	"po.gross, po.income_tax, po.local_tax, po.withholding, po.amount, "
#define IN_PERIOD " WHERE po.created_at >= ? AND po.created_at < ?"

static const char payouts_sql[] = PAYOUT_COLS("'PAYOUT'", "0") "'', 0 FROM payouts po" IN_PERIOD
	" ORDER BY po.created_at, po.id";

/* The payout, then what it carries: its items, then the payments inside
 * each settlement it carries (through the escrows the settlement took),
 * each with what it brought into the settlement: what is still released
 * plus what later refunds clawed back (those moved it off released). */
static const char payouts_detail_sql[] =
	"SELECT * FROM ("
	PAYOUT_COLS("'PAYOUT'", "0") "'' AS item_ref, 0 AS item_amount, po.created_at AS t FROM payouts po" IN_PERIOD
	" UNION ALL "
	PAYOUT_COLS("i.item_kind", "1") "COALESCE(s.public_id, c.public_id, ''), i.amount, po.created_at "
	"FROM payouts po JOIN payout_items i ON i.payout_id = po.id "
	"LEFT JOIN settlements s ON i.item_kind = 'SETTLEMENT' AND s.id = i.item_id "
	"LEFT JOIN clawbacks c ON i.item_kind = 'CLAWBACK' AND c.id = i.item_id" IN_PERIOD
	" UNION ALL "
	PAYOUT_COLS("'PAYMENT'", "2") "pay.public_id, e.released_amount + COALESCE((SELECT SUM(c.refund) FROM clawbacks c "
	"JOIN refunds r ON r.id = c.refund_id WHERE r.payment_id = pay.id), 0), po.created_at "
	"FROM payouts po JOIN payout_items i ON i.payout_id = po.id AND i.item_kind = 'SETTLEMENT' "
	"JOIN escrows e ON e.settlement_id = i.item_id JOIN payments pay ON pay.id = e.payment_id" IN_PERIOD
	") x ORDER BY t, 2, 3, 18";

struct p_buf {
	char line[17], id[41], leader[65], kind[25], cur[4], channel[25], status[17], created[24], sent[24], paid[24];
	char item[41];
	int64_t pid, ord, t_unused;
	struct rq_payout r;
	int (*fn)(void *, const struct rq_payout *);
	void *arg;
};

static int p_each(void *arg, struct settle_err *err)
{
	struct p_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int payouts(void *self, const struct period *p, int detail, int (*fn)(void *, const struct rq_payout *),
		   void *arg, struct settle_err *err)
{
	struct p_buf b;
	char t[32];
	struct db_col cols[] = {
		DC_S(b.line), DC_I(&b.pid), DC_I(&b.ord), DC_S(b.id), DC_S(b.leader), DC_S(b.kind), DC_S(b.cur),
		DC_S(b.channel), DC_S(b.status), DC_S(b.created), DC_S(b.sent), DC_S(b.paid), DC_I(&b.r.gross),
		DC_I(&b.r.income_tax), DC_I(&b.r.local_tax), DC_I(&b.r.withholding), DC_I(&b.r.amount), DC_S(b.item),
		DC_I(&b.r.item_amount), DC_S(t),
	};

	memset(&b, 0, sizeof b);
	b.r.line = b.line;
	b.r.public_id = b.id;
	b.r.leader_id = b.leader;
	b.r.leader_kind = b.kind;
	b.r.currency = b.cur;
	b.r.channel = b.channel;
	b.r.status = b.status;
	b.r.created_kst = b.created;
	b.r.sent_kst = b.sent;
	b.r.paid_kst = b.paid;
	b.r.item_ref = b.item;
	b.fn = fn;
	b.arg = arg;
	if (detail)
		return stream(self, payouts_detail_sql,
			      DB_PARAMS(DB_S(p->from_sql), DB_S(p->to_sql), DB_S(p->from_sql), DB_S(p->to_sql),
					DB_S(p->from_sql), DB_S(p->to_sql)),
			      cols, 20, p_each, &b, err);
	return stream(self, payouts_sql, DB_PARAMS(DB_S(p->from_sql), DB_S(p->to_sql)), cols, 19, p_each, &b, err);
}

/* --- escrow balances at an instant --------------------------------------- */

struct e_buf {
	char pod[65], title[804], leader[65], cur[4];
	struct rq_escrow r;
	int (*fn)(void *, const struct rq_escrow *);
	void *arg;
};

static int e_each(void *arg, struct settle_err *err)
{
	struct e_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int escrow_at(void *self, int64_t at_us, int (*fn)(void *, const struct rq_escrow *), void *arg,
		     struct settle_err *err)
{
	struct e_buf *b = calloc(1, sizeof *b);
	char at[32];
	int rc;

	if (!b)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	time_sql(at_us, at);
	b->r = (struct rq_escrow){b->pod, b->title, b->leader, b->cur, 0, 0, 0};
	b->fn = fn;
	b->arg = arg;
	/* held and released from the postings; disputed: the escrows whose
	 * dispute was open at the instant, less what was refunded of them by
	 * then (a part of held, not an extra balance). */
	rc = stream(self,
		    "SELECT x.pod, COALESCE(p.title, ''), COALESCE(p.leader_id, ''), x.currency, x.held, "
		    "LEAST(x.held, COALESCE(d.disputed, 0)), x.rel FROM ("
		    " SELECT SUBSTRING(po.account, LOCATE(':', po.account) + 1) AS pod, po.currency, "
		    " -SUM(CASE WHEN po.account LIKE 'escrow:%' THEN po.amount ELSE 0 END) AS held, "
		    " -SUM(CASE WHEN po.account LIKE 'released:%' THEN po.amount ELSE 0 END) AS rel "
		    " FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
		    " WHERE je.created_at < ? AND (po.account LIKE 'escrow:%' OR po.account LIKE 'released:%') "
		    " GROUP BY pod, po.currency) x "
		    "LEFT JOIN pods p ON p.pod_id = x.pod "
		    "LEFT JOIN (SELECT e.pod_id, e.currency, SUM(e.amount - COALESCE((SELECT SUM(r.amount) FROM refunds r "
		    "  WHERE r.payment_id = e.payment_id AND r.status = 'COMPLETED' AND r.created_at < ?), 0)) AS disputed "
		    "  FROM disputes d JOIN escrows e ON e.id = d.escrow_id "
		    "  WHERE d.opened_at < ? AND (d.resolved_at IS NULL OR d.resolved_at >= ?) GROUP BY e.pod_id, e.currency) d "
		    " ON d.pod_id = x.pod AND d.currency = x.currency "
		    "WHERE x.held <> 0 OR x.rel <> 0 ORDER BY x.pod, x.currency",
		    DB_PARAMS(DB_S(at), DB_S(at), DB_S(at), DB_S(at)),
		    DB_COLS(DC_S(b->pod), DC_S(b->title), DC_S(b->leader), DC_S(b->cur), DC_I(&b->r.held),
			    DC_I(&b->r.disputed), DC_I(&b->r.released_unsettled)),
		    e_each, b, err);
	free(b);
	return rc;
}

/* --- a leader's statement ------------------------------------------------ */

static int sum1(struct db *db, const char *sql, const struct db_param *p, size_t np, int64_t *out,
		struct settle_err *err)
{
	*out = 0;
	return db_query_one(db, sql, p, np, DB_COLS(DC_I(out)), err) < 0 ? -1 : 0;
}

static int leader_summary(void *self, const char *leader_id, const struct period *p, struct rq_leader_summary *s,
			  struct settle_err *err)
{
	struct db *db = self;
	char account[160];
	int64_t k[5] = {0};
	int rc;

	memset(s, 0, sizeof *s);
	rc = db_query_one(db, "SELECT name, kind FROM leaders WHERE leader_id = ?", DB_PARAMS(DB_S(leader_id)),
			  DB_COLS(DC_S(s->name), DC_S(s->kind)), err);
	if (rc <= 0)
		return rc;
	snprintf(account, sizeof account, "leader_payable:%s", leader_id);
	snprintf(s->currency, sizeof s->currency, "KRW");
	if (sum1(db,
		 "SELECT COALESCE(-SUM(po.amount), 0) FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
		 "WHERE po.account = ? AND je.created_at < ?",
		 DB_PARAMS(DB_S(account), DB_S(p->from_sql)), &s->opening, err) < 0 ||
	    sum1(db,
		 "SELECT COALESCE(-SUM(po.amount), 0) FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
		 "WHERE po.account = ? AND je.created_at < ?",
		 DB_PARAMS(DB_S(account), DB_S(p->to_sql)), &s->closing, err) < 0)
		return -1;
	/* what each kind of event moved on the leader's account in the period */
	if (db_query_one(db,
			 "SELECT COALESCE(SUM(CASE WHEN je.kind = 'settlement' THEN -po.amount END), 0), "
			 "COALESCE(SUM(CASE WHEN je.kind = 'refund' THEN po.amount END), 0), "
			 "COALESCE(SUM(CASE WHEN je.kind = 'withholding' THEN po.amount END), 0), "
			 "COALESCE(SUM(CASE WHEN je.kind = 'payout' THEN po.amount END), 0), "
			 "COALESCE(SUM(CASE WHEN je.kind = 'reversal' THEN -po.amount END), 0) "
			 "FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
			 "WHERE po.account = ? AND je.created_at >= ? AND je.created_at < ?",
			 DB_PARAMS(DB_S(account), DB_S(p->from_sql), DB_S(p->to_sql)),
			 DB_COLS(DC_I(&k[0]), DC_I(&k[1]), DC_I(&k[2]), DC_I(&k[3]), DC_I(&k[4])), err) < 0)
		return -1;
	s->leader_share = k[0];
	s->clawbacks = k[1];
	s->withholding = k[2];
	s->paid_out = k[3];
	s->reversed = k[4];
	if (db_query_one(db,
			 "SELECT COALESCE(SUM(total), 0), COALESCE(SUM(fee), 0), COALESCE(SUM(vat), 0) FROM settlements "
			 "WHERE leader_id = ? AND created_at >= ? AND created_at < ?",
			 DB_PARAMS(DB_S(leader_id), DB_S(p->from_sql), DB_S(p->to_sql)),
			 DB_COLS(DC_I(&s->settled_total), DC_I(&s->fee), DC_I(&s->vat)), err) < 0)
		return -1;
	/* paid in and refunded on the leader's pods: the captures' and the
	 * refunds' entries of the period */
	if (sum1(db,
		 "SELECT COALESCE(SUM(po.amount), 0) FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
		 "JOIN payments pay ON pay.public_id = je.ref JOIN pods d ON d.pod_id = pay.pod_id "
		 "WHERE je.kind = 'capture' AND po.account LIKE 'pg\\_clearing%' AND d.leader_id = ? "
		 "AND je.created_at >= ? AND je.created_at < ?",
		 DB_PARAMS(DB_S(leader_id), DB_S(p->from_sql), DB_S(p->to_sql)), &s->paid_in, err) < 0 ||
	    sum1(db,
		 "SELECT COALESCE(-SUM(po.amount), 0) FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
		 "JOIN refunds r ON r.public_id = je.ref JOIN payments pay ON pay.id = r.payment_id "
		 "JOIN pods d ON d.pod_id = pay.pod_id "
		 "WHERE je.kind = 'refund' AND po.account LIKE 'pg\\_clearing%' AND d.leader_id = ? "
		 "AND je.created_at >= ? AND je.created_at < ?",
		 DB_PARAMS(DB_S(leader_id), DB_S(p->from_sql), DB_S(p->to_sql)), &s->refunded, err) < 0)
		return -1;
	return 1;
}

struct l_buf {
	char at[24], kind[33], ref[97], cur[4];
	struct rq_leader_line r;
	int (*fn)(void *, const struct rq_leader_line *);
	void *arg;
};

static int l_each(void *arg, struct settle_err *err)
{
	struct l_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int leader_lines(void *self, const char *leader_id, const struct period *p,
			int (*fn)(void *, const struct rq_leader_line *), void *arg, struct settle_err *err)
{
	struct l_buf b;
	char account[160];

	memset(&b, 0, sizeof b);
	b.r = (struct rq_leader_line){b.at, b.kind, b.ref, b.cur, 0};
	b.fn = fn;
	b.arg = arg;
	snprintf(account, sizeof account, "leader_payable:%s", leader_id);
	return stream(self,
		      "SELECT " KST("je.created_at") ", je.kind, je.ref, po.currency, -po.amount "
		      "FROM postings po JOIN journal_entries je ON je.id = po.entry_id "
		      "WHERE po.account = ? AND je.created_at >= ? AND je.created_at < ? ORDER BY je.created_at, je.id, po.id",
		      DB_PARAMS(DB_S(account), DB_S(p->from_sql), DB_S(p->to_sql)),
		      DB_COLS(DC_S(b.at), DC_S(b.kind), DC_S(b.ref), DC_S(b.cur), DC_I(&b.r.amount)), l_each, &b, err);
}

/* --- withholding ------------------------------------------------------------ */

struct w_buf {
	char leader[65], name[404], rrn_hex[520], id[41], sent[24], cur[4];
	unsigned char rrn[260];
	struct rq_withholding r;
	int (*fn)(void *, const struct rq_withholding *);
	void *arg;
};

static int unhex(const char *h, unsigned char *out, size_t cap, size_t *n)
{
	size_t len = strlen(h);

	if (len % 2 || len / 2 > cap)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	*n = len / 2;
	return 0;
}

static int w_each(void *arg, struct settle_err *err)
{
	struct w_buf *b = arg;
	int rc;

	b->r.rrn_sealed = NULL;
	b->r.rrn_len = 0;
	if (b->rrn_hex[0]) {
		if (unhex(b->rrn_hex, b->rrn, sizeof b->rrn, &b->r.rrn_len) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "leader %s: stored resident number is malformed", b->leader);
		b->r.rrn_sealed = b->rrn;
	}
	rc = b->fn(b->arg, &b->r);
	explicit_bzero(b->rrn, sizeof b->rrn);
	return rc;
}

static int withholding(void *self, const struct period *p, int (*fn)(void *, const struct rq_withholding *), void *arg,
		       struct settle_err *err)
{
	struct w_buf *b = calloc(1, sizeof *b);
	int rc;

	if (!b)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	b->r.leader_id = b->leader;
	b->r.name = b->name;
	b->r.payout_id = b->id;
	b->r.sent_kst = b->sent;
	b->r.currency = b->cur;
	b->fn = fn;
	b->arg = arg;
	rc = stream(self,
		    "SELECT po.leader_id, COALESCE(l.name, ''), COALESCE(HEX(l.rrn_enc), ''), po.public_id, "
		    "DATE_FORMAT(po.sent_at + INTERVAL 9 HOUR, '%Y-%m-%d'), po.currency, po.gross, po.income_tax, "
		    "po.local_tax, po.withholding, po.amount FROM payouts po LEFT JOIN leaders l ON l.leader_id = po.leader_id "
		    "WHERE po.leader_kind = 'INDIVIDUAL' AND po.status IN ('SENT', 'PAID') AND po.sent_at >= ? "
		    "AND po.sent_at < ? ORDER BY po.leader_id, po.sent_at, po.id",
		    DB_PARAMS(DB_S(p->from_sql), DB_S(p->to_sql)),
		    DB_COLS(DC_S(b->leader), DC_S(b->name), DC_S(b->rrn_hex), DC_S(b->id), DC_S(b->sent), DC_S(b->cur),
			    DC_I(&b->r.gross), DC_I(&b->r.income_tax), DC_I(&b->r.local_tax), DC_I(&b->r.withholding),
			    DC_I(&b->r.amount)),
		    w_each, b, err);
	explicit_bzero(b, sizeof *b);
	free(b);
	return rc;
}

/* --- VAT ------------------------------------------------------------------ */

struct v_buf {
	char month[8], cur[4];
	struct rq_vat_month r;
	int (*fn)(void *, const struct rq_vat_month *);
	void *arg;
};

static int v_each(void *arg, struct settle_err *err)
{
	struct v_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int vat(void *self, const struct period *p, int (*fn)(void *, const struct rq_vat_month *), void *arg,
	       struct settle_err *err)
{
	struct v_buf b;

	memset(&b, 0, sizeof b);
	b.r.month = b.month;
	b.r.currency = b.cur;
	b.fn = fn;
	b.arg = arg;
	return stream(self,
		      "SELECT m, currency, SUM(a), SUM(b), SUM(c), SUM(d) FROM ("
		      " SELECT DATE_FORMAT(created_at + INTERVAL 9 HOUR, '%Y-%m') AS m, currency, supply AS a, vat AS b, "
		      " 0 AS c, 0 AS d FROM settlements WHERE created_at >= ? AND created_at < ?"
		      " UNION ALL SELECT DATE_FORMAT(created_at + INTERVAL 9 HOUR, '%Y-%m'), currency, 0, 0, supply_part, "
		      " vat_part FROM clawbacks WHERE created_at >= ? AND created_at < ?) x "
		      "GROUP BY m, currency ORDER BY m, currency",
		      DB_PARAMS(DB_S(p->from_sql), DB_S(p->to_sql), DB_S(p->from_sql), DB_S(p->to_sql)),
		      DB_COLS(DC_S(b.month), DC_S(b.cur), DC_I(&b.r.supply), DC_I(&b.r.vat), DC_I(&b.r.clawback_supply),
			      DC_I(&b.r.clawback_vat)),
		      v_each, &b, err);
}

/* --- what stays on withholding_payable; what blocks a close --------------- */

struct o_buf {
	char ref[41], status[17], when[24], cur[4];
	struct rq_open_item r;
	int (*fn)(void *, const struct rq_open_item *);
	void *arg;
};

static int o_each(void *arg, struct settle_err *err)
{
	struct o_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int withholding_open(void *self, const struct period *p, int (*fn)(void *, const struct rq_open_item *),
			    void *arg, struct settle_err *err)
{
	struct o_buf b;

	(void)p;
	memset(&b, 0, sizeof b);
	b.r = (struct rq_open_item){b.ref, b.status, b.when, b.cur, 0};
	b.fn = fn;
	b.arg = arg;
	/* live payouts with withholding booked whose sending month has no
	 * remittance (not sent yet, or sent in a month not remitted) */
	return stream(self,
		      "SELECT po.public_id, po.status, COALESCE(" KST("po.sent_at") ", " KST("po.created_at") "), "
		      "po.currency, po.withholding FROM payouts po WHERE po.withholding > 0 "
		      "AND po.status NOT IN ('FAILED', 'RETURNED') AND NOT (po.status IN ('SENT', 'PAID') "
		      "AND po.sent_at IS NOT NULL AND DATE_FORMAT(po.sent_at + INTERVAL 9 HOUR, '%Y-%m') IN "
		      "(SELECT period FROM remittances WHERE kind = 'withholding')) ORDER BY po.id",
		      DB_NOPARAMS, DB_COLS(DC_S(b.ref), DC_S(b.status), DC_S(b.when), DC_S(b.cur), DC_I(&b.r.amount)),
		      o_each, &b, err);
}

struct k_buf {
	char what[16], ref[65], status[17], detail[256];
	struct rq_blocker r;
	int (*fn)(void *, const struct rq_blocker *);
	void *arg;
};

static int k_each(void *arg, struct settle_err *err)
{
	struct k_buf *b = arg;

	(void)err;
	return b->fn(b->arg, &b->r);
}

static int close_blockers(void *self, const struct period *p, int (*fn)(void *, const struct rq_blocker *), void *arg,
			  struct settle_err *err)
{
	struct k_buf b;

	memset(&b, 0, sizeof b);
	b.r = (struct rq_blocker){b.what, b.ref, b.status, b.detail, 0};
	b.fn = fn;
	b.arg = arg;
	return stream(self,
		      "SELECT 'pod', d.pod_id, d.status, CONCAT(COUNT(*), ' escrow(s) not settled (', "
		      "GROUP_CONCAT(DISTINCT e.status ORDER BY e.status), '), completed ', " KST("d.completed_at") ", ' KST'), "
		      "SUM(e.amount - e.refunded_amount) "
		      "FROM pods d JOIN escrows e ON e.pod_id = d.pod_id "
		      "WHERE d.status = 'COMPLETED' AND d.completed_at >= ? AND d.completed_at < ? "
		      "AND e.settlement_id IS NULL AND e.status IN ('HOLDING', 'DISPUTED', 'RELEASED') "
		      "AND e.amount > e.refunded_amount GROUP BY d.pod_id, d.status, d.completed_at "
		      "UNION ALL "
		      "SELECT 'payout', public_id, status, CONCAT('in doubt since ', " KST("updated_at") ", ' KST', "
		      "COALESCE(CONCAT(': ', failure_code), '')), amount FROM payouts "
		      "WHERE created_at < ? AND (status = 'SENDING' OR (doubt_count > 0 AND status NOT IN "
		      "('PAID', 'FAILED', 'RETURNED'))) "
		      "ORDER BY 1 DESC, 2",
		      DB_PARAMS(DB_S(p->from_sql), DB_S(p->to_sql), DB_S(p->to_sql)),
		      DB_COLS(DC_S(b.what), DC_S(b.ref), DC_S(b.status), DC_S(b.detail), DC_I(&b.r.amount)), k_each, &b,
		      err);
}

static int balance(void *self, const char *account, const char *currency, int64_t *out, struct settle_err *err)
{
	return sum1(self, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = ? AND currency = ?",
		    DB_PARAMS(DB_S(account), DB_S(currency)), out, err);
}

void mysql_report_queries(struct report_queries *out, struct db *db)
{
	*out = (struct report_queries){
		.self = db,
		.settlements = settlements,
		.payouts = payouts,
		.escrow_at = escrow_at,
		.leader_summary = leader_summary,
		.leader_lines = leader_lines,
		.withholding = withholding,
		.vat = vat,
		.withholding_open = withholding_open,
		.close_blockers = close_blockers,
		.balance = balance,
	};
}
