/* webhook_events_repo.c — PG notifications by (source, event id) over
 * MariaDB/MySQL. The unique key (source, event_id) is the dedupe: a
 * second delivery finds the first row, even when two arrive at once. */
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/webhook_events_repo.h"

/* 1 found and finished, 2 found but not acted on to the end (RECEIVED,
 * FAILED), 0 none, -1 error. */
static int find(struct db *db, const struct webhook_event *ev, int64_t *id, struct settle_err *err)
{
	char status[17];
	int rc = db_query_one(db, "SELECT id, status FROM webhook_events WHERE source = ? AND event_id = ?",
			      DB_PARAMS(DB_S(ev->source), DB_S(ev->event_id)), DB_COLS(DC_I(id), DC_S(status)), err);

	if (rc == 1 && (!strcmp(status, "RECEIVED") || !strcmp(status, "FAILED")))
		return 2;
	return rc;
}

static int store(void *self, const struct webhook_event *ev, const char *body, const char *now, int64_t *id,
		 struct settle_err *err)
{
	struct db *db = self;
	uint64_t new_id = 0;
	int rc = find(db, ev, id, err); /* the common repeat costs one read */

	if (rc != 0)
		return rc < 0 ? -1 : rc == 2 ? 2 : 0;
	if (db_exec(db,
		    "INSERT INTO webhook_events (source, event_id, event_type, body, status, received_at) "
		    "VALUES (?, ?, ?, ?, 'RECEIVED', ?)",
		    DB_PARAMS(DB_S(ev->source), DB_S(ev->event_id), DB_S(ev->type), DB_S(body), DB_S(now)), NULL,
		    &new_id, err) < 0) {
		if (!db_is_duplicate(db_last_errno(db)))
			return -1;
		err_clear(err); /* the same event, stored a moment ago by another delivery */
		return find(db, ev, id, err) > 0 ? 0 : -1; /* the other delivery acts on it */
	}
	*id = (int64_t)new_id;
	return 1;
}

static int finish(void *self, int64_t id, const char *status, const char *flag, const char *note, const char *now,
		  struct settle_err *err)
{
	return db_exec(self,
		       "UPDATE webhook_events SET status = ?, flag = ?, note = LEFT(?, 500), processed_at = ? "
		       "WHERE id = ?",
		       DB_PARAMS(DB_S(status), flag ? DB_S(flag) : DB_NULL, note ? DB_S(note) : DB_NULL, DB_S(now),
				 DB_I(id)),
		       NULL, NULL, err);
}

void mysql_webhook_events_repo(struct webhook_events_repo *out, struct db *db)
{
	*out = (struct webhook_events_repo){.self = db, .store = store, .finish = finish};
}
