/*
 * sweep.c — pay-capture --sweep: finishes every unfinished payment, refund
 * and participation confirm.
 *
 * Work goes in batches through the shared claims port: claim up to
 * sweep_batch rows of one queue (other sweepers skip them), ask the PG (or
 * the Study Service) about them from worker threads that never touch the
 * database, renewing the claims' short lease while the calls run, then
 * commit all their outcomes — and give the claims back — in one unit of
 * work. Memory is one batch, whatever the backlog. A sweeper killed
 * mid-batch leaves claims that expire after one lease; the next run takes
 * the work up, and a run that finds work held by a live sweeper says how
 * much and ends with EX_TEMPFAIL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/payments/decide.h"
#include "app/payments/internal.h"
#include "app/payments/sweep.h"
#include "util/failpoint.h"
#include "util/log.h"


struct phase {
	enum phase_kind kind;
	const char *name;
	struct claim_queue queue;
};

static const struct phase phases[] = {
	{PH_CONFIRMING, "confirming",
	 {"payments", "id", "status", "CONFIRMING", NULL, "updated_at", "next_check_at"}},
	{PH_WAITING, "waiting for deposit",
	 {"payments", "id", "status", "WAITING_FOR_DEPOSIT", NULL, "updated_at", "next_check_at"}},
	{PH_PENDING_EXPIRED, "pending",
	 {"payments", "id", "status", "PENDING", NULL, "created_at", "next_check_at"}},
	{PH_REFUNDS, "refunds", {"refunds", "id", "status", "REQUESTED", NULL, "updated_at", "next_check_at"}},
	{PH_PARTICIPATION, "participation confirms",
	 {"participation_confirms", "payment_id", NULL, NULL, "done_at", NULL, "next_attempt_at"}},
};


struct batch {
	const struct pay_ctx *c;
	const struct phase *ph;
	struct claim_req req;
	int64_t *ids;          /* claimed keys */
	size_t n_ids;
	struct sweep_item *items;
	struct pg_result *results;
	struct outcome *outcomes;
	int64_t *refund_ids;   /* refunds written for refused places */
	size_t n;              /* items loaded */
	size_t next;           /* next item to take, under lock */
	size_t done;           /* items finished, under lock */
	int64_t held;          /* count_held: rows other sweepers hold */
	char held_until[32];
	pthread_mutex_t lock;
	pthread_cond_t finished;
};

static int64_t phase_min_age(const struct pay_ctx *c, enum phase_kind k)
{
	switch (k) {
	case PH_PENDING_EXPIRED: return c->set.pending_expiry_s;
	case PH_WAITING:
	case PH_PARTICIPATION: return 0;
	default: return c->set.confirm_sweep_age_s;
	}
}

/* ------------------------------------------------------------ claim and load */

static int claim_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct claims_port *cl = b->c->r.claims;

	return cl->claim(cl->self, tx, &b->req, b->ids, &b->n_ids, err);
}

static int load_items(struct batch *b, struct settle_err *err)
{
	const struct pay_repos *r = &b->c->r;
	size_t limit = b->req.limit, got = 0;
	struct payment_rec *pays = calloc(limit, sizeof *pays);
	int64_t *pay_ids = calloc(limit, sizeof *pay_ids);
	int rc = -1;

	b->n = 0;
	if (!pays || !pay_ids) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	memset(b->items, 0, limit * sizeof *b->items);
	if (b->ph->kind == PH_REFUNDS) {
		struct refund_rec *refunds = calloc(limit, sizeof *refunds);
		size_t n_ref = 0;

		if (!refunds) {
			err_set(err, SETTLE_EX_OSERR, "out of memory");
			goto out;
		}
		if (r->refunds->load_many(r->refunds->self, NULL, b->ids, b->n_ids, refunds, &n_ref, err) < 0) {
			free(refunds);
			goto out;
		}
		for (size_t i = 0; i < n_ref; i++)
			pay_ids[i] = refunds[i].payment_id;
		if (r->payments->load_many(r->payments->self, NULL, pay_ids, n_ref, pays, &got, err) < 0) {
			free(refunds);
			goto out;
		}
		for (size_t i = 0, k = 0; i < n_ref && k < got; i++) {
			if (pays[k].id != refunds[i].payment_id)
				continue; /* its payment vanished: nothing to ask */
			b->items[b->n].refund = refunds[i];
			b->items[b->n++].pay = pays[k++];
		}
		free(refunds);
	} else if (b->ph->kind == PH_PARTICIPATION) {
		struct participation_rec *parts = calloc(limit, sizeof *parts);
		size_t n_part = 0;

		if (!parts) {
			err_set(err, SETTLE_EX_OSERR, "out of memory");
			goto out;
		}
		if (r->participation->load_many(r->participation->self, NULL, b->ids, b->n_ids, parts, &n_part, err) < 0 ||
		    r->payments->load_many(r->payments->self, NULL, b->ids, b->n_ids, pays, &got, err) < 0) {
			free(parts);
			goto out;
		}
		for (size_t i = 0; i < got; i++) {
			b->items[b->n].pay = pays[i];
			for (size_t k = 0; k < n_part; k++)
				if (parts[k].payment_id == pays[i].id)
					b->items[b->n].attempts = parts[k].attempts;
			b->n++;
		}
		free(parts);
	} else {
		if (r->payments->load_many(r->payments->self, NULL, b->ids, b->n_ids, pays, &got, err) < 0)
			goto out;
		for (size_t i = 0; i < got; i++)
			b->items[b->n++].pay = pays[i];
	}
	rc = 0;
out:
	free(pays);
	free(pay_ids);
	return rc;
}

