/* study_db.c — pods from the pods table. */
#include "adapters/mysql/study_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"

struct study_db {
	struct study_port port;
	struct db *db;
};

static int get_pod(void *self, const char *pod_id, struct study_pod *out, struct settle_err *err)
{
	struct study_db *s = self;
	int64_t capacity = 0;
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query_one(s->db,
			  "SELECT pod_id, leader_id, title, fee, currency, status, capacity, DATE_FORMAT(starts_on, '%Y-%m-%d'), "
			  "DATE_FORMAT(ends_on, '%Y-%m-%d'), COALESCE(DATE_FORMAT(completed_at, '%Y-%m-%dT%H:%i:%sZ'), '') "
			  "FROM pods WHERE pod_id = ?",
			  DB_PARAMS(DB_S(pod_id)),
			  DB_COLS(DC_S(out->pod_id), DC_S(out->leader_id), DC_S(out->title), DC_I(&out->fee),
				  DC_S(out->currency), DC_S(out->status), DC_I(&capacity), DC_S(out->starts_on),
				  DC_S(out->ends_on), DC_S(out->completed_at)),
			  err);
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown pod %s", pod_id);
	out->capacity = (int)capacity;
	return rc < 0 ? -1 : 0;
}

static int confirm_participation(void *self, const char *pod_id, const char *user_id, const char *payment_id,
				 struct settle_err *err)
{
	(void)self, (void)pod_id, (void)user_id, (void)payment_id, (void)err;
	return 0;
}

/* The pods table has no completion feed: its status and completed_at are
 * already the source (settle-db marks a pod completed), so there is
 * nothing new to record and the cursor stays where it is. */
static int completions(void *self, const char *since, size_t limit, struct study_completion *out, size_t cap,
		       size_t *n, char *next_cursor, size_t cursor_len, struct settle_err *err)
{
	(void)self, (void)limit, (void)out, (void)cap;
	*n = 0;
	if (snprintf(next_cursor, cursor_len, "%s", since ? since : "") >= (int)cursor_len)
		return err_set(err, SETTLE_EX_SOFTWARE, "study completions: cursor buffer too small");
	return 0;
}

struct study_port *study_db_new(struct db *db)
{
	struct study_db *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->db = db;
	s->port = (struct study_port){.self = s, .get_pod = get_pod, .confirm_participation = confirm_participation,
				     .completions = completions};
	return &s->port;
}

void study_db_free(struct study_port *port)
{
	free(port ? port->self : NULL);
}
