/*
 * ledger_store.h — writes journal entries and postings, derives balances.
 *
 * Rule: the caller owns the transaction (db_tx); these functions never
 * begin or commit. Every entry passes journal_check() before a byte is
 * written, and entry_key makes the same business event unpostable twice.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_LEDGER_STORE_H
#define SETTLE_ADAPTERS_MYSQL_LEDGER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/journal.h"

struct db;

/* Writes one entry; *entry_id (may be NULL) gets its id. An entry_key that
 * exists already is an error (EX_DATAERR, "already posted"). */
int ledger_write(struct db *db, const char *entry_key, const struct journal_entry *e, const char *now,
		 int64_t *entry_id, struct settle_err *err);

/* Writes n entries with one multi-row INSERT for the entries and one for
 * all their postings (batch jobs). keys[i] belongs to entries[i]. */
int ledger_write_batch(struct db *db, const char *const *keys, const struct journal_entry *entries, size_t n,
		       const char *now, struct settle_err *err);

/* Sum of an account's postings in a currency (derived, never cached). */
int ledger_balance(struct db *db, const char *account, const char *cur, int64_t *balance, struct settle_err *err);

#endif
