/*
 * bulk_result.c — the bank's result file (see bulk_result.h). Lines are
 * checked (length, UTF-8) before libcsv sees them, then fed to libcsv one
 * at a time so every record knows the line it starts on.
 */
#include "adapters/bank/bulk_result.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/bank_common.h"

#define NFIELDS 5

static const char *const header[NFIELDS] = {"payout_id", "amount", "status", "reference", "message"};

struct parse {
	const char *name;
	struct settle_err *err;
	struct bulk_result *out;
	size_t cap;
	/* libcsv reuses its buffer for the next field: fields are copied
	 * into rec, which bounds a record (quoted newlines included). */
	char rec[2 * BULK_RESULT_LINE_MAX];
	size_t rec_len;
	int rec_too_long;
	char *f[NFIELDS];
	size_t flen[NFIELDS];
	size_t nf;
	long line, record_line, start_line;
	int seen_header, failed, too_many;
	/* Payout ids seen, for the duplicate check: an open-addressed table
	 * of row indexes + 1 (0 = empty). */
	size_t *seen;
	size_t seen_cap;
};

static int fail(struct parse *p, long line, const char *fmt, const char *what)
{
	char msg[300];

	snprintf(msg, sizeof msg, fmt, what);
	err_set(p->err, SETTLE_EX_DATAERR, "%s:%ld: %s", p->name, line, msg);
	p->failed = 1;
	return -1;
}

