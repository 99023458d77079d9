/* fake_invoices.c — in-memory invoices repository, provider and outbox (see fake_invoices.h). */
#include "fakes/fake_invoices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/timefmt.h"

/* ---- unit of work ---- */

static int uow_run_fake(void *self, uow_fn fn, void *arg, struct settle_err *err)
{
	struct fake_inv_world *w = self;
	struct fake_inv_state *snap = malloc(sizeof *snap);
	int rc;

	if (!snap)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	for (int attempt = 0; attempt < 12; attempt++) {
		err_clear(err);
		memcpy(snap, &w->s, sizeof *snap);
		rc = fn((struct uow *)w, arg, err);
		if (rc == 0 && w->deadlocks > 0) {
			w->deadlocks--;
			memcpy(&w->s, snap, sizeof *snap);
			continue; /* retried from the start, as 1213 is */
		}
		if (rc < 0)
			memcpy(&w->s, snap, sizeof *snap);
		break;
	}
	free(snap);
	return rc;
}

/* ---- repository ---- */

static struct fake_inv_state *st(void *self)
{
	return &((struct fake_inv_world *)self)->s;
}

static int unsettled_pods(void *self, struct uow *tx, const char *start, const char *end, char (*out)[65], size_t cap,
			  size_t *n, struct settle_err *err)
{
	struct fake_inv_state *s = st(self);

	(void)tx, (void)start, (void)end, (void)err;
	*n = s->n_unsettled;
	for (size_t i = 0; i < s->n_unsettled && i < cap; i++)
		memcpy(out[i], s->unsettled[i], 65);
	return 0;
}

static int has_items(const struct fake_inv_state *s, const char *leader_id)
{
	for (size_t i = 0; i < s->n_items; i++)
		if (!strcmp(s->items[i].leader_id, leader_id) && !s->items[i].invoice_id)
			return 1;
	return 0;
}

static int next_leader(void *self, struct uow *tx, const char *start, const char *end, int64_t after_row,
		       struct invoice_leader *out, struct settle_err *err)
{
	struct fake_inv_state *s = st(self);

	(void)tx, (void)start, (void)end, (void)err;
	for (size_t i = 0; i < s->n_leaders; i++)
		if (s->leaders[i].row_id > after_row && has_items(s, s->leaders[i].leader_id)) {
			*out = s->leaders[i];
			return 1;
		}
	return 0;
}

static int items(void *self, struct uow *tx, const char *leader_id, const char *start, const char *end,
		 int with_clawbacks, struct invoice_item *out, size_t cap, size_t *n, struct settle_err *err)
{
	struct fake_inv_state *s = st(self);

	(void)tx, (void)start, (void)end;
	*n = 0;
	for (size_t i = 0; i < s->n_items; i++) {
		const struct fake_inv_item *x = &s->items[i];

		if (strcmp(x->leader_id, leader_id) || x->invoice_id ||
		    (x->it.kind == INVOICE_ITEM_CLAWBACK && !with_clawbacks))
			continue;
		if (*n == cap)
			return err_set(err, SETTLE_EX_DATAERR, "too many items");
		out[(*n)++] = x->it;
	}
	return 0;
}

static int invoices(void *self, struct uow *tx, const char *leader_id, const char *period, struct invoice_rec *out,
		    size_t cap, size_t *n, struct settle_err *err)
{
	struct fake_inv_state *s = st(self);

	(void)tx, (void)err;
	*n = 0;
	for (size_t i = 0; i < s->n_docs && *n < cap; i++)
		if (!strcmp(s->docs[i].rec.leader_id, leader_id) && !strcmp(s->docs[i].doc.period, period))
			out[(*n)++] = s->docs[i].rec;
	return 0;
}

static int insert(void *self, struct uow *tx, const struct invoice_doc *d, const char *leader_id, int64_t original_id,
		  const struct invoice_item *its, size_t n_items, const char *now, char public_id[41], int64_t *id,
		  struct settle_err *err)
{
	struct fake_inv_state *s = st(self);
	struct fake_inv_doc *x;

