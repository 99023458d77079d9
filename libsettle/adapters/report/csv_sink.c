/*
 * csv_sink.c — a report as CSV: every text field quoted by libcsv
 * (csv_write), money as bare integers, CRLF line ends; a row is built in
 * one buffer and written with one fwrite, so a million rows cost little
 * more than the database's own text output.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/report/report_out.h"
#include "adapters/report/sink_base.h"
#include "util/termsafe.h"

struct csv_sink {
	struct sink_base base;
	FILE *fp;
	struct report_out_opts o;
	const struct report_head *h;
	char *buf;
	size_t len, cap;
};

static int grow(struct csv_sink *s, size_t more)
{
	if (s->len + more <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : 4096;
	while (cap < s->len + more)
		cap *= 2;
	char *b = realloc(s->buf, cap);
	if (!b)
		return -1;
	s->buf = b;
	s->cap = cap;
	return 0;
}

static int put_text(struct csv_sink *s, const char *t)
{
	char safe[4096];
	size_t n;

	if (s->o.terminal && t && term_needs_escape(t))
		t = term_escape(safe, sizeof safe, t);
	n = t ? strlen(t) : 0;
	size_t need = csv_write(NULL, 0, t ? t : "", n);

	if (grow(s, need + 1) < 0)
		return -1;
	s->len += csv_write(s->buf + s->len, s->cap - s->len, t ? t : "", n);
	return 0;
}

static int put_int(struct csv_sink *s, int64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	if (grow(s, sizeof tmp - i) < 0)
		return -1;
	memcpy(s->buf + s->len, tmp + i, sizeof tmp - i);
	s->len += sizeof tmp - i;
	return 0;
}

static int put_raw(struct csv_sink *s, const char *t, size_t n)
{
	if (grow(s, n) < 0)
		return -1;
	memcpy(s->buf + s->len, t, n);
	s->len += n;
	return 0;
}

static int flush_line(struct csv_sink *s, struct settle_err *err)
{
	if (put_raw(s, "\r\n", 2) < 0)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (fwrite(s->buf, 1, s->len, s->fp) != s->len)
		return err_set(err, SETTLE_EX_IOERR, "report: write failed");
	s->len = 0;
	return 0;
}

static int begin(void *self, const struct report_head *h, struct settle_err *err)
{
	struct csv_sink *s = self;
	int rc = 0;

	s->h = h;
	if (s->o.bom && fwrite("\xEF\xBB\xBF", 1, 3, s->fp) != 3)
		return err_set(err, SETTLE_EX_IOERR, "report: write failed");
	for (size_t i = 0; i < h->ncols && rc == 0; i++)
		rc = (i ? put_raw(s, ",", 1) : 0) || put_text(s, s->o.ko ? h->cols[i].ko : h->cols[i].key);
	if (rc)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	return flush_line(s, err);
}

static int line(struct csv_sink *s, const struct report_cell *c, int totals, struct settle_err *err)
{
	int rc = 0;

	for (size_t i = 0; i < s->h->ncols && rc == 0; i++) {
		const struct report_col *col = &s->h->cols[i];

		if (i)
			rc = put_raw(s, ",", 1);
		if (rc)
			break;
		if (totals && i == 0)
			rc = put_text(s, s->o.ko ? "합계" : "TOTAL");
		else if (col->type == RC_TEXT)
			rc = totals ? put_text(s, "") : put_text(s, c[i].s);
		else if (totals && col->no_total == 1)
			rc = 0; /* an empty field */
		else
			rc = put_int(s, c[i].v);
	}
	if (rc)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	return flush_line(s, err);
}

static int row(void *self, const struct report_cell *c, struct settle_err *err)
{
	return line(self, c, 0, err);
}

static int totals(void *self, const struct report_cell *c, struct settle_err *err)
{
	return line(self, c, 1, err);
}

static int end(void *self, struct settle_err *err)
{
	struct csv_sink *s = self;

	return sink_flushed(s->fp, err);
}

static void destroy(struct sink_base *b)
{
	struct csv_sink *s = (struct csv_sink *)b;

	free(s->buf);
	free(s);
}

struct report_sink *csv_sink_new(FILE *fp, const struct report_out_opts *o)
{
	struct csv_sink *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->fp = fp;
	s->o = *o;
	s->base.port = (struct report_sink){s, begin, row, totals, end};
	s->base.destroy = destroy;
	return &s->base.port;
}

