/* participation_repo.c — the queue of participation confirms over MariaDB/MySQL. */
#include <string.h>

#include "adapters/mysql/uow.h"

static int enqueue(void *self, struct uow *tx, int64_t payment_id, const char *pod_id, const char *user_id,
		   const char *now, struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "INSERT INTO participation_confirms (payment_id, pod_id, user_id, next_attempt_at) VALUES (?,?,?,?) "
		       "ON DUPLICATE KEY UPDATE payment_id = payment_id",
		       DB_PARAMS(DB_I(payment_id), DB_S(pod_id), DB_S(user_id), DB_S(now)), NULL, NULL, err);
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct participation_rec *out,
		     size_t *n_out, struct settle_err *err)
{
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		struct participation_rec *r = &out[*n_out];
		int64_t attempts = 0;
		int rc;

		memset(r, 0, sizeof *r);
		rc = db_query_one(uow_db(tx, self),
				  "SELECT payment_id, pod_id, user_id, attempts, COALESCE(last_error, '') "
				  "FROM participation_confirms WHERE payment_id = ?",
				  DB_PARAMS(DB_I(ids[i])),
				  DB_COLS(DC_I(&r->payment_id), DC_S(r->pod_id), DC_S(r->user_id), DC_I(&attempts),
					  DC_S(r->last_error)),
				  err);
		if (rc < 0)
			return -1;
		r->attempts = (int)attempts;
		*n_out += (size_t)rc;
	}
	return 0;
}

static int record(void *self, struct uow *tx, int64_t payment_id, enum participation_result result, const char *error,
		  const char *next_at, const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);

	switch (result) {
	case PART_DONE:
		return db_exec(db, "UPDATE participation_confirms SET done_at = ?, attempts = attempts + 1, "
				   "last_error = NULL WHERE payment_id = ?",
			       DB_PARAMS(DB_S(now), DB_I(payment_id)), NULL, NULL, err);
	case PART_REFUSED:
		/* Final: done, with the refusal kept. */
		return db_exec(db, "UPDATE participation_confirms SET done_at = ?, refused_at = ?, attempts = attempts + 1, "
				   "last_error = ? WHERE payment_id = ?",
			       DB_PARAMS(DB_S(now), DB_S(now), DB_SN(error), DB_I(payment_id)), NULL, NULL, err);
	case PART_RETRY:
	default:
		return db_exec(db, "UPDATE participation_confirms SET attempts = attempts + 1, last_error = ?, "
				   "next_attempt_at = ? WHERE payment_id = ?",
			       DB_PARAMS(DB_SN(error), DB_S(next_at), DB_I(payment_id)), NULL, NULL, err);
	}
}

void mysql_participation_repo(struct participation_repo *out, struct db *db)
{
	*out = (struct participation_repo){.self = db, .enqueue = enqueue, .load_many = load_many, .record = record};
}
