/*
 * json_sink.c — a report as one JSON document, streamed: the head
 * (report, title, period, time zone, currency, facts), then "rows" one
 * object at a time (each built and dumped by jansson), then "totals".
 * Money is an integer of minor units; keys are the column keys.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/report/report_out.h"
#include "adapters/report/sink_base.h"

struct json_sink {
	struct sink_base base;
	FILE *fp;
	struct report_out_opts o;
	const struct report_head *h;
	int rows;
};

static json_t *str(const char *s)
{
	json_t *j = json_string(s ? s : "");

	/* a value that is not UTF-8 must not end the report: shown as null */
	return j ? j : json_null();
}

static int dump(struct json_sink *s, json_t *j, const char *before, struct settle_err *err)
{
	char *text;

	if (!j)
		return err_set(err, SETTLE_EX_OSERR, "out of memory building JSON");
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return err_set(err, SETTLE_EX_OSERR, "out of memory building JSON");
	fputs(before, s->fp);
	fputs(text, s->fp);
	free(text);
	return sink_written(s->fp, err);
}

static int begin(void *self, const struct report_head *h, struct settle_err *err)
{
	struct json_sink *s = self;
	json_t *head = json_object(), *facts = json_object();
	char *text;
	size_t n;

	s->h = h;
	if (!head || !facts) {
		json_decref(head);
		json_decref(facts);
		return err_set(err, SETTLE_EX_OSERR, "out of memory building JSON");
	}
	json_object_set_new(head, "report", str(h->report));
	json_object_set_new(head, "title", str(h->title));
	json_object_set_new(head, "period", str(h->period));
	json_object_set_new(head, "timezone", json_string("Asia/Seoul (UTC+9): every date and *_kst field"));
	json_object_set_new(head, "currency", str(h->currency));
	json_object_set_new(head, "amounts", json_string("integers of the currency's minor unit (KRW: won)"));
	for (size_t i = 0; i < h->nfacts; i++)
		json_object_set_new(facts, h->facts[i].key,
				    h->facts[i].text ? str(h->facts[i].text) : json_integer(h->facts[i].value));
	if (h->nfacts)
		json_object_set_new(head, "facts", facts);
	else
		json_decref(facts);
	text = json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(head);
	if (!text)
		return err_set(err, SETTLE_EX_OSERR, "out of memory building JSON");
	n = strlen(text);
	/* the head without its closing brace, then the rows' array */
	fwrite(text, 1, n - 1, s->fp);
	free(text);
	fputs(",\"rows\":[", s->fp);
	return sink_written(s->fp, err);
}

static json_t *object(struct json_sink *s, const struct report_cell *c, int totals)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < s->h->ncols; i++) {
		const struct report_col *col = &s->h->cols[i];

		if (col->type == RC_TEXT) {
			if (!totals)
				json_object_set_new(o, col->key, str(c[i].s));
		} else if (!(totals && col->no_total == 1)) {
			json_object_set_new(o, col->key, json_integer(c[i].v));
		}
	}
	return o;
}

static int row(void *self, const struct report_cell *c, struct settle_err *err)
{
	struct json_sink *s = self;

	return dump(s, object(s, c, 0), s->rows++ ? "," : "", err);
}

static int totals(void *self, const struct report_cell *c, struct settle_err *err)
{
	struct json_sink *s = self;

	return dump(s, object(s, c, 1), "],\"totals\":", err);
}

static int end(void *self, struct settle_err *err)
{
	struct json_sink *s = self;

	fputs("}\n", s->fp);
	return sink_flushed(s->fp, err);
}

static void destroy(struct sink_base *b)
{
	free(b);
}

struct report_sink *json_sink_new(FILE *fp, const struct report_out_opts *o)
{
	struct json_sink *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->fp = fp;
	s->o = *o;
	s->base.port = (struct report_sink){s, begin, row, totals, end};
	s->base.destroy = destroy;
	return &s->base.port;
}