static void on_field(void *data, size_t len, void *user)
{
	struct parse *p = user;

	if (p->failed)
		return;
	if (p->nf == 0)
		p->record_line = p->start_line;
	if (p->nf == NFIELDS) {
		p->too_many = 1;
		return;
	}
	if (p->rec_len + len > sizeof p->rec) {
		p->rec_too_long = 1;
		return;
	}
	memcpy(p->rec + p->rec_len, data, len);
	p->f[p->nf] = p->rec + p->rec_len;
	p->flen[p->nf] = len;
	p->rec_len += len;
	p->nf++;
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* 1 when id was already seen (and *line its line), else records it. */
static int seen_before(struct parse *p, size_t row, long *line)
{
	const char *id = p->out->rows[row].payout_id;
	size_t i;

	if ((p->out->n + 1) * 2 > p->seen_cap) {
		size_t cap = p->seen_cap ? p->seen_cap * 2 : 256;
		size_t *t = calloc(cap, sizeof *t);

		if (!t)
			return -1;
		for (size_t k = 0; k < p->seen_cap; k++) {
			if (!p->seen[k])
				continue;
			for (i = hash(p->out->rows[p->seen[k] - 1].payout_id) & (cap - 1); t[i]; i = (i + 1) & (cap - 1))
				;
			t[i] = p->seen[k];
		}
		free(p->seen);
		p->seen = t;
		p->seen_cap = cap;
	}
	for (i = hash(id) & (p->seen_cap - 1); p->seen[i]; i = (i + 1) & (p->seen_cap - 1)) {
		if (!strcmp(p->out->rows[p->seen[i] - 1].payout_id, id)) {
			*line = p->out->rows[p->seen[i] - 1].line;
			return 1;
		}
	}
	p->seen[i] = row + 1;
	return 0;
}

static int parse_amount(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;

	if (n == 0 || n > 15 || s[0] == '0')
		return -1; /* 15 digits: beyond any payout, far from overflow */
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int copy_field(struct parse *p, int k, char *dst, size_t cap)
{
	if (p->flen[k] >= cap)
		return fail(p, p->record_line, "%s is too long", header[k]);
	if (memchr(p->f[k], '\0', p->flen[k]))
		return fail(p, p->record_line, "%s has a NUL byte", header[k]);
	memcpy(dst, p->f[k], p->flen[k]);
	dst[p->flen[k]] = '\0';
	return 0;
}

static int field_is(const struct parse *p, int k, const char *s)
{
	return p->flen[k] == strlen(s) && !memcmp(p->f[k], s, p->flen[k]);
}

static int take_row(struct parse *p)
{
	struct bulk_result_row *r;
	long first;
	int dup;

	if (!p->seen_header && (p->nf != NFIELDS || p->too_many))
		return fail(p, p->record_line, "header must be payout_id,amount,status,reference,message%s", "");
	if (p->nf != NFIELDS || p->too_many) {
		char what[64];

		snprintf(what, sizeof what, "%s%zu", p->too_many ? "more than " : "", p->nf);
		return fail(p, p->record_line, "%s fields; expected 5 (payout_id,amount,status,reference,message)",
			    what);
	}
	if (!p->seen_header) {
		for (int k = 0; k < NFIELDS; k++)
			if (!field_is(p, k, header[k]))
				return fail(p, p->record_line,
					    "header must be payout_id,amount,status,reference,message (column %s differs)",
					    header[k]);
		p->seen_header = 1;
		return 0;
	}
	if (p->out->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct bulk_result_row *v = realloc(p->out->rows, cap * sizeof *v);

		if (!v) {
			err_set(p->err, SETTLE_EX_OSERR, "%s: out of memory", p->name);
			p->failed = 1;
			return -1;
		}
		p->out->rows = v;
		p->cap = cap;
	}
	r = &p->out->rows[p->out->n];
	memset(r, 0, sizeof *r);
	r->line = p->record_line;
	if (copy_field(p, 0, r->payout_id, sizeof r->payout_id) < 0)
		return -1;
	if (!bank_id_ok(r->payout_id))
		return fail(p, r->line, "payout_id must be 1..64 of A-Z a-z 0-9 _ -%s", "");
	if (parse_amount(p->f[1], p->flen[1], &r->amount) < 0)
		return fail(p, r->line, "amount must be a positive whole number of won (digits only)%s", "");
	if (field_is(p, 2, "PAID"))
		r->status = BANK_ST_PAID;
	else if (field_is(p, 2, "FAILED"))
		r->status = BANK_ST_FAILED;
	else if (field_is(p, 2, "RETURNED"))
		r->status = BANK_ST_RETURNED;
	else
		return fail(p, r->line, "status must be PAID, FAILED or RETURNED%s", "");
	if (copy_field(p, 3, r->reference, sizeof r->reference) < 0 ||
	    copy_field(p, 4, r->message, sizeof r->message) < 0)
		return -1;
	dup = seen_before(p, p->out->n, &first);
	if (dup < 0) {
		err_set(p->err, SETTLE_EX_OSERR, "%s: out of memory", p->name);
		p->failed = 1;
		return -1;
	}
	if (dup) {
		char what[128];

		snprintf(what, sizeof what, "payout %s appears twice (first on line %ld)", r->payout_id, first);
		return fail(p, r->line, "%s", what);
	}
	p->out->n++;
	return 0;
}

static void on_record(int c, void *user)
{
	struct parse *p = user;

	(void)c;
	if (!p->failed && p->rec_too_long) {
		err_set(p->err, SETTLE_EX_DATAERR, "%s:%ld: record longer than %zu bytes", p->name, p->record_line,
			sizeof p->rec);
		p->failed = 1;
	}
	if (!p->failed) {
		/* A blank line is nothing, not a record. */
		if (!(p->nf == 1 && p->flen[0] == 0 && !p->too_many))
			take_row(p);
	}
	p->nf = 0;
	p->too_many = 0;
	p->rec_len = 0;
	p->rec_too_long = 0;
}

void bulk_result_free(struct bulk_result *r)
{
	if (!r)
		return;
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

int bulk_result_parse(const char *name, const char *data, size_t len, struct bulk_result *out,
		      struct settle_err *err)
{
	struct parse p = {.name = name, .err = err, .out = out};
	struct csv_parser cp;
	const char *at = data, *end = data + len;
	int in_quote = 0;
	long quote_line = 0;

	memset(out, 0, sizeof *out);
	if (len > BULK_RESULT_FILE_MAX)
		return err_set(err, SETTLE_EX_DATAERR, "%s: larger than %u bytes", name, BULK_RESULT_FILE_MAX);
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return err_set(err, SETTLE_EX_OSERR, "csv: cannot initialise parser");
	if (len >= 3 && !memcmp(at, "\xEF\xBB\xBF", 3)) /* spreadsheet BOM */
		at += 3;
	while (!p.failed && at < end) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t n = nl ? (size_t)(nl - at) + 1 : (size_t)(end - at);

		p.line++;
		if (n > BULK_RESULT_LINE_MAX) {
			err_set(err, SETTLE_EX_DATAERR, "%s:%ld: line longer than %d bytes", name, p.line,
				BULK_RESULT_LINE_MAX);
			p.failed = 1;
			break;
		}
		if (!bank_utf8_ok(at, n)) {
			err_set(err, SETTLE_EX_DATAERR, "%s:%ld: not valid UTF-8", name, p.line);
			p.failed = 1;
			break;
		}
		if (!in_quote)
			p.start_line = p.line;
		for (const char *q = at; (q = memchr(q, '"', (size_t)(at + n - q))) != NULL; q++) {
			in_quote = !in_quote;
			if (in_quote)
				quote_line = p.line;
		}
		if (csv_parse(&cp, at, n, on_field, on_record, &p) != n && !p.failed) {
			err_set(err, SETTLE_EX_DATAERR, "%s:%ld: malformed CSV: %s", name, p.line,
				csv_strerror(csv_error(&cp)));
			p.failed = 1;
		}
		at += n;
	}
	if (!p.failed && in_quote) {
		err_set(err, SETTLE_EX_DATAERR, "%s:%ld: quoted field opened on this line is never closed", name,
			quote_line);
		p.failed = 1;
	}
	if (!p.failed && csv_fini(&cp, on_field, on_record, &p) != 0 && !p.failed) {
		err_set(err, SETTLE_EX_DATAERR, "%s:%ld: malformed CSV at end of file: %s", name, p.line,
			csv_strerror(csv_error(&cp)));
		p.failed = 1;
	}
	if (!p.failed && !p.seen_header) {
		err_set(err, SETTLE_EX_DATAERR, "%s:1: empty file; expected the header payout_id,amount,status,reference,message", name);
		p.failed = 1;
	}
	if (!p.failed && out->n == 0) {
		err_set(err, SETTLE_EX_DATAERR, "%s:%ld: no result rows after the header", name, p.line + 1);
		p.failed = 1;
	}
	csv_free(&cp);
	free(p.seen);
	if (p.failed) {
		bulk_result_free(out);
		return -1;
	}
	return 0;
}

int bulk_result_load(const char *path, struct bulk_result *out, struct settle_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, got;
	int rc;

	memset(out, 0, sizeof *out);
	if (!f)
		return err_set(err, SETTLE_EX_NOINPUT, "%s: %s", path, strerror(errno));
	do {
		if (len == cap) {
			char *b;

			if (cap >= BULK_RESULT_FILE_MAX + 1) {
				free(buf);
				fclose(f);
				return err_set(err, SETTLE_EX_DATAERR, "%s: larger than %u bytes", path,
					       BULK_RESULT_FILE_MAX);
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > BULK_RESULT_FILE_MAX + 1)
				cap = BULK_RESULT_FILE_MAX + 1;
			b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return err_set(err, SETTLE_EX_OSERR, "%s: out of memory", path);
			}
			buf = b;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return err_set(err, SETTLE_EX_IOERR, "%s: read error", path);
	}
	fclose(f);
	rc = bulk_result_parse(path, buf ? buf : "", len, out, err);
	free(buf);
	return rc;
}
