/*
 * sweep.c — pay-capture --sweep: finishes every unfinished payment, refund
 * and participation confirm.
 *
 * Work goes in batches: claim up to sweep_batch items (other sweepers skip
 * them), ask the PG about them with sweep_concurrency calls in flight (one
 * thread and one HTTP client each), then commit all their outcomes in one
 * transaction. Memory is one batch, whatever the backlog.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "app/decide.h"
#include "app/payments.h"
#include "domain/timefmt.h"

int capture_call(const struct pay_ctx *c, struct pg_port *pg, const struct payment_rec *p, int lookup_first,
		 struct pg_result *res, struct outcome *o);
void decide_refund(const struct refund_rec *r, const struct pg_result *res, int64_t now_us, int backoff_s,
		   struct outcome *o);
void refund_request(const struct payment_rec *p, const struct refund_rec *r, int64_t amount,
		    struct pg_cancel_req *req);

struct batch {
	const struct pay_ctx *c;
	enum sweep_kind kind;
	struct sweep_item *items;
	struct pg_result *results;
	struct outcome *outcomes;
	unsigned char *skip; /* no outcome to record (still waiting) */
	size_t n;
	size_t next;         /* next item to take, under lock */
	pthread_mutex_t lock;
};

static void sweep_refund(const struct pay_ctx *c, struct pg_port *pg, struct sweep_item *it, struct pg_result *res,
			 struct outcome *o)
{
	const struct payment_rec *p = &it->pay;
	const struct refund_rec *r = &it->refund;
	int64_t now_us, before = p->amount - p->refunded;
	char now[TIME_SQL_LEN];
	struct pg_cancel_req req;

	/* Look first: the PG's balance tells whether our cancel landed. */
	pg->get_by_key(pg->self, p->payment_key, res);
	now_us = c->clock->now_us(c->clock->self);
	time_sql(now_us, now);
	decide_record_health(c, pg->name, res, now);
	/* A look-up that was refused, or that finds no payment, tells nothing
	 * about the refund: it stays in doubt for an operator or a later run. */
	if (res->outcome != PG_OK || res->payment.status == PG_ST_NOT_FOUND) {
		if (res->outcome == PG_OK)
			snprintf(res->code, sizeof res->code, "NOT_FOUND");
		res->outcome = PG_IN_DOUBT;
		decide_refund(r, res, now_us, c->set.doubt_backoff_s, o);
		return;
	}
	if (res->payment.balance_amount <= before - r->amount) {
		decide_refund(r, res, now_us, c->set.doubt_backoff_s, o);
		return;
	}
	if (res->payment.balance_amount == before) {
		/* Never landed: send it again with the same idempotency key
		 * (and, for NicePay, the same cancel order id). */
		refund_request(p, r, r->amount, &req);
		pg->cancel(pg->self, &req, res);
		now_us = c->clock->now_us(c->clock->self);
		time_sql(now_us, now);
		decide_record_health(c, pg->name, res, now);
	} else {
		res->outcome = PG_IN_DOUBT;
		snprintf(res->code, sizeof res->code, "BALANCE_MISMATCH");
		snprintf(res->message, sizeof res->message, "PG balance %lld fits neither before nor after the refund",
			 (long long)res->payment.balance_amount);
	}
	decide_refund(r, res, now_us, c->set.doubt_backoff_s, o);
}

/* One worker's view: its own context (no store writes) and its own PG
 * clients, opened on first use. */
struct worker_state {
	struct pay_ctx ctx;
	struct pg_port *pgs[2];
};

static struct pg_port *worker_pg(struct worker_state *w, const char *name, struct settle_err *err)
{
	int k = strcmp(name, "nicepay") ? 0 : 1;

	if (!w->pgs[k])
		w->pgs[k] = w->ctx.pg_open(w->ctx.pg_arg, k ? "nicepay" : "toss", err);
	return w->pgs[k];
}

static void worker_close(struct worker_state *w)
{
	for (int k = 0; k < 2; k++)
		if (w->pgs[k])
			w->ctx.pg_close(w->pgs[k]);
}

