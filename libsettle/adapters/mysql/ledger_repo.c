/* ledger_repo.c — the ledger repository: journal entries through ledger_store. */
#include "adapters/mysql/ledger_store.h"
#include "adapters/mysql/uow.h"

static int post(void *self, struct uow *tx, const char *const *keys, const struct journal_entry *entries, size_t n,
		const char *now, struct settle_err *err)
{
	if (n == 0)
		return 0;
	return ledger_write_batch(uow_db(tx, self), keys, entries, n, now, err);
}

static int entry_id(void *self, struct uow *tx, const char *key, int64_t *id, struct settle_err *err)
{
	*id = 0;
	return db_query_one(uow_db(tx, self), "SELECT id FROM journal_entries WHERE entry_key = ?", DB_PARAMS(DB_S(key)),
			    DB_COLS(DC_I(id)), err) < 0
		       ? -1
		       : 0;
}

void mysql_ledger_repo(struct ledger_repo *out, struct db *db)
{
	*out = (struct ledger_repo){.self = db, .post = post, .entry_id = entry_id};
}
