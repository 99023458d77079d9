/* outbox_repo.c — the outbox (ports/outbox.h) as rows of `notifications`. */
#include <jansson.h>
#include <stdlib.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"

static int add(void *self, struct uow *tx, const struct outbox_note *n, const char *now, struct settle_err *err)
{
	json_t *facts = json_object();
	char *text;
	int rc;

	for (size_t i = 0; i < n->n_facts; i++)
		json_object_set_new(facts, n->facts[i].name, json_string(n->facts[i].value));
	text = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(facts);
	if (!text)
		return err_set(err, SETTLE_EX_DATAERR, "notification %s: a fact is not valid UTF-8", n->key);
	/* A key seen before is the same event again: nothing to add. A plain
	 * INSERT whose duplicate key is taken as "there already": a failed
	 * statement rolls back only itself, not the unit of work. Not ON
	 * DUPLICATE KEY UPDATE, which needs UPDATE on the outbox (the writers'
	 * roles only insert, adapters/mysql/grants.c), and not INSERT … SELECT
	 * … WHERE NOT EXISTS: that takes the table's AUTO-INC lock for the
	 * whole statement, and concurrent captures then failed with 1467
	 * ("Failed to read auto-increment value"), which nothing retries
	 * (found by `make bench` part (i), 8 captures at once). */
	struct db *db = uow_db(tx, self);

	rc = db_exec(db,
		     "INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, created_at) "
		     "VALUES (?,?,?,?,?,?)",
		     DB_PARAMS(DB_S(n->key), DB_S(n->template_name), DB_S(n->recipient_kind), DB_S(n->recipient_id),
			       DB_S(text), DB_S(now)),
		     NULL, NULL, err);
	if (rc < 0 && db_is_duplicate(db_last_errno(db))) {
		err_clear(err);
		rc = 0;
	}
	free(text);
	return rc;
}

void mysql_outbox(struct outbox_port *out, struct db *db)
{
	out->self = db;
	out->add = add;
}
