/* notify_queue.c — settle-notify's repository (ports/notify_queue.h) over `notifications`. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/notify_queue.h"
#include "adapters/mysql/uow.h"

static void facts_from_json(const char *text, struct outbox_note *n)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *k;
	json_t *v;

	json_object_foreach(j, k, v)
	{
		if (n->n_facts >= OUTBOX_FACTS_MAX)
			break;
		if (!json_is_string(v))
			continue;
		snprintf(n->facts[n->n_facts].name, sizeof n->facts[0].name, "%s", k);
		snprintf(n->facts[n->n_facts].value, sizeof n->facts[0].value, "%s", json_string_value(v));
		n->n_facts++;
	}
	json_decref(j);
}

static int load(void *self, struct uow *tx, const int64_t *ids, size_t n, struct queued_note *out, size_t *n_out,
		struct settle_err *err)
{
	char facts[8192];

	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		struct queued_note *q = &out[*n_out];
		int64_t attempts = 0;
		int rc;

		memset(q, 0, sizeof *q);
		rc = db_query_one(uow_db(tx, self),
				  "SELECT id, attempts, notify_key, template, recipient_kind, recipient_id, facts "
				  "FROM notifications WHERE id = ?",
				  DB_PARAMS(DB_I(ids[i])),
				  DB_COLS(DC_I(&q->id), DC_I(&attempts), DC_S(q->note.key), DC_S(q->note.template_name),
					  DC_S(q->note.recipient_kind), DC_S(q->note.recipient_id), DC_S(facts)),
				  err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		q->attempts = (int)attempts;
		facts_from_json(facts, &q->note);
		(*n_out)++;
	}
	return 0;
}

static int record(void *self, struct uow *tx, int64_t id, enum notify_outcome o, const char *error, const char *next_at,
		  const char *now, struct settle_err *err)
{
	static const char *const names[] = {"SENT", "HELD", "PENDING", "FAILED"};

	return db_exec(uow_db(tx, self),
		       "UPDATE notifications SET status = ?, attempts = attempts + 1, last_error = ?, "
		       "next_attempt_at = ?, sent_at = ?, claimed_until = NULL, claimed_by = NULL WHERE id = ?",
		       DB_PARAMS(DB_S(names[o]), DB_SN(error), next_at ? DB_S(next_at) : DB_NULL,
				 o == NOTIFY_SENT ? DB_S(now) : DB_NULL, DB_I(id)),
		       NULL, NULL, err);
}

void mysql_notify_queue(struct notify_queue *out, struct db *db)
{
	out->self = db;
	out->load = load;
	out->record = record;
}
