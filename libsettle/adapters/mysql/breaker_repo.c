/* breaker_repo.c — PG health rows for the breaker over MariaDB/MySQL. */
#include "adapters/mysql/uow.h"

static int record(void *self, struct uow *tx, const char *pg, int ok, const char *code, const char *now,
		  struct settle_err *err)
{
	return db_exec(uow_db(tx, self), "INSERT INTO pg_outcomes (pg, ok, code, at) VALUES (?,?,?,?)",
		       DB_PARAMS(DB_S(pg), DB_I(ok ? 1 : 0), DB_SN(code), DB_S(now)), NULL, NULL, err);
}

static int failures(void *self, struct uow *tx, const char *pg, int window_s, const char *now, int64_t *n,
		    struct settle_err *err)
{
	return db_query_one(uow_db(tx, self),
			    "SELECT COUNT(*) FROM pg_outcomes WHERE pg = ? AND ok = 0 AND at > GREATEST(? - INTERVAL ? SECOND, "
			    "COALESCE((SELECT MAX(at) FROM pg_outcomes WHERE pg = ? AND ok = 1), '1970-01-01'))",
			    DB_PARAMS(DB_S(pg), DB_S(now), DB_I(window_s), DB_S(pg)), DB_COLS(DC_I(n)), err) < 0
		       ? -1
		       : 0;
}

static int take_probe(void *self, struct uow *tx, const char *pg, int every_s, const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	int64_t due = 0, fresh = 0;

	/* A probe time no later than the last good answer belongs to an
	 * earlier trip: this trip starts now, and its first probe is due
	 * every_s from now, not at once. */
	if (db_exec(db, "INSERT IGNORE INTO pg_probes (pg, probed_at) VALUES (?, '1970-01-01')", DB_PARAMS(DB_S(pg)), NULL,
		    NULL, err) < 0 ||
	    db_query_one(db,
			 "SELECT probed_at <= COALESCE((SELECT MAX(at) FROM pg_outcomes WHERE pg = ? AND ok = 1), "
			 "'1970-01-01'), probed_at <= ? - INTERVAL ? SECOND FROM pg_probes WHERE pg = ? FOR UPDATE",
			 DB_PARAMS(DB_S(pg), DB_S(now), DB_I(every_s), DB_S(pg)), DB_COLS(DC_I(&fresh), DC_I(&due)),
			 err) != 1)
		return -1;
	if (!fresh && !due)
		return 0;
	if (db_exec(db, "UPDATE pg_probes SET probed_at = ? WHERE pg = ?", DB_PARAMS(DB_S(now), DB_S(pg)), NULL, NULL,
		    err) < 0)
		return -1;
	return !fresh && due;
}

static int prune(void *self, const char *now, int keep_s, struct settle_err *err)
{
	uint64_t deleted;

	/* Small chunks, each its own statement, so pruning never holds locks
	 * long enough to stall the writers. */
	do {
		deleted = 0;
		if (db_exec(self, "DELETE FROM pg_outcomes WHERE at < ? - INTERVAL ? SECOND LIMIT 5000",
			    DB_PARAMS(DB_S(now), DB_I(keep_s)), &deleted, NULL, err) < 0)
			return -1;
	} while (deleted == 5000);
	return 0;
}

void mysql_breaker_repo(struct breaker_repo *out, struct db *db)
{
	*out = (struct breaker_repo){
		.self = db, .record = record, .failures = failures, .take_probe = take_probe, .prune = prune};
}
