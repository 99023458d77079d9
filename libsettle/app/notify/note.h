/*
 * app/notify/note.h — builds the outbox notes use cases add (ports/outbox.h):
 * the key derived from the event, the template, the recipient, and the
 * facts its template may show. Pure: no I/O.
 *
 * Rule: a note carries what a receipt may show — public ids, amounts,
 * titles, reasons — and never a bank account or resident number (a
 * masked card number as the PG returns it at most).
 */
#ifndef SETTLE_APP_NOTIFY_NOTE_H
#define SETTLE_APP_NOTIFY_NOTE_H

#include <stdint.h>

#include "ports/outbox.h"

/* Starts note n: key "<template>:<ref>", the recipient. */
void note_init(struct outbox_note *n, const char *template_name, const char *ref, const char *recipient_kind,
	       const char *recipient_id);
/* Adds a fact (printf-style value); extra facts past OUTBOX_FACTS_MAX are
 * a programming error and dropped. */
void note_fact(struct outbox_note *n, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds "amount" and "currency". */
void note_money(struct outbox_note *n, const char *name, int64_t amount, const char *currency);

#endif
