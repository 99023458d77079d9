/*
 * ports/ledger_repo.h — posts journal entries built in domain/
 * (domain/postings.h). Append-only: there is no update and no delete.
 */
#ifndef SETTLE_PORTS_LEDGER_REPO_H
#define SETTLE_PORTS_LEDGER_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/journal.h"
#include "ports/uow.h"

struct ledger_repo {
	void *self;
	/* Posts n entries in tx (one multi-row insert for a batch); keys[i]
	 * is entries[i]'s entry key, unique per business event, so a second
	 * post of the same event fails instead of counting twice. */
	int (*post)(void *self, struct uow *tx, const char *const *keys, const struct journal_entry *entries, size_t n,
		    const char *now, struct settle_err *err);
	/* The id of the entry posted under key; 0 when there is none. */
	int (*entry_id)(void *self, struct uow *tx, const char *key, int64_t *id, struct settle_err *err);
};

#endif
