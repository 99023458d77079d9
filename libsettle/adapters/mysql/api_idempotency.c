/* api_idempotency.c — the Idempotency-Key rows (see api_idempotency.h). */
#include "adapters/mysql/api_idempotency.h"

#include <stdbool.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "domain/timefmt.h"

int idem_begin(struct db *db, const char *client, const char *key, const char *request_hash, int64_t now_us,
	       int64_t keep_s, enum idem_state *state, int *status, char *body, struct settle_err *err)
{
	char at[TIME_SQL_LEN], cutoff[TIME_SQL_LEN], hash[65];
	int64_t st = 0;
	bool st_null = false;
	struct db_col cols[] = {DC_S(hash), {.t = DBC_I64, .i = &st, .is_null = &st_null},
				{.t = DBC_STR, .s = body, .cap = IDEM_BODY_MAX + 1}};
	int rc;

	time_sql(now_us, at);
	time_sql(now_us - keep_s * 1000000, cutoff);
	/* This key's row past its time first (the key is new again), then up
	 * to 20 others': more than one claim adds, so the table keeps up, and
	 * too few to cost a request anything. Autocommit, like the claim. */
	if (db_exec(db, "DELETE FROM api_idempotency WHERE client = ? AND idem_key = ? AND created_at < ?",
		    DB_PARAMS(DB_S(client), DB_S(key), DB_S(cutoff)), NULL, NULL, err) < 0 ||
	    db_exec(db, "DELETE FROM api_idempotency WHERE created_at < ? ORDER BY created_at LIMIT 20",
		    DB_PARAMS(DB_S(cutoff)), NULL, NULL, err) < 0)
		return -1;
	/* Autocommit: the claim is visible to a concurrent repeat at once. */
	if (db_exec(db,
		    "INSERT INTO api_idempotency (client, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?)",
		    DB_PARAMS(DB_S(client), DB_S(key), DB_S(request_hash), DB_S(at)), NULL, NULL, err) == 0) {
		*state = IDEM_NEW;
		return 0;
	}
	if (!db_is_duplicate(db_last_errno(db)))
		return -1;
	err_clear(err);
	rc = db_query_one(db, "SELECT request_hash, status, body FROM api_idempotency WHERE client = ? AND idem_key = ?",
			  DB_PARAMS(DB_S(client), DB_S(key)), cols, 3, err);
	if (rc < 0)
		return -1;
	if (rc == 0) { /* forgotten between the two statements: the caller may retry */
		*state = IDEM_RUNNING;
		return 0;
	}
	if (strcmp(hash, request_hash))
		*state = IDEM_MISMATCH;
	else if (st_null)
		*state = IDEM_RUNNING;
	else {
		*state = IDEM_REPLAY;
		*status = (int)st;
	}
	return 0;
}

int idem_finish(struct db *db, const char *client, const char *key, int status, const char *body, int64_t now_us,
		struct settle_err *err)
{
	char at[TIME_SQL_LEN];

	time_sql(now_us, at);
	return db_exec(db, "UPDATE api_idempotency SET status = ?, body = ?, done_at = ? WHERE client = ? AND idem_key = ?",
		       DB_PARAMS(DB_I(status), DB_S(body), DB_S(at), DB_S(client), DB_S(key)), NULL, NULL, err);
}

int idem_forget(struct db *db, const char *client, const char *key, struct settle_err *err)
{
	return db_exec(db, "DELETE FROM api_idempotency WHERE client = ? AND idem_key = ? AND status IS NULL",
		       DB_PARAMS(DB_S(client), DB_S(key)), NULL, NULL, err);
}