	(void)tx, (void)now;
	for (size_t i = 0; i < s->n_docs; i++)
		if (!strcmp(s->docs[i].rec.mgt_key, d->mgt_key) ||
		    (!strcmp(s->docs[i].rec.leader_id, leader_id) && !strcmp(s->docs[i].doc.period, d->period) &&
		     s->docs[i].rec.sequence == d->sequence))
			return err_set(err, SETTLE_EX_SOFTWARE, "duplicate invoice %s", d->mgt_key);
	if (s->n_docs == FAKE_INV_DOCS)
		return err_set(err, SETTLE_EX_OSERR, "fake: full");
	x = &s->docs[s->n_docs++];
	memset(x, 0, sizeof *x);
	x->doc = *d;
	memcpy(x->lines, d->lines, d->n_lines * sizeof d->lines[0]);
	x->doc.lines = NULL;
	x->original_id = original_id;
	x->rec.id = (int64_t)s->n_docs;
	snprintf(x->rec.public_id, sizeof x->rec.public_id, "inv_fake%zu", s->n_docs);
	snprintf(x->rec.leader_id, sizeof x->rec.leader_id, "%s", leader_id);
	x->rec.sequence = d->sequence;
	memcpy(x->rec.type_code, d->type_code, sizeof x->rec.type_code);
	memcpy(x->rec.amendment_code, d->amendment_code, sizeof x->rec.amendment_code);
	snprintf(x->rec.status, sizeof x->rec.status, "DRAFT");
	memcpy(x->rec.mgt_key, d->mgt_key, sizeof x->rec.mgt_key);
	memcpy(x->rec.write_date, d->write_date, sizeof x->rec.write_date);
	x->rec.supply = d->supply;
	x->rec.vat = d->vat;
	x->rec.total = d->total;
	x->rec.late = d->late;
	for (size_t k = 0; k < n_items; k++)
		for (size_t i = 0; i < s->n_items; i++)
			if (s->items[i].it.kind == its[k].kind && s->items[i].it.id == its[k].id) {
				if (s->items[i].invoice_id)
					return err_set(err, SETTLE_EX_SOFTWARE, "item %lld invoiced twice",
						       (long long)its[k].id);
				s->items[i].invoice_id = x->rec.id;
			}
	memcpy(public_id, x->rec.public_id, 41);
	*id = x->rec.id;
	return 0;
}

static struct fake_inv_doc *doc_by_id(struct fake_inv_state *s, int64_t id)
{
	return id >= 1 && (size_t)id <= s->n_docs ? &s->docs[id - 1] : NULL;
}

static int outcome(void *self, struct uow *tx, int64_t id, enum invoice_status to, const char *issue_id,
		   const char *xml_path, const char *code, const char *message, const char *now, struct settle_err *err)
{
	struct fake_inv_doc *x = doc_by_id(st(self), id);

	(void)tx, (void)now;
	if (!x || strcmp(x->rec.status, "DRAFT"))
		return err_set(err, SETTLE_EX_TEMPFAIL, "invoice %lld is no longer a draft", (long long)id);
	snprintf(x->rec.status, sizeof x->rec.status, "%s", invoice_status_name(to));
	snprintf(x->rec.issue_id, sizeof x->rec.issue_id, "%s", issue_id ? issue_id : "");
	snprintf(x->rec.xml_path, sizeof x->rec.xml_path, "%s", xml_path ? xml_path : "");
	snprintf(x->code, sizeof x->code, "%s", code ? code : "");
	snprintf(x->message, sizeof x->message, "%s", message ? message : "");
	return 0;
}

static int attempted(void *self, struct uow *tx, int64_t id, int in_doubt, const char *now, struct settle_err *err)
{
	struct fake_inv_doc *x = doc_by_id(st(self), id);

	(void)tx, (void)now;
	if (!x)
		return err_set(err, SETTLE_EX_DATAERR, "no invoice %lld", (long long)id);
	x->doubts += in_doubt;
	return 0;
}

