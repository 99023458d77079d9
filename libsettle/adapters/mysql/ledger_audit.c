/*
 * ledger_audit.c — invariants recomputed from postings:
 *   balanced      every entry's postings sum to zero per currency
 *   postings      every entry has at least two postings
 *   account_name  every account is in the chart of accounts
 *   account_sign  every account's balance has its kind's sign
 *                 (assets and expenses >= 0, liabilities and income <= 0)
 *   released      each pod's released:{pod} balance equals what its released,
 *                 not yet settled escrows hold
 *   escrow        each pod's escrow:{pod} balance equals what its escrow
 *                 rows still hold (HOLDING/DISPUTED, less refunds)
 *   capture       every captured payment has exactly one capture entry,
 *                 and no other payment has one
 *   refund        every completed refund has exactly one refund entry, and
 *                 each payment's refunded amount is the sum of them
 *   reference     every capture, refund and release entry names a payment,
 *                 refund or escrow that exists
 *   settlement    every settlement obeys the split rules and has one entry
 *                 posting exactly its figures
 *   payout        every payout's gross is what its items carry, its
 *                 withholding and amount follow the rules, and its entries
 *                 post exactly its withholding and (once paid) its amount
 *   leader_payable  each leader's payable equals settled shares less
 *                 clawbacks less what live payouts withheld and paid
 *   pg_settlement every PG settlement record booked by reconcile --post
 *                 has its one entry posting exactly its figures (into the
 *                 bank: bank payout, fee, pg_clearing -amount; into the PG
 *                 balance: fee, pg_clearing -fee), and every such entry
 *                 has its record
 * Entries are matched to their business rows by meaning — kind and ref,
 * compared byte for byte — never by the entry_key text: a second capture
 * filed under another key is still a second capture.
 * Sums are read as decimal text so a sum beyond 64 bits is reported, not
 * wrapped.
 */
#include "adapters/mysql/ledger_audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "domain/journal.h"

static int count(struct db *db, const char *sql, int64_t *out, struct settle_err *err)
{
	return db_query_one(db, sql, DB_NOPARAMS, DB_COLS(DC_I(out)), err) < 0 ? -1 : 0;
}

/* Runs a query whose rows are findings:
 * (entry_id or 0, entry_key, account or subject, currency, amount, detail). */
static int findings(struct db *db, const char *check, const char *sql, audit_fn fn, void *arg,
		    struct audit_totals *totals, struct settle_err *err)
{
	struct db_cursor *c;
	struct audit_finding f;
	int64_t id;
	char key[161], subject[161], cur[8], amount[40], detail[256];
	int rc;

