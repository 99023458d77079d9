/*
 * seal_store.h — ledger-seal's writer: seals the journal entries no block
 * names yet into new blocks of the chain (schema/014_seal.sql).
 *
 * Rule: coordination in rows. A runner reads the chain head and the
 * unsealed entries, and claims the head by inserting the next block: the
 * UNIQUE key on prev_hash lets one runner per head win; a loser's
 * transaction rolls back and it starts again from the new head. No entry
 * is ever updated; an entry a runner could not yet see (it committed late,
 * with a lower id) is sealed by a later block.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_SEAL_STORE_H
#define SETTLE_ADAPTERS_MYSQL_SEAL_STORE_H

#include <stdint.h>

#include "domain/seal.h"

struct db;
struct clock_port;

struct seal_result {
	int64_t blocks, entries; /* sealed by this run */
	int64_t legacy;          /* of them, entries written before 014_seal (no stored hash) */
	int64_t races;           /* heads lost to another runner, and retried */
	int64_t height;          /* the head after the run; 0: nothing sealed yet */
	char head[SEAL_HEX_LEN];
};

/* Seals every entry not yet sealed, block_size entries per block. An
 * entry whose content no longer matches its stored hash is not sealed:
 * EX_DATAERR naming it. */
int seal_run(struct db *db, const struct clock_port *clock, int64_t block_size, struct seal_result *r,
	     struct settle_err *err);

/* The chain head (height 0 and 64 zeros when nothing is sealed). */
int seal_head(struct db *db, int64_t *height, char hash[SEAL_HEX_LEN], struct settle_err *err);

#endif
