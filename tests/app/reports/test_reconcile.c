/*
 * test_reconcile.c — app/reports/reconcile.c against in-memory ports: the
 * PG's records are checked whole before our books are read (a duplicate,
 * or an unknown key in a file, refuses everything and books nothing);
 * each of our events finds its record; what is left over is extra;
 * --post books only matched, paid-out records, a batch per unit of work,
 * each once — also when a unit is re-run after a deadlock, and nothing
 * when the ledger refuses.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/reports/reconcile.h"

#define MAXN 16

/* ---------------------------------------------------------------- fakes */

struct world {
	/* the PG's side */
	struct recon_record recs[MAXN];
	size_t nrecs;
	int is_file;
	struct pg_settlements_port source;
	/* our books */
	struct recon_ours ours[MAXN];
	size_t nours;
	int ours_reads;
	const char *known[MAXN];
	/* what --post wrote (one transaction's worth kept in `tx_*` until commit) */
	char booked[MAXN][RECON_TX_MAX];
	size_t nbooked;
	char posted[MAXN][ENTRY_KEY_MAX];
	int64_t posted_amount[MAXN];
	size_t nposted;
	int book_calls, runs, attempts, deadlocks, fail_post;
	struct reconcile_repo repo;
	struct ledger_repo ledger;
	struct uow_port uow;
	struct clock_port clock;
	int64_t now_us;
};

static int src_list(void *self, const char *from, const char *to, pg_settlement_fn fn, void *arg,
		    struct settle_err *err)
{
	struct world *w = self;

	(void)from;
	(void)to;
	for (size_t i = 0; i < w->nrecs; i++)
		if (fn(arg, &w->recs[i], err) < 0)
			return -1;
	return 0;
}

static int repo_ours(void *self, const char *pg, const char *from_utc, const char *to_utc, recon_ours_fn fn,
		     void *arg, struct settle_err *err)
{
	struct world *w = self;

	(void)pg;
	(void)from_utc;
	(void)to_utc;
	w->ours_reads++;
	for (size_t i = 0; i < w->nours; i++)
		if (fn(arg, &w->ours[i], err) < 0)
			return -1;
	return 0;
}

static int repo_known(void *self, const char *pg, const char *key, struct settle_err *err)
{
	struct world *w = self;

	(void)pg;
	(void)err;
	for (size_t i = 0; i < MAXN && w->known[i]; i++)
		if (!strcmp(w->known[i], key))
			return 1;
	return 0;
}

static int repo_book(void *self, struct uow *tx, const struct recon_record *r, const char *ref, const char *entry_key,
		     const char *now, struct settle_err *err)
{
	struct world *w = self;

	(void)ref;
	(void)entry_key;
	(void)now;
	(void)err;
	cr_assert_not_null(tx, "book outside a unit of work");
	w->book_calls++;
	for (size_t i = 0; i < w->nbooked; i++)
		if (!strcmp(w->booked[i], r->transaction_key))
			return 0;
	snprintf(w->booked[w->nbooked++], RECON_TX_MAX, "%s", r->transaction_key);
	return 1;
}

static int ledger_post(void *self, struct uow *tx, const char *const *keys, const struct journal_entry *entries,
		       size_t n, const char *now, struct settle_err *err)
{
	struct world *w = self;

	(void)now;
	cr_assert_not_null(tx);
	if (w->fail_post)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: ledger refused");
	for (size_t i = 0; i < n; i++) {
		struct settle_err e2 = {0};

		cr_assert_eq(journal_check(&entries[i], &e2), 0, "%s", e2.msg);
		for (size_t k = 0; k < w->nposted; k++)
			cr_assert_str_neq(w->posted[k], keys[i], "posted twice: %s", keys[i]);
		snprintf(w->posted[w->nposted], ENTRY_KEY_MAX, "%s", keys[i]);
		w->posted_amount[w->nposted++] = entries[i].postings[0].amount;
	}
	return 0;
}

