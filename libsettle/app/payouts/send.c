/*
 * send.c — payout-send (see payouts.h). Batches of payouts are claimed
 * through the claims port (a short lease in the row, so several senders
 * share the work and a killed one's batch is taken up after the lease);
 * the intent is committed, the bank called outside any transaction, the
 * outcomes committed with the claims given back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify/held.h"
#include "app/payouts/apply.h"
#include "domain/timefmt.h"
#include "util/failpoint.h"
#include "util/log.h"

#define MAX_BANKS 4

static const struct claim_queue q_held = {"payouts", "id", "status", "HELD", NULL, NULL, NULL};
static const struct claim_queue q_pending = {"payouts", "id", "status", "PENDING", NULL, NULL, "next_check_at"};
static const struct claim_queue q_sending = {"payouts", "id", "status", "SENDING", NULL, "updated_at", "next_check_at"};
static const struct claim_queue q_sent = {"payouts", "id", "status", "SENT", NULL, NULL, "next_check_at"};

struct run {
	const struct payout_ctx *c;
	struct payout_report *rep;
	struct claim_req req;
	char now[TIME_SQL_LEN];
	int64_t *ids;
	size_t n_ids;
	struct payout_rec *rows;
	size_t n;
	struct payee *payees;
	struct bank_result *results;
	struct payout_order *orders;
	int *ready;    /* mode 0: 1 send, 0 back to HELD, -1 ask later; others skipped */
	struct bank_port *banks[MAX_BANKS];
	int opened[MAX_BANKS];
	int mode; /* 0 intent (PENDING → SENDING), 1 look-up */
};

static struct bank_port *bank_for(struct run *r, const char *channel, struct settle_err *err)
{
	int i = r->c->banks->find(r->c->banks->self, channel);

	if (i < 0 || i >= MAX_BANKS) {
		err_set(err, SETTLE_EX_CONFIG, "payout channel %s is not configured here", channel);
		return NULL;
	}
	if (!r->opened[i]) {
		r->banks[i] = r->c->banks->open(r->c->banks->self, (size_t)i, err);
		if (!r->banks[i])
			return NULL;
		r->opened[i] = 1;
	}
	return r->banks[i];
}

static void close_banks(struct run *r)
{
	for (int i = 0; i < MAX_BANKS; i++)
		if (r->opened[i])
			r->c->banks->close(r->c->banks->self, r->banks[i]);
}

static int claim_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct payout_ctx *c = r->c;

	r->n = 0;
	if (c->claims->claim(c->claims->self, tx, &r->req, r->ids, &r->n_ids, err) < 0 ||
	    c->payouts->load_many(c->payouts->self, tx, r->ids, r->n_ids, r->rows, &r->n, err) < 0)
		return -1;
	if (r->mode != 0)
		return 0;
	/* A channel this installation cannot send through is a configuration
	 * error, found before any intent is written (nothing is in doubt). */
	for (size_t i = 0; i < r->n; i++)
		if (c->banks->find(c->banks->self, r->rows[i].channel) < 0)
			return err_set(err, SETTLE_EX_CONFIG, "payout %s goes through channel %s, which is not configured here",
				       r->rows[i].public_id, r->rows[i].channel);
	return 0;
}

static void fill_order(const struct payout_rec *p, const struct payee *pe, struct payout_order *o)
{
	*o = (struct payout_order){.payout_id = p->public_id,
				   .idempotency_key = p->idempotency_key,
				   .leader_id = p->leader_id,
				   .seller_id = pe->seller_id,
				   .bank_code = pe->bank_code,
				   .account = pe->account,
				   .holder = pe->holder,
				   .amount = p->amount,
				   .currency = p->currency,
				   .memo = "정산"};
}

/* Mode 0, before any intent: the payee of each payout, and whether the
 * bank lets them be paid now (Toss: an approved seller). No money moves. */
