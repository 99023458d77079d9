/*
 * issue.c — invoice-issue (see invoices.h): the plan pass, the drafts left
 * by earlier runs, then per leader intent → call → outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/invoices/invoices.h"
#include "app/notify/note.h"
#include "domain/money.h"
#include "domain/timefmt.h"
#include "util/failpoint.h"

#define MAX_ITEMS_PER_LEADER 8192
#define MAX_INVOICES_PER_LEADER 64
#define MAX_UNSETTLED_LISTED 8
#define MAX_ROUNDS 3 /* an original, then the amendment of what came after it */

struct run {
	const struct invoice_ctx *c;
	const struct invoice_opts *o;
	struct invoice_month month;
	char start[TIME_SQL_LEN], end[TIME_SQL_LEN], now[TIME_SQL_LEN];
	char today[9];
	invoice_row_fn row;
	invoice_skip_fn skip;
	void *arg;
	struct invoice_report *rep;
	/* one leader's plan */
	struct invoice_item *items;
	size_t n_items;
	struct invoice_rec *recs;
	struct invoice_line *lines;
	struct invoice_doc doc;
	struct invoice_leader leader;
	int64_t original_id;
	int64_t invoice_id;
	char public_id[41];
	int64_t after_row;
	int planned, found;
	/* the plan pass */
	int plan_only;
	int64_t late_docs;
	char late_list[200];
};

static void list_add(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? ", " : "", text);
}

static void fill_invoicee(struct invoice_party *p, const struct invoice_leader *l)
{
	memset(p, 0, sizeof *p);
	snprintf(p->brn, sizeof p->brn, "%s", l->brn);
	snprintf(p->name, sizeof p->name, "%s", l->name);
	/* the leader's name stands for the representative: settle keeps no other */
	snprintf(p->representative, sizeof p->representative, "%s", l->name);
	snprintf(p->email, sizeof p->email, "%s", l->email);
}

/* The document this leader needs now, if any: the month's original, or an
 * amendment of an issued original by what is not yet invoiced. 1 planned,
 * 0 nothing to do (or waiting), -1 error. */
static int plan_leader(struct run *r, struct uow *tx, struct settle_err *err)
{
	const struct invoice_ctx *c = r->c;
	struct invoice_doc *d = &r->doc;
	const struct invoice_rec *original = NULL;
	size_t n_recs = 0, amendments = 0;
	int max_seq = -1, pending = 0;
	char why[300];

	r->original_id = 0;
	if (!strcmp(r->leader.kind, "INDIVIDUAL")) {
		/* not a business: withheld on payouts, never invoiced */
		r->rep->individuals += r->plan_only;
		return 0;
	}
	if (brn_check(r->leader.brn, err) < 0) {
		if (r->plan_only) { /* listed once, by the plan pass */
			snprintf(why, sizeof why, "%s (%s)", r->leader.leader_id, err->msg);
			r->rep->skipped++;
			list_add(r->rep->skipped_list, sizeof r->rep->skipped_list, why);
			if (r->skip)
				r->skip(r->arg, r->leader.leader_id, err->msg);
		}
		err_clear(err);
		return 0;
	}
	if (c->repo->invoices(c->repo->self, tx, r->leader.leader_id, r->month.text, r->recs, MAX_INVOICES_PER_LEADER,
			      &n_recs, err) < 0)
		return -1;
	for (size_t i = 0; i < n_recs; i++) {
		if (r->recs[i].sequence == 0)
			original = &r->recs[i];
		else
			amendments++;
		if (r->recs[i].sequence > max_seq)
			max_seq = r->recs[i].sequence;
		pending |= !strcmp(r->recs[i].status, invoice_status_name(INVOICE_DRAFT));
	}
	/* an earlier document still waits for its outcome, or the original was
	 * refused: nothing new until that is settled */
	if (pending || (original && !original->issue_id[0]))
		return 0;
	if (c->repo->items(c->repo->self, tx, r->leader.leader_id, r->start, r->end, original != NULL, r->items,
			   MAX_ITEMS_PER_LEADER, &r->n_items, err) < 0)
		return -1;
	if (r->n_items == 0)
		return 0;
	memset(d, 0, sizeof *d);
	d->lines = r->lines;
	if (invoice_lines(r->items, r->n_items, c->max_lines, d->lines, &d->n_lines, d->currency, err) < 0 ||
	    invoice_sum(d, err) < 0)
		return err_prefix(err, "leader %s", r->leader.leader_id);
	snprintf(d->period, sizeof d->period, "%s", r->month.text);
	d->invoicer = c->platform;
	fill_invoicee(&d->invoicee, &r->leader);
	if (!original) {
		d->type = INVOICE_ORIGINAL;
		d->sequence = 0;
		memcpy(d->type_code, "0101", 5);
		invoice_month_last_day(&r->month, d->write_date);
	} else {
		if (d->supply == 0 && d->vat == 0)
			return 0; /* nothing changed in money: no document */
		d->type = INVOICE_AMENDMENT;
		d->sequence = max_seq + 1;
		memcpy(d->type_code, "0201", 5);
		snprintf(d->amendment_code, sizeof d->amendment_code, "%s",
			 invoice_amendment_code(original->total, (int64_t)amendments, d->total));
		memcpy(d->original_issue_id, original->issue_id, sizeof d->original_issue_id);
		/* dated the day the change arose: the latest item's */
		for (size_t i = 0; i < d->n_lines; i++)
			if (strcmp(d->lines[i].date, d->write_date) > 0)
				memcpy(d->write_date, d->lines[i].date, sizeof d->write_date);
		r->original_id = original->id;
	}
	if (invoice_mgt_key(&r->month, r->leader.row_id, d->sequence, d->mgt_key, err) < 0)
		return -1;
	d->late = invoice_is_late(d->write_date, r->today);
	if (invoice_check(d, err) < 0)
		return err_prefix(err, "leader %s", r->leader.leader_id);
	if (c->outbox->check(c->outbox->self, d, err) < 0)
		return err_prefix(err, "leader %s", r->leader.leader_id);
	return 1;
}