static void work_one(struct batch *b, struct worker_state *w, size_t i)
{
	const struct pay_ctx *c = &w->ctx;
	struct sweep_item *it = &b->items[i];
	struct outcome *o = &b->outcomes[i];
	struct settle_err err = {0};
	int64_t now_us = c->clock->now_us(c->clock->self);
	struct pg_port *pg = NULL;

	memset(o, 0, sizeof *o);
	memset(&b->results[i], 0, sizeof b->results[i]);
	o->id = it->pay.id;
	if (b->kind != SWEEP_PENDING_EXPIRED && b->kind != SWEEP_PARTICIPATION) {
		pg = worker_pg(w, it->pay.pg, &err);
		if (!pg) {
			/* Not configured here: leave it for a sweeper that can ask. */
			o->kind = b->kind == SWEEP_REFUNDS ? OUT_REFUND_DOUBT : OUT_DOUBT;
			o->id = b->kind == SWEEP_REFUNDS ? it->refund.id : it->pay.id;
			o->code = "PG_NOT_CONFIGURED";
			snprintf(b->results[i].message, sizeof b->results[i].message, "%s", err.msg);
			o->message = b->results[i].message;
			o->next_check_us = decide_next_check(now_us, c->set.doubt_backoff_s, it->pay.doubt_count);
			return;
		}
	}
	switch (b->kind) {
	case SWEEP_CONFIRMING:
		capture_call(c, pg, &it->pay, 1, &b->results[i], o);
		break;
	case SWEEP_WAITING: {
		capture_call(c, pg, &it->pay, 1, &b->results[i], o);
		/* Still waiting for the deposit: nothing to record; the claim
		 * time in the row schedules the next look. */
		if (o->kind == OUT_AWAIT_DEPOSIT || (o->kind == OUT_DOUBT && b->results[i].outcome == PG_OK))
			b->skip[i] = 1;
		break;
	}
	case SWEEP_PENDING_EXPIRED:
		o->kind = OUT_EXPIRED;
		o->code = "PAYMENT_WINDOW_EXPIRED";
		o->message = "not confirmed within the PG's payment window";
		break;
	case SWEEP_REFUNDS:
		sweep_refund(c, pg, it, &b->results[i], o);
		o->id = it->refund.id;
		break;
	case SWEEP_PARTICIPATION:
		if (c->study->confirm_participation(c->study->self, it->pay.pod_id, it->pay.user_id, it->pay.public_id,
						    &err) == 0) {
			o->kind = OUT_PARTICIPATION_DONE;
		} else {
			o->kind = OUT_PARTICIPATION_RETRY;
			snprintf(b->results[i].message, sizeof b->results[i].message, "%s", err.msg);
			o->message = b->results[i].message;
			o->next_check_us = decide_next_check(now_us, c->set.doubt_backoff_s, 1);
		}
		break;
	}
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	struct worker_state w = {.ctx = *b->c};

	w.ctx.no_health = 1;
	for (;;) {
		size_t i;

		pthread_mutex_lock(&b->lock);
		i = b->next++;
		pthread_mutex_unlock(&b->lock);
		if (i >= b->n)
			break;
		work_one(b, &w, i);
	}
	worker_close(&w);
	return NULL;
}

/* The breaker's health rows, written by the main thread after a batch:
 * each failure, and one success per PG that answered at all. */
static void record_batch_health(const struct pay_ctx *c, const struct batch *b, const char *now)
{
	struct settle_err ignored = {0};
	int answered[2] = {0, 0};

	if (b->kind == SWEEP_PENDING_EXPIRED || b->kind == SWEEP_PARTICIPATION)
		return;
	for (size_t i = 0; i < b->n; i++) {
		const struct pg_result *res = &b->results[i];
		int k = strcmp(b->items[i].pay.pg, "nicepay") ? 0 : 1;

		if (res->outcome == PG_IN_DOUBT)
			c->store->pg_record(c->store->self, b->items[i].pay.pg, 0, res->code, now, &ignored);
		else
			answered[k] = 1;
	}
	for (int k = 0; k < 2; k++)
		if (answered[k])
			c->store->pg_record(c->store->self, k ? "nicepay" : "toss", 1, NULL, now, &ignored);
}

static void count(struct sweep_report *r, const struct outcome *o)
{
	switch (o->kind) {
	case OUT_CAPTURED: r->captured++; break;
	case OUT_AWAIT_DEPOSIT: r->awaiting++; break;
	case OUT_FAILED: r->failed++; break;
	case OUT_EXPIRED: r->expired++; break;
	case OUT_DOUBT: r->in_doubt++; break;
	case OUT_REFUNDED: r->refunded++; break;
	case OUT_REFUND_FAILED: r->refund_failed++; break;
	case OUT_REFUND_DOUBT: r->refund_doubt++; break;
	case OUT_PARTICIPATION_DONE: r->participation_done++; break;
	case OUT_PARTICIPATION_RETRY: r->participation_retry++; break;
	}
}