/* A transaction: the booked and posted lists are put back when fn fails,
 * and a pending deadlock re-runs fn from the start. */
static int uow_run_fake(void *self, uow_fn fn, void *arg, struct settle_err *err)
{
	struct world *w = self;
	size_t nb = w->nbooked, np = w->nposted;

	w->runs++;
	for (;;) {
		int rc;

		w->attempts++;
		rc = fn((struct uow *)w, arg, err);
		if (rc == 0 && w->deadlocks > 0) {
			w->deadlocks--;
			w->nbooked = nb;
			w->nposted = np;
			continue;
		}
		if (rc < 0) {
			w->nbooked = nb;
			w->nposted = np;
		}
		return rc;
	}
}

static int64_t now_fn(void *self)
{
	return ((struct world *)self)->now_us;
}

static struct reconcile_ctx ctx_of(struct world *w, size_t batch)
{
	w->source = (struct pg_settlements_port){w, "toss", w->is_file ? "settlements.csv" : "toss settlements API",
						 w->is_file, src_list, NULL};
	w->repo = (struct reconcile_repo){w, repo_ours, repo_known, repo_book};
	w->ledger = (struct ledger_repo){w, ledger_post, NULL};
	w->uow = (struct uow_port){w, uow_run_fake};
	w->clock = (struct clock_port){w, now_fn};
	return (struct reconcile_ctx){&w->uow, &w->repo, &w->ledger, &w->clock, &w->source, batch, RECON_INTO_BANK};
}

static void add_rec(struct world *w, const char *key, const char *tx, int64_t amount, const char *sold, long line)
{
	struct recon_record *r = &w->recs[w->nrecs++];

	memset(r, 0, sizeof *r);
	snprintf(r->pg, sizeof r->pg, "toss");
	snprintf(r->payment_key, sizeof r->payment_key, "%s", key);
	snprintf(r->transaction_key, sizeof r->transaction_key, "%s", tx);
	snprintf(r->currency, sizeof r->currency, "KRW");
	r->kind = amount < 0 ? RECON_CANCEL : RECON_PAYMENT;
	r->amount = amount;
	r->fee = amount / 100;
	r->payout = amount - r->fee;
	snprintf(r->sold_date, sizeof r->sold_date, "%s", sold);
	snprintf(r->paid_out_date, sizeof r->paid_out_date, "%s", sold);
	r->line = line;
}

static void add_ours(struct world *w, const char *key, enum recon_kind kind, int64_t amount, const char *tx)
{
	struct recon_ours *o = &w->ours[w->nours++];

	memset(o, 0, sizeof *o);
	snprintf(o->pg, sizeof o->pg, "toss");
	snprintf(o->payment_key, sizeof o->payment_key, "%s", key);
	snprintf(o->ref, sizeof o->ref, "%s_%zu", kind == RECON_CANCEL ? "ref" : "pay", w->nours);
	snprintf(o->transaction_key, sizeof o->transaction_key, "%s", tx ? tx : "");
	snprintf(o->currency, sizeof o->currency, "KRW");
	snprintf(o->date, sizeof o->date, "2026-11-10");
	o->kind = kind;
	o->amount = amount;
}

struct seen {
	char line[MAXN][96];
	size_t n;
};

static int seen_row(void *arg, const struct recon_finding *f, struct settle_err *err)
{
	struct seen *s = arg;

	(void)err;
	snprintf(s->line[s->n++], sizeof s->line[0], "%s %s %s %lld", recon_status_name(f->status),
		 f->ours ? f->ours->payment_key : f->pg->payment_key, f->pg ? f->pg->transaction_key : "-",
		 (long long)f->difference);
	return 0;
}

/* 2026-11-20 12:00 KST */
#define NOW_US (1795143600LL * 1000000)