static int late_blocked(struct run *r)
{
	return r->doc.late && !r->o->late;
}

/* One leader: plan and, unless only planning, record the intent. */
static int leader_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct invoice_ctx *c = r->c;
	int rc;

	r->planned = 0;
	r->found = 0;
	rc = c->repo->next_leader(c->repo->self, tx, r->start, r->end, r->after_row, &r->leader, err);
	if (rc <= 0)
		return rc;
	r->found = 1;
	rc = plan_leader(r, tx, err);
	if (rc <= 0)
		return rc;
	r->planned = 1;
	if (late_blocked(r))
		return 0;
	return c->repo->insert(c->repo->self, tx, &r->doc, r->leader.leader_id, r->original_id, r->items, r->n_items,
			       r->now, r->public_id, &r->invoice_id, err);
}

/* The plan pass: every leader in one transaction, rolled back. */
static int plan_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct invoice_ctx *c = r->c;

	r->after_row = 0;
	r->late_docs = 0;
	r->late_list[0] = '\0';
	for (;;) {
		int rc = c->repo->next_leader(c->repo->self, tx, r->start, r->end, r->after_row, &r->leader, err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		r->after_row = r->leader.row_id;
		rc = plan_leader(r, tx, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (late_blocked(r)) {
			r->late_docs++;
			list_add(r->late_list, sizeof r->late_list, r->leader.leader_id);
		}
		if (r->o->dry_run && r->row) {
			struct invoice_row row = {&r->doc, r->leader.leader_id, "", "PLANNED", "", NULL};

			r->rep->documents++;
			if (r->row(r->arg, &row) < 0)
				return -1;
		}
	}
	return err_set(err, SETTLE_EX_TEMPFAIL, "plan only");
}

struct outcome {
	struct run *r;
	int64_t id;
	const struct einvoice_result *res;
	const char *path;
	int in_doubt;
	enum invoice_status to;
	const struct invoice_doc *doc; /* ISSUED: what the leader is told */
	const char *public_id, *leader_id;
};

/* The leader's notice of an invoice issued: its approval number, supply,
 * VAT and total. The approval number goes in groups of eight (as the tax
 * authority prints it, with spaces), so the renderer's rule that masks any
 * long run of digits leaves it whole; the business number goes masked. */
static int note_issued(const struct outcome *x, struct uow *tx, struct settle_err *err)
{
	const struct invoice_doc *d = x->doc;
	struct outbox_note n;
	char brn[BRN_LEN + 1];
	size_t len = strlen(d->invoicee.brn);

	if (!x->r->c->notes)
		return 0;
	for (size_t i = 0; i < len && i < BRN_LEN; i++)
		brn[i] = i + 4 < len ? '*' : d->invoicee.brn[i];
	brn[len < BRN_LEN ? len : BRN_LEN] = '\0';
	note_init(&n, "invoice.issued", x->public_id, "leader", x->leader_id);
	note_fact(&n, "invoice", "%s", x->public_id);
	note_fact(&n, "month", "%s", d->period);
	note_fact(&n, "kind", "%s", d->type == INVOICE_AMENDMENT ? "amendment" : "original");
	note_fact(&n, "approval", "%.8s %.8s %.8s", d->issue_id, d->issue_id + 8, d->issue_id + 16);
	note_money(&n, "supply", d->supply, d->currency);
	note_fact(&n, "vat", "%lld", (long long)d->vat);
	note_fact(&n, "total", "%lld", (long long)d->total);
	note_fact(&n, "brn", "%s", brn);
	note_fact(&n, "at", "%s", x->r->now);
	return outbox_add(x->r->c->notes, tx, &n, x->r->now, err);
}

static int outcome_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct outcome *x = arg;
	const struct invoice_ctx *c = x->r->c;

	if (invoice_transition(INVOICE_DRAFT, x->to, err) < 0)
		return -1;
	if (x->to == INVOICE_ISSUED)
		return c->repo->outcome(c->repo->self, tx, x->id, x->to, x->res->issue_id, x->path, NULL, NULL,
					x->r->now, err) < 0
			       ? -1
			       : note_issued(x, tx, err);
	return c->repo->outcome(c->repo->self, tx, x->id, x->to, NULL, NULL, x->res->code, x->res->message, x->r->now,
				err);
}

