/* outbox_repo.c — the outbox (ports/outbox.h) as rows of `notifications`. */
#include <jansson.h>
#include <stdlib.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/sql_rows.h"
#include "adapters/mysql/uow.h"

/* The note's facts as one JSON object (keys sorted), freshly allocated. */
static char *facts_text(const struct outbox_note *n, struct settle_err *err)
{
	json_t *facts = json_object();
	char *text;

	for (size_t i = 0; i < n->n_facts; i++)
		json_object_set_new(facts, n->facts[i].name, json_string(n->facts[i].value));
	text = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(facts);
	if (!text)
		err_set(err, SETTLE_EX_DATAERR, "notification %s: a fact is not valid UTF-8", n->key);
	return text;
}

static int add(void *self, struct uow *tx, const struct outbox_note *n, const char *now, struct settle_err *err)
{
	char *text = facts_text(n, err);
	int rc;

	if (!text)
		return -1;
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

/* Notes per multi-row INSERT (6 placeholders a note). */
#define CHUNK 500

/* One INSERT for the chunk; a duplicate key anywhere in it (a note seen
 * before: rare, a re-run) fails only that statement, and the chunk is
 * then added note by note, each duplicate taken as "there already". */
static int add_chunk(void *self, struct uow *tx, const struct outbox_note *notes, size_t n, const char *now,
		     struct settle_err *err)
{
	struct db *db = uow_db(tx, self);
	struct db_param *p = calloc(n * 6, sizeof *p);
	char **texts = calloc(n, sizeof *texts);
	char *sql = sql_rows("INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, "
			     "created_at) VALUES ",
			     n, "(?,?,?,?,?,?)", "");
	size_t np = 0, made = 0;
	int rc = -1;

	if (!p || !texts || !sql) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (; made < n; made++) {
		const struct outbox_note *x = &notes[made];

		if (!(texts[made] = facts_text(x, err)))
			goto out;
		p[np++] = DB_S(x->key);
		p[np++] = DB_S(x->template_name);
		p[np++] = DB_S(x->recipient_kind);
		p[np++] = DB_S(x->recipient_id);
		p[np++] = DB_S(texts[made]);
		p[np++] = DB_S(now);
	}
	rc = db_exec(db, sql, p, np, NULL, NULL, err);
	if (rc < 0 && db_is_duplicate(db_last_errno(db))) {
		err_clear(err);
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = add(self, tx, &notes[i], now, err);
	}
out:
	for (size_t i = 0; texts && i < made; i++)
		free(texts[i]);
	free(texts);
	free(p);
	free(sql);
	return rc < 0 ? -1 : 0;
}

static int add_many(void *self, struct uow *tx, const struct outbox_note *notes, size_t n, const char *now,
		    struct settle_err *err)
{
	for (size_t off = 0; off < n; off += CHUNK)
		if (add_chunk(self, tx, notes + off, n - off < CHUNK ? n - off : CHUNK, now, err) < 0)
			return -1;
	return 0;
}

void mysql_outbox(struct outbox_port *out, struct db *db)
{
	out->self = db;
	out->add = add;
	out->add_many = add_many;
}