static void november(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->now_us = NOW_US;
	add_rec(w, "pk_a", "tx_a", 50000, "2026-11-10", 1);
	add_rec(w, "pk_b", "tx_b", 30000, "2026-11-10", 2);
	add_rec(w, "pk_b", "tx_b1", -10000, "2026-11-11", 3);
	add_rec(w, "pk_b", "tx_b2", -5000, "2026-11-12", 4);
	add_rec(w, "pk_c", "tx_c", 20000, "2026-11-12", 5);  /* ours says 21000 */
	add_rec(w, "pk_x", "tx_x", 7000, "2026-11-13", 6);   /* not ours */
	add_rec(w, "pk_a", "tx_late", -100, "2026-12-01", 7); /* sold after the period */
	add_ours(w, "pk_a", RECON_PAYMENT, 50000, NULL);
	add_ours(w, "pk_b", RECON_PAYMENT, 30000, NULL);
	add_ours(w, "pk_b", RECON_CANCEL, -5000, "tx_b2");    /* by key */
	add_ours(w, "pk_b", RECON_CANCEL, -10000, NULL);      /* by amount */
	add_ours(w, "pk_c", RECON_PAYMENT, 21000, NULL);
	add_ours(w, "pk_d", RECON_PAYMENT, 9000, NULL);       /* the PG has none */
}

static const struct reconcile_opts nov = {"2026-11-01", "2026-11-30", 0, 0};

