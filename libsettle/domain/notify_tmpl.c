/* notify_tmpl.c — templates: their facts, parsing, rendering (see the header). */
#include "domain/notify_tmpl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"
#include "domain/timefmt.h"

const char *const notify_langs[] = {"ko", "en", NULL};

const char *const notify_templates[] = {
	"payment.completed", "refund.completed", "place.refused",   "payment.failed_charged", "escrow.released",
	"dispute.opened",    "dispute.resolved", "settlement.made", "payout.sent",            "payout.paid",
	"payout.failed",     "payout.held",      "invoice.issued",  "alert",                  "payment.failed_charged.ops",
	NULL,
};

/* What each event's builder puts in its note (app/payments/notes.c,
 * app/escrow/release_notes.c, app/settlement/statement.c,
 * app/payouts/apply.c, app/notify/held.c, app/invoices/issue.c,
 * app/notify/watch.c); "name" is the recipient's, added when it is sent. */
static const struct {
	const char *name;
	const char *const facts[13];
} facts_of[] = {
	{"payment.completed", {"payment", "order", "pod", "title", "amount", "currency", "method", "at", "name", NULL}},
	{"refund.completed", {"refund", "payment", "pod", "title", "amount", "currency", "reason", "at", "name", NULL}},
	{"place.refused", {"payment", "pod", "title", "amount", "currency", "reason", "at", "name", NULL}},
	{"payment.failed_charged",
	 {"payment", "order", "pod", "title", "amount", "currency", "reason", "at", "name", NULL}},
	{"payment.failed_charged.ops",
	 {"payment", "order", "user", "pod", "title", "amount", "currency", "reason", "at", "name", NULL}},
	{"escrow.released", {"pod", "amount", "currency", "participants", "at", "name", NULL}},
	{"dispute.opened",
	 {"dispute", "escrow", "pod", "reason", "amount", "currency", "resolution", "released", "refunded", "at", "name",
	  NULL}},
	{"dispute.resolved",
	 {"dispute", "escrow", "pod", "reason", "amount", "currency", "resolution", "released", "refunded", "at", "name",
	  NULL}},
	{"settlement.made",
	 {"pods", "total", "currency", "fee", "rate", "vat", "share", "withholding", "net", "payout", "at", "name",
	  NULL}},
	{"payout.sent", {"payout", "amount", "currency", "gross", "withholding", "reason", "at", "name", NULL}},
	{"payout.paid", {"payout", "amount", "currency", "gross", "withholding", "reason", "at", "name", NULL}},
	{"payout.failed", {"payout", "amount", "currency", "gross", "withholding", "reason", "at", "name", NULL}},
	{"payout.held",
	 {"payout", "leader", "amount", "currency", "gross", "withholding", "reason", "detail", "at", "name", NULL}},
	{"invoice.issued",
	 {"invoice", "month", "kind", "approval", "supply", "currency", "vat", "total", "brn", "at", "name", NULL}},
	{"alert", {"rule", "subject", "value", "threshold", "detail", "window", "at", "name", NULL}},
};

const char *const *notify_template_facts(const char *name)
{
	static const char *const none[] = {NULL};

	for (size_t i = 0; i < sizeof facts_of / sizeof facts_of[0]; i++)
		if (!strcmp(facts_of[i].name, name))
			return facts_of[i].facts;
	return none;
}

static int fact_known(const char *const *facts, const char *name, size_t len)
{
	for (; *facts; facts++)
		if (strlen(*facts) == len && !strncmp(*facts, name, len))
			return 1;
	return 0;
}

/* Every {{name}} or {{name|filter}} of s names a fact of the template. */
static int check_refs(const char *s, const char *const *facts, const char *file, struct settle_err *err)
{
	const char *p = s;

	while ((p = strstr(p, "{{"))) {
		const char *end = strstr(p + 2, "}}"), *bar;
		size_t len;

		if (!end)
			return err_set(err, SETTLE_EX_CONFIG, "%s: \"{{\" without \"}}\"", file);
		bar = memchr(p + 2, '|', (size_t)(end - p - 2));
		len = (size_t)((bar ? bar : end) - (p + 2));
		if (!fact_known(facts, p + 2, len))
			return err_set(err, SETTLE_EX_CONFIG, "%s: {{%.*s}} is not a fact of this notification", file,
				       (int)(len > 40 ? 40 : len), p + 2);
		if (bar && !((end - bar - 1 == 3 && !strncmp(bar + 1, "won", 3)) ||
			     (end - bar - 1 == 3 && !strncmp(bar + 1, "kst", 3)) ||
			     (end - bar - 1 == 5 && !strncmp(bar + 1, "lines", 5))))
			return err_set(err, SETTLE_EX_CONFIG, "%s: {{%.*s}}: the filter is not won, kst or lines", file,
				       (int)((end - p - 2) > 40 ? 40 : end - p - 2), p + 2);
		p = end + 2;
	}
	return 0;
}