/* ------------------------------------------------------------ the calls */


/* One worker's view: its own context (no database) and its own client of
 * each PG, opened on first use. */
#define MAX_PGS 8

struct worker_state {
	struct pay_ctx ctx;
	struct pg_port *pgs[MAX_PGS];
};

static struct pg_port *worker_pg(struct worker_state *w, const char *name, struct settle_err *err)
{
	int k = w->ctx.pgs->find(w->ctx.pgs->self, name);

	if (k < 0 || k >= MAX_PGS) {
		err_set(err, SETTLE_EX_CONFIG, "PG %s is not configured here", name);
		return NULL;
	}
	if (!w->pgs[k])
		w->pgs[k] = w->ctx.pgs->open(w->ctx.pgs->self, (size_t)k, err);
	return w->pgs[k];
}

static void worker_close(struct worker_state *w)
{
	for (int k = 0; k < MAX_PGS; k++)
		pay_pg_close(&w->ctx, w->pgs[k]);
}


static void work_one(struct batch *b, struct worker_state *w, size_t i)
{
	const struct pay_ctx *c = &w->ctx;
	struct sweep_item *it = &b->items[i];
	struct outcome *o = &b->outcomes[i];
	struct pg_result *res = &b->results[i];
	struct settle_err err = {0};
	int64_t now_us = c->clock->now_us(c->clock->self);
	struct pg_port *pg = NULL;
	enum phase_kind kind = b->ph->kind;

	memset(o, 0, sizeof *o);
	memset(res, 0, sizeof *res);
	o->id = it->pay.id;
	if (kind != PH_PENDING_EXPIRED && kind != PH_PARTICIPATION) {
		pg = worker_pg(w, it->pay.pg, &err);
		if (!pg) {
			/* Not configured here: leave it for a sweeper that can ask. */
			o->kind = kind == PH_REFUNDS ? OUT_REFUND_DOUBT : OUT_DOUBT;
			o->id = kind == PH_REFUNDS ? it->refund.id : it->pay.id;
			o->code = "PG_NOT_CONFIGURED";
			snprintf(res->message, sizeof res->message, "%s", err.msg);
			o->message = res->message;
			o->next_check_us = decide_next_check(now_us, c->set.doubt_backoff_s,
							     kind == PH_REFUNDS ? it->refund.doubt_count
										: it->pay.doubt_count);
			return;
		}
	}
	sweep_ask(c, kind, pg, it, res, o, now_us);
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	struct worker_state w;

	memset(&w, 0, sizeof w);
	w.ctx = *b->c;
	w.ctx.no_health = 1;
	for (;;) {
		size_t i;

		pthread_mutex_lock(&b->lock);
		i = b->next++;
		pthread_mutex_unlock(&b->lock);
		if (i >= b->n)
			break;
		work_one(b, &w, i);
		pthread_mutex_lock(&b->lock);
		b->done++;
		pthread_cond_signal(&b->finished);
		pthread_mutex_unlock(&b->lock);
	}
	worker_close(&w);
	return NULL;
}

