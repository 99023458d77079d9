/*
 * reconcile.c — settle-report reconcile (see reconcile.h): list the PG's
 * records, check them whole, stream our events past them, report, book.
 * The PG's records of the period are held in memory (sorted, so each of
 * our events finds its payment's records by binary search); our side is
 * streamed and never held.
 */
#include "app/reports/reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/postings.h"
#include "domain/report_period.h"
#include "domain/release.h"
#include "domain/timefmt.h"

struct held {
	struct recon_record *recs;
	size_t n, cap;
	const char *from, *to;
	int64_t outside;
};

static int collect(void *arg, const struct recon_record *r, struct settle_err *err)
{
	struct held *h = arg;

	/* The API answers by soldDate already; a console file may span more
	 * days than asked for, and those days belong to another run. */
	if (strcmp(r->sold_date, h->from) < 0 || strcmp(r->sold_date, h->to) > 0) {
		h->outside++;
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct recon_record *grown = realloc(h->recs, cap * sizeof *grown);

		if (!grown)
			return err_set(err, SETTLE_EX_OSERR, "out of memory holding %zu PG records", h->n);
		h->recs = grown;
		h->cap = cap;
	}
	h->recs[h->n++] = *r;
	return 0;
}

static int cmp_tx(const void *a, const void *b)
{
	return recon_record_cmp_tx(a, b);
}

static int cmp_rec(const void *a, const void *b)
{
	return recon_record_cmp(a, b);
}

/* Where a record came from, for a message: "file.csv:7" or "toss
 * settlements API, record 7". */
static void where(const struct pg_settlements_port *s, long line, char *buf, size_t len)
{
	snprintf(buf, len, s->is_file ? "%s:%ld" : "%s, record %ld", s->source, line);
}

/* The whole source is refused for one bad record: a duplicate
 * transaction key, or (in a file) a payment we never had. */
static int check_source(const struct reconcile_ctx *c, struct held *h, struct settle_err *err)
{
	char at[512];

	if (h->n == 0)
		return 0;
	qsort(h->recs, h->n, sizeof *h->recs, cmp_tx);
	for (size_t i = 1; i < h->n; i++) {
		if (recon_record_cmp_tx(&h->recs[i - 1], &h->recs[i]))
			continue;
		{
			const struct recon_record *a = &h->recs[i - 1], *b = &h->recs[i];
			const struct recon_record *later = a->line > b->line ? a : b, *first = later == a ? b : a;

			where(c->source, later->line, at, sizeof at);
			return err_set(err, SETTLE_EX_DATAERR, "%s: transactionKey %s repeats the record of line %ld",
				       at, later->transaction_key, first->line);
		}
	}
	if (c->source->is_file) {
		/* File order, so the first unknown key named is the first in the file. */
		long first_line = 0;
		const struct recon_record *first = NULL;

		for (size_t i = 0; i < h->n; i++) {
			int known;

			if (first && h->recs[i].line > first_line)
				continue;
			known = c->repo->payment_known(c->repo->self, c->source->pg, h->recs[i].payment_key, err);
			if (known < 0)
				return -1;
			if (!known) {
				first = &h->recs[i];
				first_line = first->line;
			}
		}
		if (first) {
			where(c->source, first->line, at, sizeof at);
			return err_set(err, SETTLE_EX_DATAERR, "%s: paymentKey %s is not a %s payment of ours", at,
				       first->payment_key, c->source->pg);
		}
	}
	qsort(h->recs, h->n, sizeof *h->recs, cmp_rec);
	return 0;
}

struct match {
	const struct reconcile_ctx *c;
	struct held *h;
	unsigned char *used;
	char (*refs)[RECON_REF_MAX]; /* our event each used record matched */
	unsigned char *matched;      /* 1 when the pair is MATCHED */
	reconcile_row_fn fn;
	void *arg;
	struct reconcile_report *rep;
};

static int emit(struct match *m, const struct recon_ours *o, const struct recon_record *r, struct settle_err *err)
{
	struct recon_finding f;

	if (recon_compare(o, r, &f, err) < 0 || recon_tally(&m->rep->t, &f, err) < 0)
		return -1;
	if (recon_postable(&f, m->rep->today))
		m->rep->t.postable++;
	return m->fn ? m->fn(m->arg, &f, err) : 0;
}