int notify_tmpl_parse(struct notify_tmpl *t, const char *name, const char *lang, const char *text, const char *file,
		      struct settle_err *err)
{
	const char *const *facts = notify_template_facts(name);
	const char *nl, *body;

	memset(t, 0, sizeof *t);
	if (!facts[0])
		return err_set(err, SETTLE_EX_CONFIG, "%s: no notification is called %.40s", file, name);
	if (strncmp(text, "Subject: ", 9) || !(nl = strchr(text, '\n')) || nl[1] != '\n')
		return err_set(err, SETTLE_EX_CONFIG, "%s: does not start with \"Subject: …\" and an empty line", file);
	body = nl + 2;
	t->subject = strndup(text + 9, (size_t)(nl - text - 9));
	t->body = strdup(body);
	snprintf(t->name, sizeof t->name, "%s", name);
	snprintf(t->lang, sizeof t->lang, "%s", lang);
	if (!t->subject || !t->body) {
		notify_tmpl_free(t);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	if (check_refs(t->subject, facts, file, err) < 0 || check_refs(t->body, facts, file, err) < 0) {
		notify_tmpl_free(t);
		return -1;
	}
	return 0;
}

void notify_tmpl_free(struct notify_tmpl *t)
{
	free(t->subject);
	free(t->body);
	t->subject = t->body = NULL;
}

int notify_format_won(const char *minor, const char *lang, char *buf, size_t len)
{
	char digits[40];
	size_t n = strlen(minor), o = 0, neg = minor[0] == '-';

	if (n == neg || n > 20)
		return -1;
	for (size_t i = neg; i < n; i++) {
		if (!isdigit((unsigned char)minor[i]))
			return -1;
		if (i > neg && (n - i) % 3 == 0)
			digits[o++] = ',';
		digits[o++] = minor[i];
	}
	digits[o] = '\0';
	if (!strcmp(lang, "ko"))
		snprintf(buf, len, "%s%s원", neg ? "-" : "", digits);
	else
		snprintf(buf, len, "%s₩%s", neg ? "-" : "", digits);
	return 0;
}

enum mode { M_SUBJECT, M_TEXT, M_HTML };

/* Text of mode m: the subject loses line breaks and control characters,
 * HTML escapes its five characters. */
static void sb_put(struct strbuf *b, const char *s, size_t n, enum mode m)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (m == M_SUBJECT && (c < 0x20 || c == 0x7f))
			strbuf_add(b, " ", 1);
		else if (m == M_TEXT && (c < 0x20 && c != '\n' && c != '\t'))
			strbuf_add(b, " ", 1);
		else if (m == M_HTML && c == '<')
			strbuf_add(b, "&lt;", 4);
		else if (m == M_HTML && c == '>')
			strbuf_add(b, "&gt;", 4);
		else if (m == M_HTML && c == '&')
			strbuf_add(b, "&amp;", 5);
		else if (m == M_HTML && c == '"')
			strbuf_add(b, "&quot;", 6);
		else if (m == M_HTML && c == '\'')
			strbuf_add(b, "&#39;", 5);
		else if (m == M_HTML && c == '\n')
			strbuf_add(b, "<br>\n", 5);
		else if (m == M_HTML && c < 0x20)
			strbuf_add(b, " ", 1);
		else
			strbuf_add(b, s + i, 1);
	}
}

/* A run of ten or more digits keeps its last four: no account or resident
 * number leaves whole, whatever a fact holds. */
static void mask_long_digits(char *v)
{
	size_t i = 0, n = strlen(v);

	while (i < n) {
		size_t j = i;

		while (j < n && (isdigit((unsigned char)v[j]) || (j > i && v[j] == '-' && j + 1 < n &&
								   isdigit((unsigned char)v[j + 1]))))
			j++;
		if (j > i) {
			size_t d = 0;

			for (size_t k = i; k < j; k++)
				d += isdigit((unsigned char)v[k]) != 0;
			if (d >= 10)
				for (size_t k = i, seen = 0; k < j; k++)
					if (isdigit((unsigned char)v[k]) && ++seen <= d - 4)
						v[k] = '*';
			i = j;
		} else {
			i++;
		}
	}
}