static int attempted_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct outcome *x = arg;
	const struct invoice_ctx *c = x->r->c;

	return c->repo->attempted(c->repo->self, tx, x->id, x->in_doubt, x->r->now, err);
}

static int emit(struct run *r, const struct invoice_doc *d, const char *leader_id, const char *public_id,
		const char *status, const char *path, const char *note)
{
	struct invoice_row row = {d, leader_id, public_id, status, path, note};

	return r->row ? r->row(r->arg, &row) : 0;
}

/*
 * The outcome of one document whose intent is committed: res from submit
 * or lookup (rc 0), or the error that left it unknown. Writes the XML once
 * the approval number is known, then records it.
 */
static int finish(struct run *r, int64_t id, const char *public_id, const char *leader_id, struct invoice_doc *d,
		  int rc, const struct einvoice_result *res, struct settle_err *err)
{
	const struct invoice_ctx *c = r->c;
	struct outcome x = {r, id, res, "", 0, INVOICE_ISSUED, d, public_id, leader_id};
	char path[512] = "";

	if (rc < 0 && err->code != SETTLE_EX_TEMPFAIL)
		return -1; /* not sent (69) or credentials (78): the draft waits */
	if (rc == 0 && res->outcome == EINVOICE_ISSUED && approval_number_check(res->issue_id, err) < 0) {
		err_prefix(err, "the provider's answer for %s", d->mgt_key);
		err->code = SETTLE_EX_TEMPFAIL;
		rc = -1;
	}
	if (rc < 0) {
		struct settle_err e2 = {0};

		x.in_doubt = 1;
		if (uow_run(c->uow, attempted_tx, &x, &e2) < 0)
			return err_set(err, e2.code, "%s", e2.msg);
		r->rep->in_doubt++;
		return emit(r, d, leader_id, public_id, "IN-DOUBT", "", err->msg);
	}
	if (res->outcome == EINVOICE_REFUSED) {
		x.to = INVOICE_REJECTED;
		if (uow_run(c->uow, outcome_tx, &x, err) < 0)
			return -1;
		r->rep->rejected++;
		return emit(r, d, leader_id, public_id, "REJECTED", "", res->message);
	}
	memcpy(d->issue_id, res->issue_id, sizeof d->issue_id);
	if (c->outbox->write(c->outbox->self, d, path, sizeof path, err) < 0)
		return err_prefix(err, "invoice %s issued as %s, its XML not written (the next run writes it)",
				  public_id, d->issue_id);
	FAILPOINT("invoice.after_xml");
	x.path = path;
	if (uow_run(c->uow, outcome_tx, &x, err) < 0)
		return -1;
	r->rep->issued++;
	r->rep->amendments += d->type == INVOICE_AMENDMENT;
	r->rep->late += d->late;
	if (i64_add(&r->rep->supply, r->rep->supply, d->supply) < 0 || i64_add(&r->rep->vat, r->rep->vat, d->vat) < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "report totals overflow");
	return emit(r, d, leader_id, public_id, "ISSUED", path, NULL);
}

