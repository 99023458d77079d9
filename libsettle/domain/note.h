/*
 * note.h — a notification as the outbox keeps it (ports/outbox.h) and the
 * templates read it (domain/notify_tmpl.h): its derived key, template,
 * recipient and facts.
 */
#ifndef SETTLE_DOMAIN_NOTE_H
#define SETTLE_DOMAIN_NOTE_H

#include <stddef.h>

#define OUTBOX_KEY_MAX 160
#define OUTBOX_FACTS_MAX 12

/* One value a template may name as {{name}}. Never a full account or
 * resident number: the builders (app/notify/note.h) only copy what a
 * receipt may show. */
struct outbox_fact {
	char name[24];
	char value[640]; /* room for a statement's pod lines (app/settlement/statement.c) */
};

struct outbox_note {
	char key[OUTBOX_KEY_MAX];
	char template_name[48];  /* "payment.completed": templates/<lang>/<name>.txt */
	char recipient_kind[12]; /* "user", "leader", "operator" */
	char recipient_id[65];   /* a Study Service user id; "ops" for operators */
	struct outbox_fact facts[OUTBOX_FACTS_MAX];
	size_t n_facts;
};

#endif