static int renew_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct claims_port *cl = b->c->r.claims;

	return cl->renew(cl->self, tx, &b->req, b->ids, b->n_ids, err);
}

/* Runs the batch's calls on worker threads; meanwhile the main thread
 * renews the claims every third of a lease, so a slow PG never lets a live
 * sweeper's work be taken by another. */
static void run_calls(struct batch *b, int threads)
{
	const struct pay_ctx *c = b->c;
	pthread_t tids[64];
	char now[TIME_SQL_LEN];
	int started = 0;

	if (threads > 64)
		threads = 64;
	if ((size_t)threads > b->n)
		threads = (int)b->n;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tids[started], NULL, worker, b) == 0)
			started++;
	if (started == 0) {
		struct worker_state w;

		memset(&w, 0, sizeof w);
		w.ctx = *c;
		w.ctx.no_health = 1;
		for (size_t i = 0; i < b->n; i++)
			work_one(b, &w, i);
		worker_close(&w);
		return;
	}
	pthread_mutex_lock(&b->lock);
	while (b->done < b->n) {
		struct timespec until;
		int64_t every_ms = (int64_t)(b->req.lease_s > 3 ? b->req.lease_s : 3) * 1000 / 3;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)(every_ms / 1000);
		until.tv_nsec += (long)(every_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&b->finished, &b->lock, &until) == ETIMEDOUT && b->done < b->n) {
			struct settle_err err = {0};

			pthread_mutex_unlock(&b->lock);
			pay_now(c, now);
			b->req.now = now;
			if (uow_run(c->r.uow, renew_tx, b, &err) < 0)
				log_kv(LOG_WARN, "sweep.renew_failed", "error", err.msg, (char *)NULL);
			pthread_mutex_lock(&b->lock);
		}
	}
	pthread_mutex_unlock(&b->lock);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
}

/* ------------------------------------------------------------ outcomes */

/* The breaker's health rows, written by the main thread after a batch:
 * each failure, and one success per PG that answered at all. */
static void record_batch_health(const struct pay_ctx *c, const struct batch *b, const char *now)
{
	int answered[MAX_PGS] = {0};
	size_t n_pgs = c->pgs->count(c->pgs->self);

	if (b->ph->kind == PH_PENDING_EXPIRED || b->ph->kind == PH_PARTICIPATION)
		return;
	for (size_t i = 0; i < b->n; i++) {
		const struct pg_result *res = &b->results[i];
		int k = c->pgs->find(c->pgs->self, b->items[i].pay.pg);

		if (b->outcomes[i].code && !strcmp(b->outcomes[i].code, "PG_NOT_CONFIGURED"))
			continue;
		if (res->outcome == PG_IN_DOUBT)
			breaker_record(c, b->items[i].pay.pg, res, now);
		else if (k >= 0 && k < MAX_PGS)
			answered[k] = 1;
	}
	for (size_t k = 0; k < n_pgs && k < MAX_PGS; k++)
		if (answered[k]) {
			struct pg_result ok = {.outcome = PG_OK};

			breaker_record(c, c->pgs->name(c->pgs->self, k), &ok, now);
		}
}

static void count(const struct pay_ctx *c, struct sweep_report *r, const struct outcome *o, const struct sweep_item *it)
{
	switch (o->kind) {
	case OUT_CAPTURED: r->captured++; break;
	case OUT_AWAIT_DEPOSIT: r->awaiting++; break;
	case OUT_FAILED: r->failed++; break;
	case OUT_EXPIRED: r->expired++; break;
	case OUT_DOUBT: r->in_doubt++; break;
	case OUT_RECHECK: break;
	case OUT_REFUNDED: r->refunded++; break;
	case OUT_REFUND_FAILED: r->refund_failed++; break;
	case OUT_REFUND_DOUBT: r->refund_doubt++; break;
	case OUT_PARTICIPATION_DONE: r->participation_done++; break;
	case OUT_PARTICIPATION_REFUSED: r->participation_refused++; break;
	case OUT_PARTICIPATION_RETRY:
		r->participation_retry++;
		if (it->attempts + 1 >= c->set.participation_report_after) {
			char n[16];

			snprintf(n, sizeof n, "%d", it->attempts + 1);
			r->participation_stuck++;
			log_kv(LOG_WARN, "participation.stuck", "payment", it->pay.public_id, "attempts", n, "error",
			       o->message ? o->message : "", (char *)NULL);
		}
		break;
	}
}