static int on_ours(void *arg, const struct recon_ours *o, struct settle_err *err)
{
	struct match *m = arg;
	size_t lo, hi;
	long i;

	recon_range(m->h->recs, m->h->n, o->payment_key, &lo, &hi);
	i = recon_pick(o, m->h->recs, lo, hi, m->used);
	if (i < 0)
		return emit(m, o, NULL, err);
	m->used[i] = 1;
	snprintf(m->refs[i], sizeof m->refs[i], "%s", o->ref);
	{
		struct recon_finding f;

		if (recon_compare(o, &m->h->recs[i], &f, err) < 0)
			return -1;
		m->matched[i] = f.status == RECON_MATCHED;
	}
	return emit(m, o, &m->h->recs[i], err);
}

struct book {
	const struct reconcile_ctx *c;
	struct match *m;
	size_t at, next;             /* the batch starts at record `at`; next: where the following one starts */
	const char *now;
	struct journal_entry *entries;
	char (*keys)[ENTRY_KEY_MAX];
	const char **key_ptrs;
	int64_t posted, already;
};

static int book_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct book *b = arg;
	const struct reconcile_ctx *c = b->c;
	struct match *m = b->m;
	size_t n = 0, i;

	/* The unit may run again after a deadlock: start clean. */
	b->posted = b->already = 0;
	for (i = b->at; i < m->h->n && n < c->batch; i++) {
		const struct recon_record *r = &m->h->recs[i];
		int rc;

		if (!m->matched[i] || strcmp(r->paid_out_date, m->rep->today) > 0)
			continue;
		int moves = postings_pg_settlement(r, c->into, &b->entries[n], b->keys[n], err);

		if (moves < 0)
			return -1;
		rc = c->repo->book(c->repo->self, tx, r, m->refs[i], moves ? b->keys[n] : NULL, b->now, err);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			b->already++;
			continue;
		}
		b->posted++;
		if (moves) {
			b->key_ptrs[n] = b->keys[n];
			n++;
		}
	}
	b->next = i;
	if (n && c->ledger->post(c->ledger->self, tx, b->key_ptrs, b->entries, n, b->now, err) < 0)
		return -1;
	return 0;
}

static int book_all(const struct reconcile_ctx *c, struct match *m, int64_t now_us, struct settle_err *err)
{
	struct book b = {.c = c, .m = m};
	char now[TIME_SQL_LEN];
	int rc = 0;

	time_sql(now_us, now);
	b.now = now;
	b.entries = calloc(c->batch, sizeof *b.entries);
	b.keys = calloc(c->batch, sizeof *b.keys);
	b.key_ptrs = calloc(c->batch, sizeof *b.key_ptrs);
	if (!b.entries || !b.keys || !b.key_ptrs) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	while (b.at < m->h->n) {
		if (uow_run(c->uow, book_tx, &b, err) < 0) {
			rc = -1;
			break;
		}
		m->rep->t.posted += b.posted;
		m->rep->t.already += b.already;
		b.at = b.next;
	}
out:
	free(b.entries);
	free(b.keys);
	free(b.key_ptrs);
	return rc;
}

int reconcile_run(const struct reconcile_ctx *c, const struct reconcile_opts *o, reconcile_row_fn fn, void *arg,
		  struct reconcile_report *rep, struct settle_err *err)
{
	struct period p;
	struct held h = {0};
	struct match m = {0};
	int64_t now_us = c->clock->now_us(c->clock->self);
	int rc = -1;

	memset(rep, 0, sizeof *rep);
	kst_date(now_us, rep->today);
	if (period_range(o->from, o->to, &p, err) < 0)
		return -1;
	if (c->batch == 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "reconcile: batch is 0");
	h.from = o->from;
	h.to = o->to;
	/* 1. The PG's side, whole and checked, before our books are read. */
	if (c->source->list(c->source->self, o->from, o->to, collect, &h, err) < 0 || check_source(c, &h, err) < 0)
		goto out;
	rep->outside = h.outside;
	m = (struct match){c, &h, calloc(h.n + 1, 1), calloc(h.n + 1, sizeof *m.refs), calloc(h.n + 1, 1), fn, arg,
			   rep};
	if (!m.used || !m.refs || !m.matched) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	/* 2. Our events, streamed past them. */
	if (c->repo->ours(c->repo->self, c->source->pg, p.from_sql, p.to_sql, on_ours, &m, err) < 0)
		goto out;
	/* 3. What the PG has and we do not. */
	for (size_t i = 0; i < h.n; i++)
		if (!m.used[i] && emit(&m, NULL, &h.recs[i], err) < 0)
			goto out;
	/* 4. Booking, after the report's rows are out. */
	if (o->post && !o->dry_run && book_all(c, &m, now_us, err) < 0)
		goto out;
	rc = 0;
out:
	free(m.used);
	free(m.refs);
	free(m.matched);
	free(h.recs);
	return rc;
}
