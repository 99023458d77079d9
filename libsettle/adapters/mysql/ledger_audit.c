/*
 * ledger_audit.c — invariants recomputed from postings:
 *   balanced      every entry's postings sum to zero per currency
 *   postings      every entry has at least two postings
 *   account_name  every account is in the chart of accounts
 *   account_sign  every account's balance has its kind's sign
 *                 (assets and expenses >= 0, liabilities and income <= 0)
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

int ledger_audit(struct db *db, audit_fn fn, void *arg, struct audit_totals *totals, struct settle_err *err)
{
	struct db_cursor *c;
	struct audit_finding f;
	int64_t id, n;
	char key[161], cur[4], sum[40], account[129];
	int rc;

	memset(totals, 0, sizeof *totals);
	if (count(db, "SELECT COUNT(*) FROM journal_entries", &totals->entries, err) < 0 ||
	    count(db, "SELECT COUNT(*) FROM postings", &totals->postings, err) < 0)
		return -1;

	/* balanced */
	if (db_query(db, &c,
		     "SELECT e.id, e.entry_key, p.currency, CAST(SUM(p.amount) AS CHAR) "
		     "FROM journal_entries e JOIN postings p ON p.entry_id = e.id "
		     "GROUP BY e.id, e.entry_key, p.currency HAVING SUM(p.amount) <> 0 ORDER BY e.id",
		     DB_NOPARAMS, DB_COLS(DC_I(&id), DC_S(key), DC_S(cur), DC_S(sum)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		memset(&f, 0, sizeof f);
		f.check = "balanced";
		f.entry_id = id;
		snprintf(f.entry_key, sizeof f.entry_key, "%s", key);
		snprintf(f.currency, sizeof f.currency, "%s", cur);
		snprintf(f.amount, sizeof f.amount, "%s", sum);
		snprintf(f.detail, sizeof f.detail, "%s postings sum to %s, not 0", cur, sum);
		totals->findings++;
		if (fn(arg, &f) < 0)
			break;
	}
	db_cursor_close(c);
	if (rc < 0)
		return -1;

	/* postings: fewer than two */
	if (db_query(db, &c,
		     "SELECT e.id, e.entry_key, COUNT(p.id) FROM journal_entries e "
		     "LEFT JOIN postings p ON p.entry_id = e.id GROUP BY e.id, e.entry_key HAVING COUNT(p.id) < 2 "
		     "ORDER BY e.id",
		     DB_NOPARAMS, DB_COLS(DC_I(&id), DC_S(key), DC_I(&n)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		memset(&f, 0, sizeof f);
		f.check = "postings";
		f.entry_id = id;
		snprintf(f.entry_key, sizeof f.entry_key, "%s", key);
		snprintf(f.detail, sizeof f.detail, "entry has %lld posting(s); at least 2 needed", (long long)n);
		totals->findings++;
		if (fn(arg, &f) < 0)
			break;
	}
	db_cursor_close(c);
	if (rc < 0)
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
		} else if (!account_balance_sign_ok(kind, balance)) {
			f.check = "account_sign";
			snprintf(f.detail, sizeof f.detail, "%s account has a %s balance of %s %s",
				 account_kind_name(kind), balance > 0 ? "debit" : "credit", sum, cur);
		} else {
			continue;
		}
		totals->findings++;
		if (fn(arg, &f) < 0)
			break;
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}
