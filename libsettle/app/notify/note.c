/* note.c — outbox notes: derived keys and the facts a template may show. */
#include "app/notify/note.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void note_init(struct outbox_note *n, const char *template_name, const char *ref, const char *recipient_kind,
	       const char *recipient_id)
{
	memset(n, 0, sizeof *n);
	snprintf(n->key, sizeof n->key, "%s:%s", template_name, ref);
	snprintf(n->template_name, sizeof n->template_name, "%s", template_name);
	snprintf(n->recipient_kind, sizeof n->recipient_kind, "%s", recipient_kind);
	snprintf(n->recipient_id, sizeof n->recipient_id, "%s", recipient_id);
}

void note_fact(struct outbox_note *n, const char *name, const char *fmt, ...)
{
	struct outbox_fact *f;
	va_list ap;

	if (n->n_facts >= OUTBOX_FACTS_MAX)
		return;
	f = &n->facts[n->n_facts++];
	snprintf(f->name, sizeof f->name, "%s", name);
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof f->value, fmt, ap);
	va_end(ap);
}

void note_money(struct outbox_note *n, const char *name, int64_t amount, const char *currency)
{
	note_fact(n, name, "%lld", (long long)amount);
	note_fact(n, "currency", "%s", currency);
}