static void check_ready(struct run *r)
{
	const struct payout_ctx *c = r->c;

	for (size_t i = 0; i < r->n; i++) {
		struct settle_err err = {0};
		struct bank_result *res = &r->results[i];
		struct bank_port *bank = bank_for(r, r->rows[i].channel, &err);
		int rc;

		memset(res, 0, sizeof *res);
		r->ready[i] = -1;
		rc = c->payees->get(c->payees->self, NULL, r->rows[i].leader_id, &r->payees[i], &err);
		if (rc != 1 || !bank) {
			snprintf(res->code, sizeof res->code, "%s", !bank ? "CHANNEL_NOT_CONFIGURED" : "PAYEE_UNREADABLE");
			snprintf(res->message, sizeof res->message, "%s", rc == 0 ? "leader vanished" : err.msg);
			continue;
		}
		fill_order(&r->rows[i], &r->payees[i], &r->orders[i]);
		r->ready[i] = bank->payee_ready ? bank->payee_ready(bank->self, &r->orders[i], res) : 1;
	}
}

/* The intent: SENDING for what will be sent, committed before any call;
 * a payee the bank will not pay goes back to HELD (reported), one it could
 * not tell about is asked about later. Their claims are given back here. */
static int intent_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct payout_ctx *c = r->c;
	struct payout_report rep = *r->rep;

	for (size_t i = 0; i < r->n; i++) {
		struct payout_rec *p = &r->rows[i];
		enum payout_status to = r->ready[i] == 1 ? PAYOUT_SENDING : r->ready[i] == 0 ? PAYOUT_HELD : p->status;

		if (r->ready[i] != 1) {
			snprintf(p->failure_code, sizeof p->failure_code, "%s", r->results[i].code);
			snprintf(p->failure_message, sizeof p->failure_message, "%s", r->results[i].message);
			time_sql(c->clock->now_us(c->clock->self) + (int64_t)(c->doubt_backoff_s > 0 ? c->doubt_backoff_s : 30) *
									 1000000,
				 p->next_check_at);
			if (r->ready[i] == 0)
				rep.still_held++;
			else
				rep.in_doubt++;
		}
		if (to != p->status && payout_transition(p->status, to, err) < 0)
			return err_prefix(err, "payout %s", p->public_id);
		p->status = to;
		if (c->payouts->save(c->payouts->self, tx, p, r->now, err) < 0)
			return -1;
		if (r->ready[i] != 1 && c->claims->release(c->claims->self, tx, &r->req, &p->id, 1, err) < 0)
			return -1;
		if (r->ready[i] == 0) {
			/* The leader hears why it waits, the operators get a copy. */
			struct outbox_note n[2];

			note_payout_held(n, p, HELD_NOT_APPROVED, r->results[i].message, r->now);
			if (outbox_add_many(c->outbox, tx, n, 2, r->now, err) < 0)
				return -1;
		}
	}
	*r->rep = rep;
	return 0;
}

static int outcome_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct payout_ctx *c = r->c;
	struct payout_report rep = *r->rep;

	for (size_t i = 0; i < r->n; i++) {
		struct payout_rec p;
		struct settle_err e = {0};
		struct bank_port *bank = bank_for(r, r->rows[i].channel, &e);

		if (r->mode == 0 && r->ready[i] != 1)
			continue; /* not sent: settled by intent_tx */
		if (c->payouts->lock(c->payouts->self, tx, r->rows[i].id, &p, err) < 0)
			return -1;
		if (p.status != r->rows[i].status)
			continue; /* finished meanwhile (a result file, another run) */
		if (payout_apply(c, tx, &p, &r->results[i], bank ? bank->source_account : "bank", r->now, &rep, err) < 0)
			return -1;
	}
	if (c->claims->release(c->claims->self, tx, &r->req, r->ids, r->n_ids, err) < 0)
		return -1;
	*r->rep = rep;
	return 0;
}


/* Calls the bank for every loaded payout: a send (mode 0) grouped by
 * channel in chunks of max_batch, or a look-up (mode 1), where a payout
 * the bank never saw (NOT_FOUND while SENDING) is sent again with the
 * same key. */
