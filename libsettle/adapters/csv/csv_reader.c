/*
 * csv_reader.c — libcsv fed one physical line at a time, so the line a
 * record starts on is always known even when quoted fields hold newlines.
 */
#include "adapters/csv/csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	csv_row_fn fn;
	void *arg;
	struct settle_err *err;
	const char *path;
	char *fields[CSV_MAX_FIELDS];
	size_t n;
	long line, record_line;
	long start_line; /* where the next record can start: the last line begun outside quotes */
	int failed, too_many;
};

static void on_field(void *data, size_t len, void *user)
{
	struct reader *r = user;

	if (r->failed)
		return;
	if (r->n == 0)
		r->record_line = r->start_line;
	if (r->n == CSV_MAX_FIELDS) {
		r->too_many = 1;
		return;
	}
	r->fields[r->n] = malloc(len + 1);
	if (!r->fields[r->n]) {
		err_set(r->err, SETTLE_EX_OSERR, "out of memory");
		r->failed = 1;
		return;
	}
	memcpy(r->fields[r->n], data, len);
	r->fields[r->n][len] = '\0';
	if (memchr(data, '\0', len)) {
		err_set(r->err, SETTLE_EX_DATAERR, "%s:%ld: field %zu has a NUL byte", r->path, r->line, r->n + 1);
		r->failed = 1;
	}
	r->n++;
}

static void clear_fields(struct reader *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->fields[i]);
	r->n = 0;
}

static void on_record(int c, void *user)
{
	struct reader *r = user;

	(void)c;
	if (!r->failed && r->too_many) {
		err_set(r->err, SETTLE_EX_DATAERR, "%s:%ld: more than %d fields", r->path, r->record_line,
			CSV_MAX_FIELDS);
		r->failed = 1;
	}
	if (!r->failed && r->n > 0 && !(r->n == 1 && r->fields[0][0] == '\0')) {
		if (r->fn(r->arg, (const char *const *)r->fields, r->n, r->record_line, r->err) < 0)
			r->failed = 1;
	}
	clear_fields(r);
	r->too_many = 0;
}

int csv_read_file(const char *path, csv_row_fn fn, void *arg, struct settle_err *err)
{
	struct csv_parser p;
	struct reader r = {.fn = fn, .arg = arg, .err = err, .path = path};
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t got;
	int in_quote = 0; /* a quoted field is open at the end of the last line */
	long quote_line = 0;

	if (!f)
		return err_set(err, SETTLE_EX_NOINPUT, "%s: %s", path, strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		return err_set(err, SETTLE_EX_OSERR, "csv: cannot initialise parser");
	}
	while (!r.failed && (got = getline(&buf, &cap, f)) > 0) {
		r.line++;
		if (r.line == 1 && got >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) { /* spreadsheet BOM */
			memmove(buf, buf + 3, (size_t)got - 2);
			got -= 3;
		}
		/* libcsv hands out a field only when it ends, so the line a record
		 * starts on is tracked here: a line begun outside quotes can start
		 * one. CSV_STRICT refuses stray quotes, so quote parity tells
		 * whether a quoted field runs on past the end of the line. */
		if (!in_quote)
			r.start_line = r.line;
		for (const char *q = buf; (q = memchr(q, '"', (size_t)(buf + got - q))) != NULL; q++) {
			in_quote = !in_quote;
			if (in_quote)
				quote_line = r.line;
		}
		if (csv_parse(&p, buf, (size_t)got, on_field, on_record, &r) != (size_t)got && !r.failed) {
			err_set(err, SETTLE_EX_DATAERR, "%s:%ld: malformed CSV: %s", path, r.line,
				csv_strerror(csv_error(&p)));
			r.failed = 1;
		}
	}
	if (!r.failed && !ferror(f) && in_quote) {
		err_set(err, SETTLE_EX_DATAERR, "%s:%ld: quoted field opened on this line is never closed", path,
			quote_line);
		r.failed = 1;
	}
	if (!r.failed && csv_fini(&p, on_field, on_record, &r) != 0) {
		err_set(err, SETTLE_EX_DATAERR, "%s:%ld: malformed CSV at end of file: %s", path, r.line,
			csv_strerror(csv_error(&p)));
		r.failed = 1;
	}
	if (!r.failed && ferror(f)) {
		err_set(err, SETTLE_EX_IOERR, "%s: read error", path);
		r.failed = 1;
	}
	clear_fields(&r);
	csv_free(&p);
	free(buf);
	fclose(f);
	return r.failed ? -1 : 0;
}

int csv_expect_header(const char *path, const char *const *fields, size_t n, const char *const *expected,
		      struct settle_err *err)
{
	size_t want = 0;

	while (expected[want])
		want++;
	for (size_t i = 0; i < want; i++) {
		if (i >= n)
			return err_set(err, SETTLE_EX_DATAERR, "%s:1: missing column %zu '%s'", path, i + 1,
				       expected[i]);
		if (strcmp(fields[i], expected[i]))
			return err_set(err, SETTLE_EX_DATAERR, "%s:1: column %zu is '%.40s'; expected '%s'", path,
				       i + 1, fields[i], expected[i]);
	}
	if (n > want)
		return err_set(err, SETTLE_EX_DATAERR, "%s:1: unexpected column %zu '%.40s'", path, want + 1,
			       fields[want]);
	return 0;
}
