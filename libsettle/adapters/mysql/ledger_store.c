/*
 * ledger_store.c — the only code that inserts into journal_entries and
 * postings. Multi-row statements are built with placeholders only; no
 * value is ever formatted into SQL text.
 */
#include "adapters/mysql/ledger_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/entry_hash.h"
#include "adapters/mysql/sql_rows.h"
#include "domain/timefmt.h"

/* Rows per multi-row INSERT; keeps a statement well under max_allowed_packet
 * and the placeholder count under 65535. */
#define BATCH_ROWS 500

int ledger_write(struct db *db, const char *entry_key, const struct journal_entry *e, const char *now,
		 int64_t *entry_id, struct settle_err *err)
{
	if (ledger_write_batch(db, &entry_key, e, 1, now, err) < 0)
		return -1;
	if (entry_id && db_query_one(db, "SELECT id FROM journal_entries WHERE entry_key = ?",
				     DB_PARAMS(DB_S(entry_key)), DB_COLS(DC_I(entry_id)), err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "journal entry %s vanished", entry_key);
	return 0;
}

/* Matches the ids read back to their keys; every key must come back once. */
static int read_ids(struct db *db, const char *sql, const struct db_param *params, const char *const *keys, size_t n,
		    int64_t *ids, struct settle_err *err)
{
	struct db_cursor *c;
	char key[161];
	int64_t id;
	size_t found = 0;
	int rc;

	memset(ids, 0, n * sizeof *ids);
	if (db_query(db, &c, sql, params, n, DB_COLS(DC_I(&id), DC_S(key)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		for (size_t i = 0; i < n; i++) {
			if (!ids[i] && !strcmp(keys[i], key)) {
				ids[i] = id;
				found++;
				break;
			}
		}
	}
	db_cursor_close(c);
	if (rc < 0)
		return -1;
	if (found != n)
		return err_set(err, SETTLE_EX_SOFTWARE, "%zu of %zu new journal entries could not be read back", n - found,
			       n);
	return 0;
}

/* The entry's seal hash (domain/seal.h) over exactly the values the
 * INSERT stores; created is already in the form the server gives back. */
static int hash_entry(const char *key, const struct journal_entry *e, const char *created, char hex[SEAL_HEX_LEN],
		      struct settle_err *err)
{
	struct seal_posting p[JOURNAL_MAX_POSTINGS];
	struct seal_entry se = {key, e->kind, e->ref, e->reverses, created, e->n, p};

	for (size_t j = 0; j < e->n; j++)
		p[j] = (struct seal_posting){e->postings[j].account, e->postings[j].cur, e->postings[j].amount};
	return entry_hash_hex(&se, hex, err);
}

static int write_chunk(struct db *db, const char *const *keys, const struct journal_entry *entries, size_t n,
		       const char *now, struct settle_err *err)
{
	struct db_param *params = NULL;
	char *sql = NULL, created[TIME_SQL_LEN];
	char (*hashes)[SEAL_HEX_LEN] = NULL;
	int64_t *ids = NULL, now_us;
	size_t np = 0, total_postings = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++) {
		if (journal_check(&entries[i], err) < 0)
			return err_prefix(err, "refusing to write %s", keys[i]);
		total_postings += entries[i].n;
	}
	/* The hash covers the time as DATETIME(6) stores it, so the time
	 * stored is the canonical text, whatever form the caller used. */
	if (time_parse_utc(now, &now_us) < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "journal entry time %s is not a UTC time", now);
	time_sql(now_us, created);

	/* 1. the entries, each with its hash */
	sql = sql_rows("INSERT INTO journal_entries (entry_key, kind, ref, reverses_id, created_at, hash) VALUES ", n,
		       "(?,?,?,?,?,?)", "");
	params = calloc(n * 6 > total_postings * 4 ? n * 6 : total_postings * 4, sizeof *params);
	ids = calloc(n, sizeof *ids);
	hashes = calloc(n, sizeof *hashes);
	if (!sql || !params || !ids || !hashes) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (hash_entry(keys[i], &entries[i], created, hashes[i], err) < 0)
			goto out;
		params[np++] = DB_S(keys[i]);
		params[np++] = DB_S(entries[i].kind);
		params[np++] = DB_S(entries[i].ref);
		params[np++] = entries[i].reverses ? DB_I(entries[i].reverses) : DB_NULL;
		params[np++] = DB_S(created);
		params[np++] = DB_S(hashes[i]);
	}
	if (db_exec(db, sql, params, np, NULL, NULL, err) < 0) {
		if (db_is_duplicate(db_last_errno(db)))
			err_set(err, SETTLE_EX_DATAERR, "journal entry already posted (%s%s)", keys[0],
				n > 1 ? " or another of the batch" : "");
		goto out;
	}

	/* 2. their ids, by key, in one query: on Galera auto-increment ids of
	 * one INSERT are not consecutive, so they are read back, not assumed. */
	free(sql);
	sql = sql_rows("SELECT id, entry_key FROM journal_entries WHERE entry_key IN (", n, "?", ")");
	if (!sql) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		params[i] = DB_S(keys[i]);
	if (read_ids(db, sql, params, keys, n, ids, err) < 0)
		goto out;

	/* 3. all postings in one statement */
	free(sql);
	sql = sql_rows("INSERT INTO postings (entry_id, account, amount, currency) VALUES ", total_postings,
		       "(?,?,?,?)", "");
	if (!sql) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	np = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < entries[i].n; j++) {
			const struct posting *p = &entries[i].postings[j];

			params[np++] = DB_I(ids[i]);
			params[np++] = DB_S(p->account);
			params[np++] = DB_I(p->amount);
			params[np++] = DB_S(p->cur);
		}
	}
	rc = db_exec(db, sql, params, np, NULL, NULL, err);
out:
	free(sql);
	free(params);
	free(ids);
	free(hashes);
	return rc;
}

int ledger_write_batch(struct db *db, const char *const *keys, const struct journal_entry *entries, size_t n,
		       const char *now, struct settle_err *err)
{
	/* Chunks of BATCH_ROWS entries; postings per entry are at most
	 * JOURNAL_MAX_POSTINGS, so a chunk stays within placeholder limits. */
	for (size_t off = 0; off < n; off += BATCH_ROWS / 4) {
		size_t len = n - off < BATCH_ROWS / 4 ? n - off : BATCH_ROWS / 4;

		if (write_chunk(db, keys + off, entries + off, len, now, err) < 0)
			return -1;
	}
	return 0;
}

int ledger_balance(struct db *db, const char *account, const char *cur, int64_t *balance, struct settle_err *err)
{
	char sum[32];
	char *end;
	int rc = db_query_one(db,
			      "SELECT CAST(COALESCE(SUM(amount), 0) AS CHAR) FROM postings "
			      "WHERE account = ? AND currency = ?",
			      DB_PARAMS(DB_S(account), DB_S(cur)), DB_COLS(DC_S(sum)), err);

	if (rc < 0)
		return -1;
	errno = 0;
	*balance = strtoll(sum, &end, 10);
	if (*end || errno == ERANGE)
		return err_set(err, SETTLE_EX_DATAERR, "balance of %s %s does not fit 64 bits: %s", account, cur,
			       sum);
	return 0;
}
