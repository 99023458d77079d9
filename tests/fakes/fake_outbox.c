/* fake_outbox.c — the outbox in memory (adapters/mysql/outbox_repo.c): a
 * note whose key exists already adds nothing; notes live in the store's
 * tables, so a rolled-back unit of work leaves none. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int add(void *self, struct uow *tx, const struct outbox_note *n, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_note_row *row;

	(void)tx;
	(void)now;
	if (fake_store_write(s, "outbox.add", err) < 0)
		return -1;
	for (size_t i = 0; i < s->db.n_notes; i++)
		if (!strcmp(s->db.notes[i].key, n->key))
			return 0;
	if (s->db.n_notes >= FAKE_MAX_PAYMENTS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: outbox full");
	row = &s->db.notes[s->db.n_notes++];
	snprintf(row->key, sizeof row->key, "%s", n->key);
	snprintf(row->template_name, sizeof row->template_name, "%s", n->template_name);
	snprintf(row->recipient_kind, sizeof row->recipient_kind, "%s", n->recipient_kind);
	snprintf(row->recipient_id, sizeof row->recipient_id, "%s", n->recipient_id);
	memcpy(row->facts, n->facts, sizeof row->facts);
	row->n_facts = n->n_facts;
	return 0;
}

const struct fake_note_row *fake_note(const struct fake_store *s, const char *key)
{
	for (size_t i = 0; i < s->db.n_notes; i++)
		if (!strcmp(s->db.notes[i].key, key))
			return &s->db.notes[i];
	return NULL;
}

const char *fake_note_fact(const struct fake_note_row *n, const char *name)
{
	for (size_t i = 0; n && i < n->n_facts; i++)
		if (!strcmp(n->facts[i].name, name))
			return n->facts[i].value;
	return NULL;
}

size_t fake_notes_of(const struct fake_store *s, const char *template_name)
{
	size_t k = 0;

	for (size_t i = 0; i < s->db.n_notes; i++)
		k += !strcmp(s->db.notes[i].template_name, template_name);
	return k;
}

void fake_outbox(struct outbox_port *out, struct fake_store *s)
{
	out->self = s;
	out->add = add;
	out->add_many = NULL; /* outbox_add_many calls add for each */
}