static int load(void *self, struct uow *tx, int64_t id, struct invoice_doc *d, struct invoice_line *lines, size_t cap,
		struct invoice_leader *leader, char public_id[41], struct settle_err *err)
{
	struct fake_inv_state *s = st(self);
	struct fake_inv_doc *x = doc_by_id(s, id), *o;

	(void)tx;
	if (!x || x->doc.n_lines > cap)
		return err_set(err, SETTLE_EX_DATAERR, "no invoice %lld", (long long)id);
	*d = x->doc;
	memcpy(lines, x->lines, x->doc.n_lines * sizeof lines[0]);
	d->lines = lines;
	o = doc_by_id(s, x->original_id);
	if (o)
		memcpy(d->original_issue_id, o->rec.issue_id, sizeof d->original_issue_id);
	memset(leader, 0, sizeof *leader);
	for (size_t i = 0; i < s->n_leaders; i++)
		if (!strcmp(s->leaders[i].leader_id, x->rec.leader_id))
			*leader = s->leaders[i];
	memcpy(public_id, x->rec.public_id, 41);
	return 0;
}

static int drafts(void *self, struct uow *tx, const char *period, invoice_rec_fn fn, void *arg, struct settle_err *err)
{
	struct fake_inv_state *s = st(self);

	(void)tx;
	for (size_t i = 0; i < s->n_docs; i++)
		if (!strcmp(s->docs[i].rec.status, "DRAFT") && !strcmp(s->docs[i].doc.period, period) &&
		    fn(arg, &s->docs[i].rec, err) < 0)
			return -1;
	return 0;
}

/* ---- provider ---- */

static int submit(void *self, const struct invoice_doc *d, struct einvoice_result *res, struct settle_err *err)
{
	struct fake_inv_world *w = self;
	enum fake_provider_mode mode = w->mode;

	w->mode = FAKE_ISSUE;
	w->submits++;
	memset(res, 0, sizeof *res);
	for (size_t i = 0; i < w->n_issued; i++)
		if (!strcmp(w->issued[i].key, d->mgt_key))
			return err_set(err, SETTLE_EX_TEMPFAIL, "fake provider: key %s used before", d->mgt_key);
	if (mode == FAKE_UNREACHABLE)
		return err_set(err, SETTLE_EX_UNAVAILABLE, "fake provider unreachable");
	if (mode == FAKE_REFUSE) {
		res->outcome = EINVOICE_REFUSED;
		snprintf(res->code, sizeof res->code, "-10000001");
		snprintf(res->message, sizeof res->message, "refused by the fake");
		return 0;
	}
	snprintf(w->issued[w->n_issued].key, sizeof w->issued[0].key, "%s", d->mgt_key);
	snprintf(w->issued[w->n_issued].issue_id, sizeof w->issued[0].issue_id, "%.8s41000000%08zu", d->write_date,
		 w->n_issued + 1);
	w->n_issued++;
	if (mode == FAKE_ISSUE_THEN_LOST)
		return err_set(err, SETTLE_EX_TEMPFAIL, "fake provider: answer lost");
	res->outcome = EINVOICE_ISSUED;
	memcpy(res->issue_id, w->issued[w->n_issued - 1].issue_id, sizeof res->issue_id);
	return 0;
}

static int lookup(void *self, const char *key, struct einvoice_result *res, struct settle_err *err)
{
	struct fake_inv_world *w = self;

	(void)err;
	w->lookups++;
	memset(res, 0, sizeof *res);
	res->outcome = EINVOICE_NOT_FOUND;
	for (size_t i = 0; i < w->n_issued; i++)
		if (!strcmp(w->issued[i].key, key)) {
			res->outcome = EINVOICE_ISSUED;
			memcpy(res->issue_id, w->issued[i].issue_id, sizeof res->issue_id);
		}
	return 0;
}

/* ---- outbox ---- */