static void call_banks(struct run *r)
{
	const struct payout_ctx *c = r->c;

	for (size_t i = 0; i < r->n; i++) {
		struct settle_err err = {0};
		struct bank_result *res = &r->results[i];
		int rc;

		if (r->mode == 0) {
			/* check_ready read the payees; only what is ready is sent */
			if (r->ready[i] != 1)
				r->orders[i].payout_id = NULL;
			else
				memset(res, 0, sizeof *res);
			continue;
		}
		memset(res, 0, sizeof *res);
		res->outcome = BANK_IN_DOUBT;
		rc = c->payees->get(c->payees->self, NULL, r->rows[i].leader_id, &r->payees[i], &err);
		if (rc != 1) {
			snprintf(res->code, sizeof res->code, "PAYEE_UNREADABLE");
			snprintf(res->message, sizeof res->message, "%s", rc == 0 ? "leader vanished" : err.msg);
			continue;
		}
		fill_order(&r->rows[i], &r->payees[i], &r->orders[i]);
	}
	for (size_t i = 0; i < r->n; i++) {
		struct settle_err err = {0};
		struct bank_port *bank;
		size_t k = 0;

		if ((r->mode == 1 && !strcmp(r->results[i].code, "PAYEE_UNREADABLE")) || r->orders[i].payout_id == NULL)
			continue;
		bank = bank_for(r, r->rows[i].channel, &err);
		if (!bank) {
			snprintf(r->results[i].code, sizeof r->results[i].code, "CHANNEL_NOT_CONFIGURED");
			snprintf(r->results[i].message, sizeof r->results[i].message, "%s", err.msg);
			r->orders[i].payout_id = NULL;
			continue;
		}
		if (r->mode == 1) {
			bank->status(bank->self, &r->orders[i], &r->results[i]);
			if (r->rows[i].status == PAYOUT_SENDING && r->results[i].outcome == BANK_OK &&
			    r->results[i].status == BANK_ST_NOT_FOUND)
				bank->send(bank->self, &r->orders[i], 1, &r->results[i]);
			r->orders[i].payout_id = NULL;
			continue;
		}
		/* Gather this payout and the following ones of the same channel. */
		{
			struct payout_order chunk[128];
			size_t at[128];
			size_t max = bank->max_batch && bank->max_batch < 128 ? bank->max_batch : 128;

			for (size_t j = i; j < r->n && k < max; j++)
				if (r->orders[j].payout_id && !strcmp(r->rows[j].channel, r->rows[i].channel)) {
					chunk[k] = r->orders[j];
					at[k++] = j;
				}
			{
				struct bank_result out[128];

				memset(out, 0, sizeof out);
				bank->send(bank->self, chunk, k, out);
				for (size_t m = 0; m < k; m++) {
					r->results[at[m]] = out[m];
					r->orders[at[m]].payout_id = NULL;
					r->rep->amount_sent += r->rows[at[m]].amount;
				}
			}
		}
	}
	for (size_t i = 0; i < r->n; i++)
		payee_wipe(&r->payees[i]);
}

static int pass(struct run *r, const struct claim_queue *q, int mode, int64_t min_age, struct settle_err *err)
{
	const struct payout_ctx *c = r->c;
	size_t limit = r->req.limit;

	r->mode = mode;
	r->req.queue = q;
	r->req.min_age_s = min_age;
	for (;;) {
		time_sql(c->clock->now_us(c->clock->self), r->now);
		r->req.now = r->now;
		memset(r->orders, 0, limit * sizeof *r->orders);
		if (uow_run(c->uow, claim_tx, r, err) < 0)
			return -1;
		if (r->n_ids == 0)
			return 0;
		r->rep->looked_at += (int64_t)r->n;
		if (mode == 0) {
			check_ready(r);
			time_sql(c->clock->now_us(c->clock->self), r->now);
			if (uow_run(c->uow, intent_tx, r, err) < 0)
				return -1;
		}
		FAILPOINT(mode == 0 ? "payout.after_intent" : "payout.after_claim");
		call_banks(r);
		FAILPOINT("payout.after_call");
		time_sql(c->clock->now_us(c->clock->self), r->now);
		if (uow_run(c->uow, outcome_tx, r, err) < 0)
			return -1;
		if (r->n_ids < limit)
			return 0;
	}
}