static int release_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct claims_port *cl = b->c->r.claims;

	return cl->release(cl->self, tx, &b->req, b->ids, b->n_ids, err);
}

struct release_one {
	struct batch *b;
	int64_t id;
};

static int release_one_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct release_one *ro = arg;
	const struct claims_port *cl = ro->b->c->r.claims;

	return cl->release(cl->self, tx, &ro->b->req, &ro->id, 1, err);
}

/* The claim key of item i: the payment, or the refund. */
static int64_t claim_key(const struct batch *b, size_t i)
{
	return b->ph->kind == PH_REFUNDS ? b->items[i].refund.id : b->items[i].pay.id;
}

/* Refunds of refused places: their intent is committed; send each now. */
static void send_place_refunds(const struct pay_ctx *c, const int64_t *ids, size_t n, struct sweep_report *r)
{
	for (size_t i = 0; i < n; i++) {
		struct settle_err err = {0};
		struct refund_rec rf;
		struct payment_rec p;
		struct pg_result res;
		enum outcome_kind kind;
		size_t got = 0, got_pay = 0;

		if (c->r.refunds->load_many(c->r.refunds->self, NULL, &ids[i], 1, &rf, &got, &err) < 0 || got != 1 ||
		    c->r.payments->load_many(c->r.payments->self, NULL, &rf.payment_id, 1, &p, &got_pay, &err) < 0 ||
		    got_pay != 1 || refund_send(c, &p, &rf, &kind, &res, &err) < 0) {
			char id[24];

			snprintf(id, sizeof id, "%lld", (long long)ids[i]);
			log_kv(LOG_WARN, "sweep.place_refund_left", "refund_row", id, "error", err.msg, (char *)NULL);
			continue;
		}
		r->place_refunds++;
		log_kv(LOG_INFO, "sweep.place_refunded", "payment", p.public_id, "refund", rf.public_id, "status",
		       refund_status_name(kind == OUT_REFUNDED ? REFUND_COMPLETED
					  : kind == OUT_REFUND_FAILED ? REFUND_FAILED
								      : REFUND_REQUESTED),
		       (char *)NULL);
	}
}

static int commit_batch(struct batch *b, struct sweep_report *r, struct settle_err *err)
{
	const struct pay_ctx *c = b->c;
	struct outcomes_batch ob = {.o = b->outcomes, .n = b->n, .also = release_tx, .also_arg = b,
				    .refund_ids = b->refund_ids};

	if (outcomes_apply_batch(c, &ob, err) == 0) {
		for (size_t i = 0; i < b->n; i++)
			count(c, r, &b->outcomes[i], &b->items[i]);
		send_place_refunds(c, b->refund_ids, ob.n_refunds, r);
		return 0;
	}
	/* One bad item must not block the batch: apply one by one. A failed
	 * one keeps its claim until the lease ends, so this run moves on. */
	log_kv(LOG_WARN, "sweep.batch_failed", "error", err->msg, (char *)NULL);
	err_clear(err);
	for (size_t i = 0; i < b->n; i++) {
		struct release_one ro = {b, claim_key(b, i)};
		struct outcomes_batch one = {.o = &b->outcomes[i], .n = 1, .also = release_one_tx, .also_arg = &ro,
					     .refund_ids = b->refund_ids};
		struct settle_err e1 = {0};

		if (outcomes_apply_batch(c, &one, &e1) < 0) {
			log_kv(LOG_ERROR, "sweep.item_failed", "error", e1.msg, (char *)NULL);
			continue;
		}
		/* Counted once applied: the report says what happened. */
		count(c, r, &b->outcomes[i], &b->items[i]);
		send_place_refunds(c, b->refund_ids, one.n_refunds, r);
	}
	return 0;
}

/* ------------------------------------------------------------ the loop */