static const char *fact_value(const struct outbox_note *n, const char *name, size_t len)
{
	for (size_t i = 0; i < n->n_facts; i++)
		if (strlen(n->facts[i].name) == len && !strncmp(n->facts[i].name, name, len))
			return n->facts[i].value;
	return NULL;
}

/* "2026-11-24 10:00:00[.ffffff]" UTC → "2026-11-24 19:00 KST" */
static int format_kst(const char *utc, char *buf, size_t len)
{
	int64_t us;
	char t[TIME_SQL_LEN];

	if (time_parse_utc(utc, &us) < 0)
		return -1;
	time_sql(us + (int64_t)KST_OFFSET_S * 1000000, t);
	snprintf(buf, len, "%.16s KST", t);
	return 0;
}

static int expand(const struct notify_tmpl *t, const char *src, const struct outbox_note *n, enum mode m,
		  struct strbuf *b, struct settle_err *err)
{
	const char *p = src;

	for (;;) {
		const char *open = strstr(p, "{{"), *end, *bar, *v;
		char val[256];
		size_t len;

		if (!open) {
			sb_put(b, p, strlen(p), m == M_HTML ? M_HTML : m);
			break;
		}
		sb_put(b, p, (size_t)(open - p), m);
		end = strstr(open + 2, "}}");
		if (!end)
			return err_set(err, SETTLE_EX_CONFIG, "template %s/%s: \"{{\" without \"}}\"", t->lang, t->name);
		bar = memchr(open + 2, '|', (size_t)(end - open - 2));
		len = (size_t)((bar ? bar : end) - (open + 2));
		v = fact_value(n, open + 2, len);
		if (!v)
			return err_set(err, SETTLE_EX_DATAERR, "notification %s: template %s/%s needs {{%.*s}}, which it "
				       "does not carry", n->key, t->lang, t->name, (int)(len > 40 ? 40 : len), open + 2);
		if (bar && !strncmp(bar + 1, "won", 3)) {
			if (notify_format_won(v, t->lang, val, sizeof val) < 0)
				return err_set(err, SETTLE_EX_DATAERR, "notification %s: {{%.*s}} is not an amount", n->key,
					       (int)len, open + 2);
		} else if (bar && !strncmp(bar + 1, "kst", 3)) {
			if (format_kst(v, val, sizeof val) < 0)
				return err_set(err, SETTLE_EX_DATAERR, "notification %s: {{%.*s}} is not a time", n->key,
					       (int)len, open + 2);
		} else {
			snprintf(val, sizeof val, "%s", v);
			mask_long_digits(val);
		}
		/* A value never breaks a line, except one printed with |lines
		 * in a body (a pre-rendered list): its own breaks stay, HTML
		 * escapes it and turns them into <br>, a subject flattens it. */
		sb_put(b, val, strlen(val), m == M_TEXT && !(bar && !strncmp(bar + 1, "lines", 5)) ? M_SUBJECT : m);
		p = end + 2;
	}
	return 0;
}

int notify_render(const struct notify_tmpl *t, const struct outbox_note *n, struct notify_rendered *out,
		  struct settle_err *err)
{
	struct strbuf s = {0}, x = {0}, h = {0};
	int rc;

	memset(out, 0, sizeof *out);
	rc = expand(t, t->subject, n, M_SUBJECT, &s, err);
	if (rc == 0)
		rc = expand(t, t->body, n, M_TEXT, &x, err);
	if (rc == 0) {
		strbuf_add(&h, "<!DOCTYPE html>\n<html><body><p>\n", strlen("<!DOCTYPE html>\n<html><body><p>\n"));
		rc = expand(t, t->body, n, M_HTML, &h, err);
		strbuf_add(&h, "</p></body></html>\n", strlen("</p></body></html>\n"));
	}
	if (rc == 0 && (s.oom || x.oom || h.oom || !s.s || !x.s))
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (rc < 0) {
		free(s.s);
		free(x.s);
		free(h.s);
		return -1;
	}
	out->subject = s.s;
	out->text = x.s;
	out->html = h.s;
	return 0;
}

void notify_rendered_free(struct notify_rendered *r)
{
	free(r->subject);
	free(r->text);
	free(r->html);
	memset(r, 0, sizeof *r);
}
