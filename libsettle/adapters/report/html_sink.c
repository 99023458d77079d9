/*
 * html_sink.c — a report as a one-page HTML document a leader can be
 * sent (the leader statement): title, period and time zone, the facts as
 * a summary table, then the rows. Every value — ids, names, titles,
 * labels — is HTML-escaped; money is grouped by thousands, in minor units.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/report/report_out.h"
#include "adapters/report/sink_base.h"

struct html_sink {
	struct sink_base base;
	FILE *fp;
	struct report_out_opts o;
	const struct report_head *h;
};

static void esc(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
}

static void money(FILE *fp, int64_t v)
{
	char digits[24], out[40];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, k = 0;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[k++] = '-';
	for (size_t i = n; i-- > 0;) {
		out[k++] = digits[i];
		if (i && i % 3 == 0)
			out[k++] = ',';
	}
	out[k] = '\0';
	fputs(out, fp);
}

static int begin(void *self, const struct report_head *h, struct settle_err *err)
{
	struct html_sink *s = self;
	FILE *fp = s->fp;

	s->h = h;
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", s->o.ko ? "ko" : "en");
	esc(fp, s->o.ko ? h->title_ko : h->title);
	fputs(" — ", fp);
	esc(fp, h->period);
	fputs("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
	      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.2em .5em}"
	      "td.n{text-align:right}tr.t{font-weight:bold}@media print{body{margin:0}}</style>\n</head>\n<body>\n<h1>",
	      fp);
	esc(fp, s->o.ko ? h->title_ko : h->title);
	fputs("</h1>\n<p>", fp);
	esc(fp, s->o.ko ? "기간" : "Period");
	fputs(": ", fp);
	esc(fp, h->period);
	fputs(s->o.ko ? " (한국 시간, UTC+9) · 금액 단위: " : " (Korea time, UTC+9) · amounts in ", fp);
	esc(fp, h->currency);
	fputs("</p>\n", fp);
	if (h->nfacts) {
		fputs("<table class=\"summary\">\n", fp);
		for (size_t i = 0; i < h->nfacts; i++) {
			fputs("<tr><th>", fp);
			esc(fp, s->o.ko ? h->facts[i].ko : h->facts[i].key);
			fputs(h->facts[i].text ? "</th><td>" : "</th><td class=\"n\">", fp);
			if (h->facts[i].text)
				esc(fp, h->facts[i].text);
			else
				money(fp, h->facts[i].value);
			fputs("</td></tr>\n", fp);
		}
		fputs("</table>\n", fp);
	}
	fputs("<table class=\"rows\">\n<tr>", fp);
	for (size_t i = 0; i < h->ncols; i++) {
		fputs("<th>", fp);
		esc(fp, s->o.ko ? h->cols[i].ko : h->cols[i].key);
		fputs("</th>", fp);
	}
	fputs("</tr>\n", fp);
	return sink_written(fp, err);
}

static int line(struct html_sink *s, const struct report_cell *c, int totals, struct settle_err *err)
{
	FILE *fp = s->fp;

	fputs(totals ? "<tr class=\"t\">" : "<tr>", fp);
	for (size_t i = 0; i < s->h->ncols; i++) {
		const struct report_col *col = &s->h->cols[i];

		fputs(col->type == RC_TEXT ? "<td>" : "<td class=\"n\">", fp);
		if (totals && i == 0)
			esc(fp, s->o.ko ? "합계" : "TOTAL");
		else if (col->type == RC_TEXT)
			esc(fp, totals ? "" : c[i].s);
		else if (!(totals && col->no_total == 1))
			money(fp, c[i].v);
		fputs("</td>", fp);
	}
	fputs("</tr>\n", fp);
	return sink_written(fp, err);
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
	struct html_sink *s = self;

	fputs("</table>\n</body>\n</html>\n", s->fp);
	return sink_flushed(s->fp, err);
}

static void destroy(struct sink_base *b)
{
	free(b);
}

struct report_sink *html_sink_new(FILE *fp, const struct report_out_opts *o)
{
	struct html_sink *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->fp = fp;
	s->o = *o;
	s->base.port = (struct report_sink){s, begin, row, totals, end};
	s->base.destroy = destroy;
	return &s->base.port;
}