static int check(void *self, const struct invoice_doc *d, struct settle_err *err)
{
	struct fake_inv_world *w = self;

	w->checks++;
	if (w->refuse_check)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s does not validate against the schema (fake)",
			       d->mgt_key);
	return invoice_check(d, err);
}

static int write_doc(void *self, const struct invoice_doc *d, char *path, size_t len, struct settle_err *err)
{
	struct fake_inv_world *w = self;

	if (invoice_check(d, err) < 0 || approval_number_check(d->issue_id, err) < 0)
		return -1;
	w->writes++;
	snprintf(path, len, "/fake/%s/%s.xml", d->period, d->mgt_key);
	return 0;
}

static int64_t now_us(void *self)
{
	return ((struct fake_inv_world *)self)->clock.now_us;
}

void fake_inv_now(struct fake_inv_world *w, const char *utc)
{
	int64_t us;

	if (time_parse_utc(utc, &us) == 0)
		w->clock.now_us = us;
}

static int note_add(void *self, struct uow *tx, const struct outbox_note *n, const char *now, struct settle_err *err)
{
	struct fake_inv_world *w = self;

	(void)tx, (void)now;
	for (size_t i = 0; i < w->s.n_notes; i++)
		if (!strcmp(w->s.notes[i].key, n->key))
			return 0;
	if (w->s.n_notes >= FAKE_INV_DOCS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: notes full");
	w->s.notes[w->s.n_notes++] = *n;
	return 0;
}

void fake_inv_world_init(struct fake_inv_world *w)
{
	memset(w, 0, sizeof *w);
	fake_inv_now(w, "2026-11-05T01:00:00Z");
	w->uow = (struct uow_port){w, uow_run_fake};
	w->repo = (struct invoices_repo){.self = w,
					 .unsettled_pods = unsettled_pods,
					 .next_leader = next_leader,
					 .items = items,
					 .invoices = invoices,
					 .insert = insert,
					 .outcome = outcome,
					 .attempted = attempted,
					 .load = load,
					 .drafts = drafts};
	w->provider = (struct einvoice_port){w, submit, lookup};
	w->outbox = (struct invoice_outbox){w, check, write_doc};
	w->clock_port = (struct clock_port){.self = w, .now_us = now_us};
	w->ctx = (struct invoice_ctx){&w->uow, &w->repo, &w->provider, &w->outbox, &w->clock_port,
				      {"2208100001", "Pod Study Inc.", "Han Platform", "Seoul", "Service", "Platform", ""},
				      INVOICE_LINES_MAX, &w->notes};
	w->notes = (struct outbox_port){.self = w, .add = note_add};
}

void fake_inv_leader(struct fake_inv_world *w, const char *leader_id, const char *kind, const char *brn)
{
	struct invoice_leader *l = &w->s.leaders[w->s.n_leaders++];

	memset(l, 0, sizeof *l);
	l->row_id = (int64_t)w->s.n_leaders;
	snprintf(l->leader_id, sizeof l->leader_id, "%s", leader_id);
	snprintf(l->kind, sizeof l->kind, "%s", kind);
	snprintf(l->name, sizeof l->name, "Name of %s", leader_id);
	snprintf(l->brn, sizeof l->brn, "%s", brn ? brn : "");
}

void fake_inv_item(struct fake_inv_world *w, const char *leader_id, int kind, const char *pod, int64_t supply,
		   int64_t vat, const char *date)
{
	struct fake_inv_item *x = &w->s.items[w->s.n_items++];

	memset(x, 0, sizeof *x);
	snprintf(x->leader_id, sizeof x->leader_id, "%s", leader_id);
	x->it.kind = kind;
	x->it.id = (int64_t)w->s.n_items;
	snprintf(x->it.pod_id, sizeof x->it.pod_id, "%s", pod);
	snprintf(x->it.title, sizeof x->it.title, "Pod %s", pod);
	snprintf(x->it.date, sizeof x->it.date, "%s", date);
	memcpy(x->it.currency, "KRW", 4);
	x->it.supply = supply;
	x->it.vat = vat;
}