static int sweep_phase(struct batch *b, struct sweep_report *r, struct settle_err *err)
{
	const struct pay_ctx *c = b->c;
	size_t limit = b->req.limit;

	for (;;) {
		char now[TIME_SQL_LEN];
		int threads = c->set.sweep_concurrency > 0 ? c->set.sweep_concurrency : 1;

		pay_now(c, now);
		b->req.now = now;
		if (uow_run(c->r.uow, claim_tx, b, err) < 0)
			return -1;
		if (b->n_ids == 0)
			return 0;
		FAILPOINT("sweep.after_claim");
		if (load_items(b, err) < 0)
			return -1;
		r->looked_at += (int64_t)b->n;
		b->next = 0;
		b->done = 0;
		/* The Study port is one HTTP client: its calls never run from
		 * several threads at once. */
		if (b->ph->kind == PH_PENDING_EXPIRED || b->ph->kind == PH_PARTICIPATION)
			threads = 1;
		run_calls(b, threads);
		FAILPOINT("sweep.after_calls");
		pay_now(c, now);
		record_batch_health(c, b, now);
		if (commit_batch(b, r, err) < 0)
			return -1;
		if (b->n_ids < limit)
			return 0;
	}
}

static int held_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct claims_port *cl = b->c->r.claims;
	char until[32] = "";
	int64_t n = 0;

	if (cl->held_by_others(cl->self, tx, &b->req, &n, until, sizeof until, err) < 0)
		return -1;
	b->held = n;
	snprintf(b->held_until, sizeof b->held_until, "%s", until);
	return 0;
}

/* Counts what other live sweepers hold in every queue. */
static int count_held(struct batch *b, struct sweep_report *r, struct settle_err *err)
{
	char now[TIME_SQL_LEN];

	pay_now(b->c, now);
	for (size_t k = 0; k < sizeof phases / sizeof phases[0]; k++) {
		b->ph = &phases[k];
		b->req.queue = &phases[k].queue;
		b->req.now = now;
		b->req.min_age_s = phase_min_age(b->c, phases[k].kind);
		if (uow_run(b->c->r.uow, held_tx, b, err) < 0)
			return -1;
		r->held_by_others += b->held;
		if (b->held && strcmp(b->held_until, r->held_until) > 0)
			snprintf(r->held_until, sizeof r->held_until, "%s", b->held_until);
	}
	return 0;
}

int pay_sweep(const struct pay_ctx *c, struct sweep_report *r, struct settle_err *err)
{
	struct batch b;
	size_t limit = c->set.sweep_batch > 0 ? (size_t)c->set.sweep_batch : 200;
	int rc = 0;

	memset(r, 0, sizeof *r);
	memset(&b, 0, sizeof b);
	b.c = c;
	b.req = (struct claim_req){.owner = c->owner ? c->owner : "settle", .lease_s = c->set.sweep_lease_s > 0
											      ? c->set.sweep_lease_s
											      : 30,
				   .limit = limit};
	b.ids = calloc(limit, sizeof *b.ids);
	b.items = calloc(limit, sizeof *b.items);
	b.results = calloc(limit, sizeof *b.results);
	b.outcomes = calloc(limit, sizeof *b.outcomes);
	b.refund_ids = calloc(limit, sizeof *b.refund_ids);
	if (!b.ids || !b.items || !b.results || !b.outcomes || !b.refund_ids) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.finished, NULL);
	for (size_t k = 0; rc == 0 && k < sizeof phases / sizeof phases[0]; k++) {
		b.ph = &phases[k];
		b.req.queue = &phases[k].queue;
		b.req.min_age_s = phase_min_age(c, phases[k].kind);
		rc = sweep_phase(&b, r, err);
	}
	if (rc == 0)
		rc = count_held(&b, r, err);
	if (rc == 0) {
		char now[TIME_SQL_LEN];
		int keep = c->set.breaker_window_s > 86400 ? c->set.breaker_window_s : 86400;

		/* The breaker only reads its window; a day of history is plenty. */
		pay_now(c, now);
		rc = c->r.breaker->prune(c->r.breaker->self, now, keep, err);
	}
	pthread_cond_destroy(&b.finished);
	pthread_mutex_destroy(&b.lock);
	if (rc == 0 && r->held_by_others > 0)
		rc = err_set(err, SETTLE_EX_TEMPFAIL,
			     "%lld item(s) are claimed by another sweeper until %s UTC; run again after that",
			     (long long)r->held_by_others, r->held_until);
out:
	free(b.ids);
	free(b.items);
	free(b.results);
	free(b.outcomes);
	free(b.refund_ids);
	return rc;
}
