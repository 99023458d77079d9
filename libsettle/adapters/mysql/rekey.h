/*
 * rekey.h — re-seal every leader's secrets (account and resident numbers)
 * under the current data key (settle-db rotate-key, issue 11).
 *
 * Rule: a row's key_id names the key that sealed it, and a row is re-sealed
 * and given the current key_id in one statement, guarded by the key_id it
 * was read with. So batches commit one by one, an interrupted rotation goes
 * on where it stopped, and no row is sealed twice.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_REKEY_H
#define SETTLE_ADAPTERS_MYSQL_REKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct db;
struct data_keyring;

struct rekey_report {
	int64_t resealed;  /* rows re-sealed by this run */
	int64_t remaining; /* rows not under the current key (before, with dry_run) */
	int64_t batches;
};

/* Batches of batch rows, each in its own transaction. With dry_run, counts
 * the rows to re-seal and checks each opens with its key; writes nothing. */
int rekey_leaders(struct db *db, const struct data_keyring *ring, size_t batch, bool dry_run,
		  struct rekey_report *rep, struct settle_err *err);

#endif