Test(app_reconcile, every_finding_in_order)
{
	struct world w;
	struct reconcile_ctx c;
	struct reconcile_report rep;
	struct seen s = {0};
	struct settle_err err = {0};

	november(&w);
	c = ctx_of(&w, 10);
	cr_assert_eq(reconcile_run(&c, &nov, seen_row, &s, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 7);
	cr_assert_str_eq(s.line[0], "matched pk_a tx_a 0");
	cr_assert_str_eq(s.line[1], "matched pk_b tx_b 0");
	cr_assert_str_eq(s.line[2], "matched pk_b tx_b2 0");
	cr_assert_str_eq(s.line[3], "matched pk_b tx_b1 0");
	cr_assert_str_eq(s.line[4], "different pk_c tx_c -1000");
	cr_assert_str_eq(s.line[5], "missing pk_d - -9000");
	cr_assert_str_eq(s.line[6], "extra pk_x tx_x 7000");
	cr_assert_eq(rep.outside, 1);
	cr_assert_eq(rep.t.count[RECON_MATCHED], 4);
	cr_assert_eq(rep.t.ours, 50000 + 30000 - 15000 + 21000 + 9000);
	cr_assert_eq(rep.t.pg_amount, 50000 + 30000 - 15000 + 20000 + 7000);
	cr_assert_eq(rep.t.difference, rep.t.pg_amount - rep.t.ours);
	cr_assert_eq(rep.t.postable, 4);
	cr_assert_eq(w.runs, 0, "a report without --post opens no unit of work");
	cr_assert_str_eq(rep.today, "2026-11-20");
}

Test(app_reconcile, post_books_matched_paid_out_records_once_in_batches)
{
	struct world w;
	struct reconcile_ctx c;
	struct reconcile_report rep;
	struct settle_err err = {0};
	struct reconcile_opts post = nov;

	november(&w);
	snprintf(w.recs[0].paid_out_date, sizeof w.recs[0].paid_out_date, "2026-11-22"); /* pk_a: not yet */
	post.post = 1;
	c = ctx_of(&w, 2);
	cr_assert_eq(reconcile_run(&c, &post, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.t.postable, 3);
	cr_assert_eq(rep.t.posted, 3);
	cr_assert_eq(w.nposted, 3);
	cr_assert_eq(w.runs, 2, "3 records in batches of 2"); /* the different and extra ones are never booked */
	for (size_t i = 0; i < w.nposted; i++)
		cr_assert(strstr(w.posted[i], "pg_settlement:toss:tx_b"), "%s", w.posted[i]);

	/* the second run books nothing; on the 22nd pk_a is booked too */
	cr_assert_eq(reconcile_run(&c, &post, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.t.posted, 0);
	cr_assert_eq(rep.t.already, 3);
	w.now_us += 2LL * 86400 * 1000000;
	cr_assert_eq(reconcile_run(&c, &post, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.t.posted, 1);
	cr_assert_eq(rep.t.already, 3);
	cr_assert_eq(w.nposted, 4);

	/* --dry-run: nothing */
	november(&w);
	post.dry_run = 1;
	c = ctx_of(&w, 2);
	cr_assert_eq(reconcile_run(&c, &post, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(w.runs, 0);
	cr_assert_eq(rep.t.postable, 4);
}

Test(app_reconcile, a_deadlocked_unit_runs_again_without_counting_twice)
{
	struct world w;
	struct reconcile_ctx c;
	struct reconcile_report rep;
	struct settle_err err = {0};
	struct reconcile_opts post = nov;

	november(&w);
	w.deadlocks = 2;
	post.post = 1;
	c = ctx_of(&w, 10);
	cr_assert_eq(reconcile_run(&c, &post, NULL, NULL, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(w.attempts, 3);
	cr_assert_eq(rep.t.posted, 4);
	cr_assert_eq(rep.t.already, 0);
	cr_assert_eq(w.nposted, 4);
	cr_assert_eq(w.nbooked, 4);
}

Test(app_reconcile, a_refused_post_keeps_nothing)
{
	struct world w;
	struct reconcile_ctx c;
	struct reconcile_report rep;
	struct settle_err err = {0};
	struct reconcile_opts post = nov;

	november(&w);
	w.fail_post = 1;
	post.post = 1;
	c = ctx_of(&w, 10);
	cr_assert_eq(reconcile_run(&c, &post, NULL, NULL, &rep, &err), -1);
	cr_assert(strstr(err.msg, "ledger refused"), "%s", err.msg);
	cr_assert_eq(w.nbooked, 0);
	cr_assert_eq(w.nposted, 0);
}

Test(app_reconcile, a_bad_source_is_refused_before_our_books_are_read)
{
	struct world w;
	struct reconcile_ctx c;
	struct reconcile_report rep;
	struct seen s = {0};
	struct settle_err err = {0};
	struct reconcile_opts post = nov;

	post.post = 1;
	/* a transaction key twice: the later line is named */
	november(&w);
	add_rec(&w, "pk_y", "tx_b1", 1000, "2026-11-14", 9);
	c = ctx_of(&w, 10);
	cr_assert_eq(reconcile_run(&c, &post, seen_row, &s, &rep, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_str_eq(err.msg, "toss settlements API, record 9: transactionKey tx_b1 repeats the record of line 3");
	cr_assert_eq(w.ours_reads, 0);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(w.book_calls, 0);

	/* a file naming payments we never had: the first in the file is named */
	november(&w);
	w.is_file = 1;
	w.known[0] = "pk_a";
	w.known[1] = "pk_b";
	w.known[2] = "pk_c";
	c = ctx_of(&w, 10);
	cr_assert_eq(reconcile_run(&c, &post, seen_row, &s, &rep, &err), -1);
	cr_assert_str_eq(err.msg, "settlements.csv:6: paymentKey pk_x is not a toss payment of ours");
	cr_assert_eq(w.ours_reads, 0);
	cr_assert_eq(w.book_calls, 0);

	/* the same payment from the API is an extra row, not a refusal */
	w.is_file = 0;
	c = ctx_of(&w, 10);
	s.n = 0;
	cr_assert_eq(reconcile_run(&c, &nov, seen_row, &s, &rep, &err), 0, "%s", err.msg);
	cr_assert_eq(rep.t.count[RECON_EXTRA], 1);

	/* a malformed period */
	post.from = "2026-11-31";
	cr_assert_eq(reconcile_run(&c, &post, seen_row, &s, &rep, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
}