/* HELD payouts whose leader can now be reached go back to PENDING. */
static int promote_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct payout_ctx *c = r->c;

	if (c->claims->claim(c->claims->self, tx, &r->req, r->ids, &r->n_ids, err) < 0 ||
	    c->payouts->load_many(c->payouts->self, tx, r->ids, r->n_ids, r->rows, &r->n, err) < 0)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		struct payee pe;
		struct settle_err e = {0};
		struct bank_port *bank = bank_for(r, r->rows[i].channel, &e);
		int rc = c->payees->get(c->payees->self, tx, r->rows[i].leader_id, &pe, err);

		if (rc < 0)
			return -1;
		payee_wipe(&pe);
		if (rc == 0 || !bank || !(bank->needs_account ? pe.has_account : pe.seller_id[0] != '\0')) {
			/* Keeps its claim until the lease ends, so this run does
			 * not pick it up again. */
			r->rep->still_held++;
			r->ids[i] = 0;
			continue;
		}
		if (payout_transition(r->rows[i].status, PAYOUT_PENDING, err) < 0)
			return -1;
		r->rows[i].status = PAYOUT_PENDING;
		/* Due at once: the reason it waited is gone. */
		r->rows[i].next_check_at[0] = '\0';
		r->rows[i].failure_code[0] = r->rows[i].failure_message[0] = '\0';
		if (c->payouts->save(c->payouts->self, tx, &r->rows[i], r->now, err) < 0)
			return -1;
		r->rep->promoted++;
	}
	return c->claims->release(c->claims->self, tx, &r->req, r->ids, r->n_ids, err);
}

int payout_send(const struct payout_ctx *c, struct payout_report *rep, struct settle_err *err)
{
	size_t limit = (size_t)(c->batch > 0 ? c->batch : 100);
	struct run r;
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	memset(&r, 0, sizeof r);
	r.c = c;
	r.rep = rep;
	r.req = (struct claim_req){.owner = c->owner ? c->owner : "settle", .lease_s = c->lease_s > 0 ? c->lease_s : 60,
				   .limit = limit};
	r.ids = calloc(limit, sizeof *r.ids);
	r.rows = calloc(limit, sizeof *r.rows);
	r.payees = calloc(limit, sizeof *r.payees);
	r.results = calloc(limit, sizeof *r.results);
	r.orders = calloc(limit, sizeof *r.orders);
	r.ready = calloc(limit, sizeof *r.ready);
	if (!r.ids || !r.rows || !r.payees || !r.results || !r.orders || !r.ready) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	/* HELD first (one pass: what stays HELD is counted, not retried). */
	r.req.queue = &q_held;
	time_sql(c->clock->now_us(c->clock->self), r.now);
	r.req.now = r.now;
	for (;;) {
		if (uow_run(c->uow, promote_tx, &r, err) < 0) {
			rc = -1;
			goto out;
		}
		if (r.n_ids < limit)
			break;
	}
	if (pass(&r, &q_pending, 0, 0, err) < 0 || pass(&r, &q_sending, 1, 60, err) < 0 ||
	    pass(&r, &q_sent, 1, 0, err) < 0)
		rc = -1;
	/* What another live sender holds is work this run did not do. */
	for (size_t k = 0; rc == 0 && k < 2; k++) {
		int64_t held = 0;
		char until[32];

		r.req.queue = k ? &q_sending : &q_pending;
		if (c->claims->held_by_others(c->claims->self, NULL, &r.req, &held, until, sizeof until, err) < 0)
			rc = -1;
		rep->held_by_others += held;
	}
out:
	close_banks(&r);
	free(r.ids);
	free(r.rows);
	if (r.payees)
		for (size_t i = 0; i < limit; i++)
			payee_wipe(&r.payees[i]);
	free(r.payees);
	free(r.results);
	free(r.orders);
	free(r.ready);
	return rc;
}
