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
	/* libcsv may hand an empty field as (NULL, 0): never pass that on
	 * to memcpy or memchr, whose arguments must not be null. */
	if (len)
		memcpy(r->fields[r->n], data, len);
	r->fields[r->n][len] = '\0';
	if (len && memchr(data, '\0', len)) {
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

/* A record that is one unquoted field of nothing but spaces and tabs is
 * a blank line, not data. */
static int blank_record(const struct reader *r)
{
	return r->n == 1 && r->fields[0][strspn(r->fields[0], " \t")] == '\0';
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
	if (!r->failed && r->n > 0 && !blank_record(r)) {
		if (r->fn(r->arg, (const char *const *)r->fields, r->n, r->record_line, r->err) < 0)
			r->failed = 1;
	}
	clear_fields(r);
	r->too_many = 0;
}

/* libcsv trims spaces and tabs around unquoted fields unless told that no
 * character is a space; settle checks fields exactly as written, so "fee "
 * is not the header's "fee" and " p1" is not the id "p1". */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Reads one physical line (with its newline) into *buf, growing it up to
 * max + 1 bytes (max may be 0). Returns the line's length, 0 at end of file, -1 when the
 * line has more than max bytes: reading stops there, so an endless line
 * costs max bytes of memory, not the file's size. -2 when out of memory. */
static ssize_t read_line(FILE *f, char **buf, size_t *cap, size_t max)
{
	size_t len = 0;
	int ch;

	while ((ch = getc_unlocked(f)) != EOF) {
		if (len == max)
			return -1;
		if (len + 2 > *cap) {
			size_t want = *cap ? *cap * 2 : 256;
			char *grown;

			if (want > max + 1)
				want = max + 1;
			grown = realloc(*buf, want);
			if (!grown)
				return -2;
			*buf = grown;
			*cap = want;
		}
		(*buf)[len++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (len)
		(*buf)[len] = '\0';
	return (ssize_t)len;
}

int csv_read_file(const char *path, csv_row_fn fn, void *arg, struct settle_err *err)
{
	struct csv_parser p;
	struct reader r = {.fn = fn, .arg = arg, .err = err, .path = path};
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, record_bytes = 0;
	ssize_t got;
	int in_quote = 0; /* a quoted field is open at the end of the last line */
	long quote_line = 0;

	if (!f)
		return err_set(err, SETTLE_EX_NOINPUT, "%s: %s", path, strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		return err_set(err, SETTLE_EX_OSERR, "csv: cannot initialise parser");
	}
	csv_set_space_func(&p, no_space);
	while (!r.failed) {
		/* A line begun outside quotes starts a record, and the record's
		 * byte budget with it; a continuation line spends what is left. */
		if (!in_quote)
			record_bytes = 0;
		got = read_line(f, &buf, &cap, CSV_RECORD_MAX - record_bytes);
		if (got == 0)
			break;
		r.line++;
		if (!in_quote)
			r.start_line = r.line;
		if (got == -2) {
			err_set(err, SETTLE_EX_OSERR, "out of memory");
			r.failed = 1;
			break;
		}
		if (got < 0) {
			err_set(err, SETTLE_EX_DATAERR, "%s:%ld: record longer than %d bytes", path, r.start_line,
				CSV_RECORD_MAX);
			r.failed = 1;
			break;
		}
		record_bytes += (size_t)got;
		if (r.line == 1 && got >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) { /* spreadsheet BOM */
			memmove(buf, buf + 3, (size_t)got - 2);
			got -= 3;
		}
		/* libcsv hands out a field only when it ends, so the line a record
		 * starts on is tracked here: a line begun outside quotes can start
		 * one. CSV_STRICT refuses stray quotes, so quote parity tells
		 * whether a quoted field runs on past the end of the line. */
		for (const char *q = buf; (q = memchr(q, '"', (size_t)(buf + got - q))) != NULL; q++) {
			in_quote = !in_quote;
			if (in_quote)
				quote_line = r.line;
		}
		if (got > 0 && csv_parse(&p, buf, (size_t)got, on_field, on_record, &r) != (size_t)got && !r.failed) {
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

/* A header cell as the error shows it: at most 40 bytes, anything that is
 * not printable ASCII escaped, so a stray byte cannot reach the terminal. */
static void shown(char out[164], const char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i] && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 164 - o, "\\x%02X", c);
	}
	out[o] = '\0';
}

int csv_expect_header(const char *path, const char *const *fields, size_t n, const char *const *expected,
		      struct settle_err *err)
{
	return csv_expect_header_at(path, 1, fields, n, expected, err);
}

int csv_expect_header_at(const char *path, long line, const char *const *fields, size_t n,
			 const char *const *expected, struct settle_err *err)
{
	size_t want = 0;
	char cell[164];

	while (expected[want])
		want++;
	for (size_t i = 0; i < want; i++) {
		if (i >= n)
			return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: missing column %zu '%s'", path, line, i + 1,
				       expected[i]);
		if (strcmp(fields[i], expected[i])) {
			shown(cell, fields[i]);
			return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: column %zu is '%s'; expected '%s'", path, line,
				       i + 1, cell, expected[i]);
		}
	}
	if (n > want) {
		shown(cell, fields[want]);
		return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: unexpected column %zu '%s'", path, line, want + 1,
			       cell);
	}
	return 0;
}