static int sweep_kind(const struct pay_ctx *c, enum sweep_kind kind, struct batch *b, struct sweep_report *r,
		      struct settle_err *err)
{
	int64_t age = kind == SWEEP_PENDING_EXPIRED ? c->set.pending_expiry_s
		      : kind == SWEEP_WAITING	    ? 0
						    : c->set.confirm_sweep_age_s;
	/* Claimed items stay hidden this long: longer than a batch can take. */
	int claim_s = 300;
	size_t limit = (size_t)c->set.sweep_batch;

	for (;;) {
		char now[TIME_SQL_LEN];
		int threads = c->set.sweep_concurrency > 0 ? c->set.sweep_concurrency : 1;
		pthread_t tids[64];
		size_t n_out = 0;

		time_sql(c->clock->now_us(c->clock->self), now);
		if (c->store->claim(c->store->self, kind, now, age, claim_s, b->items, limit, &b->n, err) < 0)
			return -1;
		if (b->n == 0)
			return 0;
		r->looked_at += (int64_t)b->n;
		memset(b->skip, 0, b->n);
		b->kind = kind;
		b->next = 0;
		/* The Study port is one HTTP client, not one per worker: its
		 * calls must not run from several threads at once. */
		if (kind == SWEEP_PENDING_EXPIRED || kind == SWEEP_PARTICIPATION || threads == 1) {
			struct worker_state w = {.ctx = *c};

			w.ctx.no_health = 1;
			for (size_t i = 0; i < b->n; i++)
				work_one(b, &w, i);
			worker_close(&w);
		} else {
			if (threads > 64)
				threads = 64;
			if ((size_t)threads > b->n)
				threads = (int)b->n;
			for (int t = 0; t < threads; t++)
				if (pthread_create(&tids[t], NULL, worker, b)) {
					threads = t;
					break;
				}
			for (int t = 0; t < threads; t++)
				pthread_join(tids[t], NULL);
		}
		time_sql(c->clock->now_us(c->clock->self), now);
		record_batch_health(c, b, now);
		/* Compact: drop items with nothing to record. */
		for (size_t i = 0; i < b->n; i++) {
			if (b->skip[i])
				continue;
			count(r, &b->outcomes[i]);
			b->outcomes[n_out++] = b->outcomes[i];
		}
		time_sql(c->clock->now_us(c->clock->self), now);
		if (c->store->apply_outcomes(c->store->self, b->outcomes, n_out, c->actor, now, err) < 0) {
			/* One bad item must not block the batch: apply one by one. */
			struct settle_err one;

			log_kv(LOG_WARN, "sweep.batch_failed", "error", err->msg, (char *)NULL);
			for (size_t i = 0; i < n_out; i++) {
				err_clear(&one);
				if (c->store->apply_outcomes(c->store->self, &b->outcomes[i], 1, c->actor, now, &one) < 0)
					log_kv(LOG_ERROR, "sweep.item_failed", "error", one.msg, (char *)NULL);
			}
			err_clear(err);
		}
		if (b->n < limit)
			return 0;
	}
}

int pay_sweep(const struct pay_ctx *c, struct sweep_report *r, struct settle_err *err)
{
	static const enum sweep_kind kinds[] = {SWEEP_CONFIRMING, SWEEP_WAITING, SWEEP_PENDING_EXPIRED, SWEEP_REFUNDS,
						SWEEP_PARTICIPATION};
	struct batch b = {.c = c};
	size_t limit = c->set.sweep_batch > 0 ? (size_t)c->set.sweep_batch : 200;
	int rc = 0;

	memset(r, 0, sizeof *r);
	b.items = calloc(limit, sizeof *b.items);
	b.results = calloc(limit, sizeof *b.results);
	b.outcomes = calloc(limit, sizeof *b.outcomes);
	b.skip = calloc(limit, 1);
	if (!b.items || !b.results || !b.outcomes || !b.skip) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	pthread_mutex_init(&b.lock, NULL);
	for (size_t k = 0; rc == 0 && k < sizeof kinds / sizeof kinds[0]; k++)
		rc = sweep_kind(c, kinds[k], &b, r, err);
	if (rc == 0) {
		char now[TIME_SQL_LEN];
		int keep = c->set.breaker_window_s > 86400 ? c->set.breaker_window_s : 86400;

		/* The breaker only reads its window; a day of history is plenty. */
		time_sql(c->clock->now_us(c->clock->self), now);
		rc = c->store->pg_prune(c->store->self, keep, now, err);
	}
	pthread_mutex_destroy(&b.lock);
out:
	free(b.items);
	free(b.results);
	free(b.outcomes);
	free(b.skip);
	return rc;
}