/* ---- drafts left by an earlier run: look up, never re-send blind ---- */

/* Drafts are a run's failures, few; past this many the rest wait for the
 * next run (their leaders get nothing new until then). */
struct drafts {
	int64_t ids[256];
	size_t n;
};

static int collect_draft(void *arg, const struct invoice_rec *rec, struct settle_err *err)
{
	struct drafts *d = arg;

	(void)err;
	if (d->n < sizeof d->ids / sizeof d->ids[0])
		d->ids[d->n++] = rec->id;
	return 0;
}

static int resolve_draft(struct run *r, int64_t id, struct settle_err *err)
{
	const struct invoice_ctx *c = r->c;
	struct invoice_doc *d = &r->doc;
	struct invoice_leader leader;
	struct einvoice_result res;
	int rc;

	memset(d, 0, sizeof *d);
	if (c->repo->load(c->repo->self, NULL, id, d, r->lines, INVOICE_LINES_MAX, &leader, r->public_id, err) < 0)
		return -1;
	d->invoicer = c->platform;
	if (r->o->dry_run)
		return emit(r, d, leader.leader_id, r->public_id, "IN-DOUBT", "",
			    "left by an earlier run: a run looks it up");
	memset(&res, 0, sizeof res);
	rc = c->provider->lookup(c->provider->self, d->mgt_key, &res, err);
	if (rc == 0 && res.outcome == EINVOICE_NOT_FOUND) {
		/* the provider never took it: the intent is sent now, under the
		 * same key (a second arrival would be refused as a duplicate) */
		memset(&res, 0, sizeof res);
		rc = c->provider->submit(c->provider->self, d, &res, err);
	}
	return finish(r, id, r->public_id, leader.leader_id, d, rc, &res, err);
}

