/*
 * notify_tmpl.h — the notification templates (issue 14): which exist,
 * which facts each may name, and how a template and a note's facts become
 * a subject, a text body and an HTML body. Pure: the files are read by
 * adapters/notify/templates.c.
 *
 * A template is "Subject: …", an empty line, then the body. {{fact}}
 * inserts a fact; {{fact|won}} formats minor units of KRW as the
 * language writes won ("50,000원", "₩50,000"); {{fact|kst}} a UTC time as
 * Korea time; {{fact|lines}} in a body prints a pre-rendered list with its
 * line breaks (a subject still flattens it). Rules: a template naming a fact its event does not carry is
 * refused when it is loaded (the program's start), not when a mail is
 * sent; the subject never holds a line break (header injection); every
 * value reaching the HTML part is escaped; a run of ten or more digits in a
 * value (an account or resident number that slipped in) is masked.
 */
#ifndef SETTLE_DOMAIN_NOTIFY_TMPL_H
#define SETTLE_DOMAIN_NOTIFY_TMPL_H

#include <stddef.h>

#include "domain/err.h"
#include "domain/note.h"

/* The templates settle sends, NULL-ended; and the facts of one ("" list
 * when unknown). */
extern const char *const notify_templates[];
const char *const *notify_template_facts(const char *name);
extern const char *const notify_langs[]; /* "ko", "en", NULL */

struct notify_tmpl {
	char name[48];
	char lang[3];
	char *subject; /* malloc'd */
	char *body;    /* malloc'd */
};

/* Parses text (the file's content) into t and checks every {{…}} against
 * the template's facts and filters. EX_CONFIG naming file and what is
 * wrong. */
int notify_tmpl_parse(struct notify_tmpl *t, const char *name, const char *lang, const char *text, const char *file,
		      struct settle_err *err);
void notify_tmpl_free(struct notify_tmpl *t);

struct notify_rendered {
	char *subject; /* one line, UTF-8 */
	char *text;
	char *html;
};

/* Renders t with the note's facts: EX_DATAERR when a fact is missing or a
 * value does not fit its filter. */
int notify_render(const struct notify_tmpl *t, const struct outbox_note *n, struct notify_rendered *out,
		  struct settle_err *err);
void notify_rendered_free(struct notify_rendered *r);

/* "50,000원" (ko) or "₩50,000" (en), from minor units of KRW text. */
int notify_format_won(const char *minor, const char *lang, char *buf, size_t len);

#endif
