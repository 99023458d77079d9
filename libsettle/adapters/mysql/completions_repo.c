/* completions_repo.c — pod completions and job_cursors over MariaDB/MySQL. */
#include "adapters/mysql/completions_repo.h"

#include <stdio.h>
#include <string.h>

#include "adapters/mysql/uow.h"

static int cursor_get(void *self, struct uow *tx, const char *name, char *pos, size_t pos_len,
		      struct settle_err *err)
{
	char p[256] = "";
	int rc;

	rc = db_query_one(uow_db(tx, self), "SELECT position FROM job_cursors WHERE name = ? FOR UPDATE",
			  DB_PARAMS(DB_S(name)), DB_COLS(DC_S(p)), err);
	if (rc < 0)
		return -1;
	if (snprintf(pos, pos_len, "%s", p) >= (int)pos_len)
		return err_set(err, SETTLE_EX_DATAERR, "cursor %s is too long", name);
	return 0;
}

static int cursor_set(void *self, struct uow *tx, const char *name, const char *pos, const char *now,
		      struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "INSERT INTO job_cursors (name, position, updated_at) VALUES (?, ?, ?) "
		       "ON DUPLICATE KEY UPDATE position = VALUES(position), updated_at = VALUES(updated_at)",
		       DB_PARAMS(DB_S(name), DB_S(pos), DB_S(now)), NULL, NULL, err);
}

static int pod_completed(void *self, struct uow *tx, const char *pod_id, const char *completed_at,
			 struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	char at[32], found[72] = "";
	int rc;

	/* The port speaks ISO 8601 UTC; DATETIME wants "YYYY-MM-DD HH:MM:SS". */
	if (strlen(completed_at) < 19 || completed_at[10] != 'T')
		return err_set(err, SETTLE_EX_DATAERR, "completion time %s of pod %s is not ISO 8601", completed_at,
			       pod_id);
	snprintf(at, sizeof at, "%.10s %.8s", completed_at, completed_at + 11);
	rc = db_query_one(db, "SELECT pod_id FROM pods WHERE pod_id = ? FOR UPDATE", DB_PARAMS(DB_S(pod_id)),
			  DB_COLS(DC_S(found)), err);
	if (rc <= 0)
		return rc;
	/* A repeated completion keeps the first date: the hold runs from it. */
	if (db_exec(db,
		    "UPDATE pods SET status = 'COMPLETED', completed_at = COALESCE(completed_at, ?) WHERE pod_id = ?",
		    DB_PARAMS(DB_S(at), DB_S(pod_id)), NULL, NULL, err) < 0)
		return -1;
	return 1;
}

void mysql_completions_repo(struct completions_repo *out, struct db *db)
{
	*out = (struct completions_repo){
		.self = db, .cursor_get = cursor_get, .cursor_set = cursor_set, .pod_completed = pod_completed};
}
