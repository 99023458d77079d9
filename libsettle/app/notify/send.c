/* send.c — settle-notify's run (see notify.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify/notify.h"
#include "domain/timefmt.h"
#include "domain/validate.h"
#include "util/log.h"

static const struct claim_queue q_pending = {"notifications", "id", "status", "PENDING", NULL, NULL,
					     "next_attempt_at"};

const struct notify_tmpl *notify_templates_find(const struct notify_templates *ts, const char *name, const char *lang)
{
	for (size_t i = 0; notify_templates[i] && i < 16; i++)
		if (!strcmp(notify_templates[i], name))
			return &ts->t[i][strcmp(lang, "en") ? 0 : 1];
	return NULL;
}

struct outcome {
	enum notify_outcome o;
	char error[256];
	char next_at[TIME_SQL_LEN];
};

struct batch {
	const struct notify_ctx *c;
	struct claim_req req;
	int64_t *ids;
	size_t n_ids;
	struct queued_note *rows;
	size_t n;
	struct outcome *out;
};

static int claim_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct notify_ctx *c = b->c;

	b->n = b->n_ids = 0;
	if (c->claims->claim(c->claims->self, tx, &b->req, b->ids, &b->n_ids, err) < 0)
		return -1;
	return b->n_ids ? c->queue->load(c->queue->self, tx, b->ids, b->n_ids, b->rows, &b->n, err) : 0;
}

/* A batch that comes back to a notification this run tried already (its
 * back-off ran out while the run went on): give it back for the next run,
 * so one run tries each notification once. */
static int release_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;

	return b->c->claims->release(b->c->claims->self, tx, &b->req, b->ids, b->n_ids, err);
}

static int record_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct notify_queue *q = b->c->queue;

	for (size_t i = 0; i < b->n; i++)
		if (q->record(q->self, tx, b->rows[i].id, b->out[i].o, b->out[i].error,
			      b->out[i].next_at[0] ? b->out[i].next_at : NULL, b->req.now, err) < 0)
			return -1;
	return 0;
}

/* Later, or never: the attempt that failed was attempts + 1. */
static void retry_or_fail(const struct notify_ctx *c, const struct queued_note *q, const char *why, struct outcome *o)
{
	int64_t delay = c->backoff_s > 0 ? c->backoff_s : 60;

	snprintf(o->error, sizeof o->error, "%s", why);
	if (q->attempts + 1 >= c->max_attempts) {
		o->o = NOTIFY_FAILED;
		return;
	}
	for (int i = 0; i < q->attempts && delay < 86400; i++)
		delay *= 2;
	o->o = NOTIFY_RETRY;
	time_sql(c->clock->now_us(c->clock->self) + (delay > 86400 ? 86400 : delay) * 1000000, o->next_at);
}

static void send_one(const struct notify_ctx *c, struct queued_note *q, struct outcome *o)
{
	struct contact who = {0};
	struct settle_err err = {0};
	struct notify_rendered r;
	const struct notify_tmpl *t;
	struct mail m;

	memset(o, 0, sizeof *o);
	if (c->contacts->lookup(c->contacts->self, q->note.recipient_kind, q->note.recipient_id, &who, &err) < 0) {
		if (err.code == SETTLE_EX_NOINPUT) {
			o->o = NOTIFY_HELD;
			snprintf(o->error, sizeof o->error, "%s", err.msg);
		} else {
			retry_or_fail(c, q, err.msg, o);
		}
		return;
	}
	if (!who.email[0]) {
		o->o = NOTIFY_HELD;
		snprintf(o->error, sizeof o->error, "%s %s has no e-mail address", q->note.recipient_kind,
			 q->note.recipient_id);
		return;
	}
	if (validate_email("address", who.email, &err) < 0) {
		o->o = NOTIFY_HELD;
		snprintf(o->error, sizeof o->error, "%s %s: %s", q->note.recipient_kind, q->note.recipient_id, err.msg);
		return;
	}
	t = notify_templates_find(c->templates, q->note.template_name, who.lang);
	if (!t || !t->subject) {
		o->o = NOTIFY_FAILED;
		snprintf(o->error, sizeof o->error, "no template %.48s", q->note.template_name);
		return;
	}
	if (q->note.n_facts < OUTBOX_FACTS_MAX) {
		struct outbox_fact *f = &q->note.facts[q->note.n_facts++];

		snprintf(f->name, sizeof f->name, "name");
		snprintf(f->value, sizeof f->value, "%s", who.name[0] ? who.name : q->note.recipient_id);
	}
	if (notify_render(t, &q->note, &r, &err) < 0) {
		o->o = NOTIFY_FAILED;
		snprintf(o->error, sizeof o->error, "%s", err.msg);
		return;
	}
	m = (struct mail){who.email, who.name, r.subject, r.text, r.html, q->note.key};
	if (c->mailer->send(c->mailer->self, &m, &err) == 0) {
		o->o = NOTIFY_SENT;
	} else if (err.code == SETTLE_EX_DATAERR) {
		o->o = NOTIFY_FAILED;
		snprintf(o->error, sizeof o->error, "%s", err.msg);
	} else {
		retry_or_fail(c, q, err.msg, o);
	}
	notify_rendered_free(&r);
}

int notify_run(const struct notify_ctx *c, struct notify_report *rep, struct settle_err *err)
{
	size_t cap = (size_t)(c->batch > 0 ? c->batch : 50);
	struct batch b = {.c = c};
	char now[TIME_SQL_LEN];
	int64_t max_seen = 0;
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	b.ids = calloc(cap, sizeof *b.ids);
	b.rows = calloc(cap, sizeof *b.rows);
	b.out = calloc(cap, sizeof *b.out);
	if (!b.ids || !b.rows || !b.out) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	b.req = (struct claim_req){&q_pending, c->owner, now, 0, c->lease_s > 0 ? c->lease_s : 120, cap};
	for (;;) {
		if (c->limit > 0 && rep->looked_at >= c->limit)
			break;
		time_sql(c->clock->now_us(c->clock->self), now);
		if (uow_run(c->uow, claim_tx, &b, err) < 0) {
			rc = -1;
			break;
		}
		if (b.n == 0)
			break;
		if (b.ids[0] <= max_seen) {
			rc = uow_run(c->uow, release_tx, &b, err);
			break;
		}
		for (size_t i = 0; i < b.n; i++) {
			send_one(c, &b.rows[i], &b.out[i]);
			if (b.out[i].o != NOTIFY_SENT)
				log_kv(b.out[i].o == NOTIFY_HELD ? LOG_WARN : LOG_ERROR, "notify.not_sent", "key",
				       b.rows[i].note.key, "why", b.out[i].error, (char *)NULL);
		}
		time_sql(c->clock->now_us(c->clock->self), now);
		if (uow_run(c->uow, record_tx, &b, err) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < b.n; i++) {
			if (b.rows[i].id > max_seen)
				max_seen = b.rows[i].id;
			rep->looked_at++;
			switch (b.out[i].o) {
			case NOTIFY_SENT: rep->sent++; break;
			case NOTIFY_HELD: rep->held++; break;
			case NOTIFY_RETRY: rep->retry++; break;
			case NOTIFY_FAILED: rep->failed++; break;
			}
		}
	}
	if (rc == 0 && (rep->retry || rep->failed))
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "%lld notification(s) wait for a retry, %lld failed",
			     (long long)rep->retry, (long long)rep->failed);
out:
	free(b.ids);
	free(b.rows);
	free(b.out);
	return rc;
}