static int resolve_drafts(struct run *r, struct settle_err *err)
{
	const struct invoice_ctx *c = r->c;
	struct drafts *ds = calloc(1, sizeof *ds);
	int rc = 0;

	if (!ds)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (c->repo->drafts(c->repo->self, NULL, r->month.text, collect_draft, ds, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < ds->n; i++)
		rc = resolve_draft(r, ds->ids[i], err);
	free(ds);
	return rc;
}

/* ---- the run ---- */

static int check_month(struct run *r, int64_t now_us, struct settle_err *err)
{
	const struct invoice_ctx *c = r->c;
	int64_t start_us, end_us;
	char (*pods)[65] = NULL;
	size_t n = 0;
	char list[400] = "";

	if (invoice_month_parse(r->o->month, &r->month, err) < 0)
		return err_prefix(err, "--month");
	invoice_month_bounds(&r->month, &start_us, &end_us);
	if (now_us < end_us) {
		char last[9];

		invoice_month_last_day(&r->month, last);
		return err_set(err, SETTLE_EX_DATAERR, "%s has not ended yet (its invoices are dated %s)", r->month.text,
			       last);
	}
	time_sql(start_us, r->start);
	time_sql(end_us, r->end);
	pods = calloc(MAX_UNSETTLED_LISTED, sizeof *pods);
	if (!pods)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (c->repo->unsettled_pods(c->repo->self, NULL, r->start, r->end, pods, MAX_UNSETTLED_LISTED, &n, err) < 0) {
		free(pods);
		return -1;
	}
	for (size_t i = 0; i < n && i < MAX_UNSETTLED_LISTED; i++)
		list_add(list, sizeof list, pods[i]);
	free(pods);
	if (n)
		return err_set(err, SETTLE_EX_DATAERR, "%s: %zu pod(s) completed in it are not settled yet: %s%s",
			       r->month.text, n, list, n > MAX_UNSETTLED_LISTED ? ", …" : "");
	return 0;
}

static int issue_round(struct run *r, int64_t *issued, struct settle_err *err)
{
	const struct invoice_ctx *c = r->c;

	r->after_row = 0;
	for (;;) {
		struct einvoice_result res;
		int rc;

		r->invoice_id = 0;
		if (uow_run(c->uow, leader_tx, r, err) < 0)
			return -1;
		if (!r->found)
			return 0;
		r->after_row = r->leader.row_id;
		if (!r->planned)
			continue;
		if (late_blocked(r)) {
			/* only an amendment planned after its original went out
			 * can get here: the plan pass refused the others */
			r->late_docs++;
			list_add(r->late_list, sizeof r->late_list, r->leader.leader_id);
			continue;
		}
		FAILPOINT("invoice.after_intent");
		memset(&res, 0, sizeof res);
		rc = c->provider->submit(c->provider->self, &r->doc, &res, err);
		if (finish(r, r->invoice_id, r->public_id, r->leader.leader_id, &r->doc, rc, &res, err) < 0)
			return -1;
		err_clear(err);
		(*issued)++;
	}
}

int invoice_issue(const struct invoice_ctx *c, const struct invoice_opts *o, invoice_row_fn row, invoice_skip_fn skip,
		  void *arg, struct invoice_report *rep, struct settle_err *err)
{
	struct run *r = calloc(1, sizeof *r);
	int64_t now_us = c->clock->now_us(c->clock->self);
	int rc = -1;

	memset(rep, 0, sizeof *rep);
	if (!r)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	r->c = c;
	r->o = o;
	r->row = row;
	r->skip = skip;
	r->arg = arg;
	r->rep = rep;
	time_sql(now_us, r->now);
	time_kst_yyyymmdd(now_us, r->today);
	r->items = calloc(MAX_ITEMS_PER_LEADER, sizeof *r->items);
	r->recs = calloc(MAX_INVOICES_PER_LEADER, sizeof *r->recs);
	r->lines = calloc(INVOICE_LINES_MAX, sizeof *r->lines);
	if (!r->items || !r->recs || !r->lines) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	if (check_month(r, now_us, err) < 0)
		goto out;
	/* What earlier runs left in doubt comes first: its outcome decides
	 * whether a leader may get a new document. */
	if (resolve_drafts(r, err) < 0)
		goto out;
	r->plan_only = 1;
	if (uow_run(c->uow, plan_tx, r, err) < 0) {
		if (err->code != SETTLE_EX_TEMPFAIL || strcmp(err->msg, "plan only"))
			goto out;
		err_clear(err);
	}
	r->plan_only = 0;
	if (r->late_docs && !o->dry_run) {
		char due[9], last[9];

		invoice_month_last_day(&r->month, last);
		invoice_due_date(last, due);
		err_set(err, SETTLE_EX_DATAERR,
			"%lld invoice(s) of %s are past their deadline (%s): %s; --late issues them, reported late",
			(long long)r->late_docs, r->month.text, due, r->late_list);
		goto out;
	}
	if (o->dry_run) {
		rc = 0;
		goto out;
	}
	for (int round = 0; round < MAX_ROUNDS; round++) {
		int64_t issued = 0;

		r->late_docs = 0;
		r->late_list[0] = '\0';
		if (issue_round(r, &issued, err) < 0)
			goto out;
		if (!issued)
			break;
	}
	rep->documents = rep->issued + rep->rejected + rep->in_doubt;
	if (rep->in_doubt)
		err_set(err, SETTLE_EX_TEMPFAIL, "%lld invoice(s) in doubt at the provider; a later run looks them up",
			(long long)rep->in_doubt);
	else if (rep->rejected)
		err_set(err, SETTLE_EX_UNAVAILABLE, "%lld invoice(s) refused by the provider", (long long)rep->rejected);
	else if (rep->skipped)
		err_set(err, SETTLE_EX_DATAERR, "%lld leader(s) not invoiced: %s", (long long)rep->skipped,
			rep->skipped_list);
	else if (r->late_docs)
		err_set(err, SETTLE_EX_DATAERR, "%lld amendment(s) past their deadline wait for --late: %s",
			(long long)r->late_docs, r->late_list);
	else
		rc = 0;
out:
	free(r->items);
	free(r->recs);
	free(r->lines);
	free(r);
	return rc;
}
