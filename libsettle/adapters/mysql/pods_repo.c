/* pods_repo.c — settle's copy of the pods over MariaDB/MySQL. */
#include <stdio.h>

#include "adapters/mysql/uow.h"

static int refresh_and_lock(void *self, struct uow *tx, const struct study_pod *pod, const char *now,
			    struct settle_err *err)
{
	struct db *db = uow_db(tx, self);

	if (db_exec(db,
		    "INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, starts_on, ends_on, "
		    "refreshed_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE leader_id = VALUES(leader_id), "
		    "title = VALUES(title), fee = VALUES(fee), currency = VALUES(currency), capacity = VALUES(capacity), "
		    "status = VALUES(status), starts_on = VALUES(starts_on), ends_on = VALUES(ends_on), "
		    "refreshed_at = VALUES(refreshed_at)",
		    DB_PARAMS(DB_S(pod->pod_id), DB_S(pod->leader_id), DB_S(pod->title), DB_I(pod->fee),
			      DB_S(pod->currency), DB_I(pod->capacity), DB_S(pod->status), DB_S(pod->starts_on),
			      DB_S(pod->ends_on), DB_S(now)),
		    NULL, NULL, err) < 0)
		return -1;
	/* One order at a time per pod: capacity is checked under this lock. */
	return db_query_one(db, "SELECT id FROM pods WHERE pod_id = ? FOR UPDATE", DB_PARAMS(DB_S(pod->pod_id)),
			    DB_COLS(DC_I(&(int64_t){0})), err) == 1
		       ? 0
		       : -1;
}

static int leader_of(void *self, struct uow *tx, const char *pod_id, char *leader_id, size_t len,
		     struct settle_err *err)
{
	char id[65] = "";
	int rc = db_query_one(uow_db(tx, self), "SELECT leader_id FROM pods WHERE pod_id = ?", DB_PARAMS(DB_S(pod_id)),
			      DB_COLS(DC_S(id)), err);

	if (rc == 1)
		snprintf(leader_id, len, "%s", id);
	return rc;
}

void mysql_pods_repo(struct pods_repo *out, struct db *db)
{
	*out = (struct pods_repo){.self = db, .refresh_and_lock = refresh_and_lock, .leader_of = leader_of};
}