	if (db_query(db, &c, sql, DB_NOPARAMS,
		     DB_COLS(DC_I(&id), DC_S(key), DC_S(subject), DC_S(cur), DC_S(amount), DC_S(detail)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		memset(&f, 0, sizeof f);
		f.check = check;
		f.entry_id = id;
		snprintf(f.entry_key, sizeof f.entry_key, "%s", key);
		snprintf(f.account, sizeof f.account, "%s", subject);
		snprintf(f.currency, sizeof f.currency, "%s", cur);
		snprintf(f.amount, sizeof f.amount, "%s", amount);
		snprintf(f.detail, sizeof f.detail, "%s", detail);
		totals->findings++;
		if (fn(arg, &f) < 0)
			break;
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* ref and public_id are utf8mb4_unicode_ci, so '=' alone would take
 * "PAY_1" for "pay_1"; the first comparison keeps the ref index usable,
 * the second makes the match exact. */
#define SAME_REF(ref, id) ref " = " id " AND CAST(" ref " AS BINARY) = CAST(" id " AS BINARY)"

/* An entry of kind K names its business row in ref; one query per kind
 * that names a row. A new kind that names a row adds a line here. */
#define REFERENT(kind, table, noun)                                                                        \
	"SELECT e.id, e.entry_key, e.ref, '', '', CONCAT('" kind " entry refers to " noun " ', e.ref, "      \
	"', which does not exist') FROM journal_entries e LEFT JOIN " table " x ON " SAME_REF("e.ref",       \
											      "x.public_id") \
	" WHERE e.kind = '" kind "' AND x.id IS NULL ORDER BY e.id"

static const char *const referents[] = {
	REFERENT("capture", "payments", "payment"),
	REFERENT("refund", "refunds", "refund"),
	REFERENT("release", "escrows", "escrow"),
};

static int business_checks(struct db *db, audit_fn fn, void *arg, struct audit_totals *totals,
			   struct settle_err *err)
{
	if (findings(db, "escrow",
		     "SELECT 0, '', CONCAT('escrow:', pod), cur, '', CONCAT('ledger holds ', CAST(SUM(ledger) AS CHAR), "
		     "' but escrow rows hold ', CAST(SUM(held) AS CHAR)) FROM ("
		     " SELECT SUBSTRING(account, 8) AS pod, currency AS cur, -SUM(amount) AS ledger, 0 AS held"
		     " FROM postings WHERE account LIKE 'escrow:%' GROUP BY account, currency"
		     " UNION ALL"
		     " SELECT pod_id, currency, 0, SUM(amount - refunded_amount) FROM escrows"
		     " WHERE status IN ('HOLDING', 'DISPUTED') GROUP BY pod_id, currency"
		     ") x GROUP BY pod, cur HAVING SUM(ledger) <> SUM(held) ORDER BY pod",
		     fn, arg, totals, err) < 0)
		return -1;
	if (findings(db, "released",
		     "SELECT 0, '', CONCAT('released:', pod), cur, '', CONCAT('ledger holds ', CAST(SUM(ledger) AS CHAR), "
		     "' but released, unsettled escrows hold ', CAST(SUM(held) AS CHAR)) FROM ("
		     " SELECT SUBSTRING(account, 10) AS pod, currency AS cur, -SUM(amount) AS ledger, 0 AS held"
		     " FROM postings WHERE account LIKE 'released:%' GROUP BY account, currency"
		     " UNION ALL"
		     " SELECT pod_id, currency, 0, SUM(released_amount) FROM escrows"
		     " WHERE status = 'RELEASED' AND settlement_id IS NULL GROUP BY pod_id, currency"
		     ") x GROUP BY pod, cur HAVING SUM(ledger) <> SUM(held) ORDER BY pod",
		     fn, arg, totals, err) < 0)
		return -1;
	if (findings(db, "capture",
		     "SELECT 0, '', p.public_id, p.currency, '', CONCAT(p.status, ' payment has ', COUNT(e.id), "
		     "' capture entries', IF(COUNT(e.id) = 0, '', CONCAT(' (', SUBSTRING(GROUP_CONCAT(e.entry_key "
		     "ORDER BY e.id SEPARATOR ', '), 1, 160), ')'))) "
		     "FROM payments p LEFT JOIN journal_entries e ON e.kind = 'capture' AND " SAME_REF("e.ref", "p.public_id")
		     " GROUP BY p.id, p.public_id, p.currency, p.status "
		     "HAVING (p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')) <> (COUNT(e.id) = 1) "
		     "ORDER BY p.id",
		     fn, arg, totals, err) < 0)
		return -1;
	if (findings(db, "refund",
		     "SELECT 0, '', r.public_id, r.currency, '', CONCAT(r.status, ' refund has ', COUNT(e.id), "
		     "' refund entries', IF(COUNT(e.id) = 0, '', CONCAT(' (', SUBSTRING(GROUP_CONCAT(e.entry_key "
		     "ORDER BY e.id SEPARATOR ', '), 1, 160), ')'))) "
		     "FROM refunds r LEFT JOIN journal_entries e ON e.kind = 'refund' AND " SAME_REF("e.ref", "r.public_id")
		     " GROUP BY r.id, r.public_id, r.currency, r.status "
		     "HAVING (r.status = 'COMPLETED') <> (COUNT(e.id) = 1) ORDER BY r.id",
		     fn, arg, totals, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof referents / sizeof referents[0]; i++)
		if (findings(db, "reference", referents[i], fn, arg, totals, err) < 0)
			return -1;
	/* The settlement path (issue 9 §8), each from its own SQL. */
	if (findings(db, "settlement",
		     "SELECT 0, '', s.public_id, s.currency, CAST(s.total AS CHAR), 'split does not follow the rules "
		     "(fee = floor(total x fee_bps / 10000), supply = floor(fee x 10 / 11), VAT = fee - supply, "
		     "leader share = total - fee)' FROM settlements s "
		     "WHERE s.fee <> FLOOR(s.total * s.fee_bps / 10000) OR s.supply <> FLOOR(s.fee * 10 / 11) "
		     "OR s.vat <> s.fee - s.supply OR s.leader_share <> s.total - s.fee ORDER BY s.id",
		     fn, arg, totals, err) < 0)
		return -1;
	if (findings(db, "settlement",
		     "SELECT COALESCE(MIN(e.id), 0), COALESCE(MIN(e.entry_key), ''), s.public_id, s.currency, "
		     "CAST(s.total AS CHAR), CONCAT(COUNT(DISTINCT e.id), ' settlement entries; they post ', "
		     "COALESCE(SUM(CASE WHEN x.account = CONCAT('released:', s.pod_id) THEN x.amount END), 0), ' to released, ', "
		     "COALESCE(SUM(CASE WHEN x.account = 'platform_revenue' THEN x.amount END), 0), ' to revenue, ', "
		     "COALESCE(SUM(CASE WHEN x.account = 'vat_payable' THEN x.amount END), 0), ' to VAT, ', "
		     "COALESCE(SUM(CASE WHEN x.account = CONCAT('leader_payable:', s.leader_id) THEN x.amount END), 0), "
		     "' to the leader') FROM settlements s "
		     "LEFT JOIN journal_entries e ON e.kind = 'settlement' AND " SAME_REF("e.ref", "s.public_id")
		     " LEFT JOIN postings x ON x.entry_id = e.id GROUP BY s.id, s.public_id, s.currency, s.total, s.pod_id, "
		     "s.leader_id, s.supply, s.vat, s.leader_share "
		     "HAVING COUNT(DISTINCT e.id) <> 1 "
		     "OR COALESCE(SUM(CASE WHEN x.account = CONCAT('released:', s.pod_id) THEN x.amount END), 0) <> s.total "
		     "OR COALESCE(SUM(CASE WHEN x.account = 'platform_revenue' THEN x.amount END), 0) <> -s.supply "
		     "OR COALESCE(SUM(CASE WHEN x.account = 'vat_payable' THEN x.amount END), 0) <> -s.vat "
		     "OR COALESCE(SUM(CASE WHEN x.account = CONCAT('leader_payable:', s.leader_id) THEN x.amount END), 0) "
		     "<> -s.leader_share ORDER BY s.id",
		     fn, arg, totals, err) < 0)
		return -1;
#define PGS_LEG(acct) "COALESCE(SUM(CASE WHEN x.account = " acct " THEN x.amount END), 0)"
	if (findings(db, "pg_settlement",
		     "SELECT COALESCE(MIN(e.id), 0), COALESCE(MIN(e.entry_key), ''), CONCAT(r.pg, ':', r.transaction_key), "
		     "r.currency, CAST(r.amount AS CHAR), CONCAT(COUNT(DISTINCT e.id), ' entries; they post ', "
		     PGS_LEG("'bank'") ", ' to bank, ', " PGS_LEG("'pg_fee_expense'") ", ' to the PG fee, ', "
		     PGS_LEG("CONCAT('pg_clearing:', r.pg)") ", ' to pg_clearing') FROM pg_settlement_records r "
		     "LEFT JOIN journal_entries e ON e.kind = 'pg_settlement' AND e.entry_key = r.entry_key "
		     "LEFT JOIN postings x ON x.entry_id = e.id "
		     "GROUP BY r.pg, r.transaction_key, r.currency, r.amount, r.fee, r.payout, r.entry_key "
		     "HAVING COUNT(DISTINCT e.id) <> (r.entry_key IS NOT NULL) "
		     "OR " PGS_LEG("'pg_fee_expense'") " <> IF(r.entry_key IS NULL, 0, r.fee) "
		     "OR NOT ((" PGS_LEG("'bank'") " = r.payout AND " PGS_LEG("CONCAT('pg_clearing:', r.pg)") " = -r.amount) "
		     "OR (" PGS_LEG("'bank'") " = 0 AND " PGS_LEG("CONCAT('pg_clearing:', r.pg)") " = -r.fee)) "
		     "UNION ALL "
		     "SELECT e.id, e.entry_key, e.ref, '', '', 'pg_settlement entry without a booked PG settlement record' "
		     "FROM journal_entries e LEFT JOIN pg_settlement_records r ON r.entry_key = e.entry_key "
		     "WHERE e.kind = 'pg_settlement' AND r.pg IS NULL ORDER BY 1",
		     fn, arg, totals, err) < 0)
		return -1;
#undef PGS_LEG
	if (findings(db, "payout",
		     "SELECT 0, '', p.public_id, p.currency, CAST(p.gross AS CHAR), CONCAT('gross ', p.gross, ' but its items "
		     "carry ', COALESCE((SELECT SUM(i.amount) FROM payout_items i WHERE i.payout_id = p.id), 0)) "
		     "FROM payouts p WHERE p.gross <> COALESCE((SELECT SUM(i.amount) FROM payout_items i "
		     "WHERE i.payout_id = p.id), 0) OR p.withholding <> p.income_tax + p.local_tax "
		     "OR p.amount <> p.gross - p.withholding OR (p.leader_kind <> 'INDIVIDUAL' AND p.withholding <> 0) "
		     "OR p.income_tax % 10 <> 0 OR p.local_tax % 10 <> 0 "
		     "ORDER BY p.id",
		     fn, arg, totals, err) < 0)
		return -1;
	if (findings(db, "payout",
		     "SELECT 0, '', p.public_id, p.currency, CAST(p.amount AS CHAR), CONCAT(p.status, ' payout: withholding ', "
		     "p.withholding, ' and paid ', p.amount, ' but its entries post ', "
		     "COALESCE((SELECT SUM(x.amount) FROM journal_entries e JOIN postings x ON x.entry_id = e.id "
		     "WHERE e.kind = 'withholding' AND " SAME_REF("e.ref", "p.public_id") " AND x.account = "
		     "'withholding_payable'), 0), ' withheld and ', "
		     "COALESCE((SELECT SUM(x.amount) FROM journal_entries e JOIN postings x ON x.entry_id = e.id "
		     "WHERE e.kind = 'payout' AND " SAME_REF("e.ref", "p.public_id") " AND x.account = "
		     "CONCAT('leader_payable:', p.leader_id)), 0), ' paid') FROM payouts p WHERE "
		     "COALESCE((SELECT SUM(x.amount) FROM journal_entries e JOIN postings x ON x.entry_id = e.id "
		     "WHERE e.kind = 'withholding' AND " SAME_REF("e.ref", "p.public_id") " AND x.account = "
		     "'withholding_payable'), 0) <> -p.withholding "
		     "OR COALESCE((SELECT SUM(x.amount) FROM journal_entries e JOIN postings x ON x.entry_id = e.id "
		     "WHERE e.kind = 'payout' AND " SAME_REF("e.ref", "p.public_id") " AND x.account = "
		     "CONCAT('leader_payable:', p.leader_id)), 0) <> IF(p.paid_at IS NOT NULL, p.amount, 0) "
		     "ORDER BY p.id",
		     fn, arg, totals, err) < 0)
		return -1;
	/* What a leader is owed, from the business rows, equals the ledger:
	 * settled shares, less clawbacks, less what live payouts withheld and
	 * paid (a failed or returned payout's entries are reversed). */
	if (findings(db, "leader_payable",
		     "SELECT 0, '', CONCAT('leader_payable:', l), cur, CAST(SUM(ledger) AS CHAR), CONCAT('ledger ', SUM(ledger), "
		     "' but settlements, clawbacks and payouts say ', SUM(rows_)) FROM ("
		     " SELECT SUBSTRING(account, 16) AS l, currency AS cur, SUM(amount) AS ledger, 0 AS rows_ FROM postings "
		     " WHERE account LIKE 'leader\\_payable:%' GROUP BY account, currency"
		     " UNION ALL SELECT leader_id, currency, 0, -SUM(leader_share) FROM settlements GROUP BY leader_id, currency"
		     " UNION ALL SELECT leader_id, currency, 0, SUM(leader_part) FROM clawbacks GROUP BY leader_id, currency"
		     " UNION ALL SELECT leader_id, currency, 0, SUM(withholding + IF(status = 'PAID', amount, 0)) FROM payouts"
		     " WHERE status NOT IN ('FAILED', 'RETURNED') GROUP BY leader_id, currency"
		     ") x GROUP BY l, cur HAVING SUM(ledger) <> SUM(rows_) ORDER BY l",
		     fn, arg, totals, err) < 0)
		return -1;
	return findings(db, "refund",
			"SELECT 0, '', p.public_id, p.currency, '', CONCAT('refunded_amount ', p.refunded_amount, "
			"' but completed refunds sum to ', CAST(COALESCE(SUM(r.amount), 0) AS CHAR)) "
			"FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id AND r.status = 'COMPLETED' "
			"GROUP BY p.id, p.public_id, p.currency, p.refunded_amount "
			"HAVING p.refunded_amount <> COALESCE(SUM(r.amount), 0) ORDER BY p.id",
			fn, arg, totals, err);
}

int ledger_audit(struct db *db, audit_fn fn, void *arg, struct audit_totals *totals, struct settle_err *err)
{
	struct db_cursor *c;
	struct audit_finding f;
	char cur[4], sum[40], account[129];
	int rc;

	memset(totals, 0, sizeof *totals);
	if (count(db, "SELECT COUNT(*) FROM journal_entries", &totals->entries, err) < 0 ||
	    count(db, "SELECT COUNT(*) FROM postings", &totals->postings, err) < 0)
		return -1;

	if (findings(db, "balanced",
		     "SELECT e.id, e.entry_key, '', p.currency, CAST(SUM(p.amount) AS CHAR), "
		     "CONCAT(p.currency, ' postings sum to ', CAST(SUM(p.amount) AS CHAR), ', not 0') "
		     "FROM journal_entries e JOIN postings p ON p.entry_id = e.id "
		     "GROUP BY e.id, e.entry_key, p.currency HAVING SUM(p.amount) <> 0 ORDER BY e.id",
		     fn, arg, totals, err) < 0)
		return -1;
	if (findings(db, "postings",
		     "SELECT e.id, e.entry_key, '', '', '', "
		     "CONCAT('entry has ', COUNT(p.id), ' posting(s); at least 2 needed') FROM journal_entries e "
		     "LEFT JOIN postings p ON p.entry_id = e.id GROUP BY e.id, e.entry_key HAVING COUNT(p.id) < 2 "
		     "ORDER BY e.id",
		     fn, arg, totals, err) < 0)
		return -1;

	/* accounts */
	if (db_query(db, &c,
		     "SELECT account, currency, CAST(SUM(amount) AS CHAR) FROM postings "
		     "GROUP BY account, currency ORDER BY account, currency",
		     DB_NOPARAMS, DB_COLS(DC_S(account), DC_S(cur), DC_S(sum)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		enum account_kind kind = account_kind(account);
		long long balance;
		char *end;

		totals->accounts++;
		memset(&f, 0, sizeof f);
		snprintf(f.account, sizeof f.account, "%s", account);
		snprintf(f.currency, sizeof f.currency, "%s", cur);
		snprintf(f.amount, sizeof f.amount, "%s", sum);
		errno = 0;
		balance = strtoll(sum, &end, 10);
		if (kind == ACCOUNT_UNKNOWN) {
			f.check = "account_name";
			snprintf(f.detail, sizeof f.detail, "account is not in the chart of accounts");
		} else if (*end || errno == ERANGE) {
			f.check = "account_sign";
			snprintf(f.detail, sizeof f.detail, "balance %s does not fit 64 bits", sum);
		} else if (!account_balance_sign_ok(kind, balance) && !strcmp(account, "bank") && balance < 0) {
			/* Payouts by bank transfer are booked when they leave; the
			 * PG's settlement into the bank is booked by the Finance
			 * reconciliation. Until then the bank shows a credit. */
			f.check = "account_sign";
			f.warning = 1;
			snprintf(f.detail, sizeof f.detail, "bank has a credit balance of %s %s until the PG's settlements "
				 "into it are booked", sum, cur);
		} else if (!account_balance_sign_ok(kind, balance) && !strncmp(account, "leader_payable:", 15) &&
			   balance > 0) {
			/* Clawbacks larger than what the leader was owed: carried
			 * forward to the leader's next settlements, never lost. */
			f.check = "account_sign";
			f.warning = 1;
			snprintf(f.detail, sizeof f.detail, "clawback of %s %s carried forward (the leader owes it)", sum,
				 cur);
		} else if (!account_balance_sign_ok(kind, balance)) {
			f.check = "account_sign";
			snprintf(f.detail, sizeof f.detail, "%s account has a %s balance of %s %s",
				 account_kind_name(kind), balance > 0 ? "debit" : "credit", sum, cur);
		} else {
			continue;
		}
		if (f.warning)
			totals->warnings++;
		else
			totals->findings++;
		if (fn(arg, &f) < 0)
			break;
	}
	db_cursor_close(c);
	if (rc < 0)
		return -1;
	return business_checks(db, fn, arg, totals, err);
}
