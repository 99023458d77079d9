/*
 * register.c — payout-send --register-sellers (see register.h). Each pass
 * claims a batch of leaders through the claims port (a short lease in the
 * row, so several runs share the work), commits the intent, calls the
 * seller registry outside any transaction, and commits the outcomes with
 * the claims given back.
 */
#include "app/payouts/register.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/timefmt.h"
#include "domain/validate.h"
#include "util/failpoint.h"

/* Leaders in doubt, due again. */
static const struct claim_queue q_doubt = {"leaders", "id", "seller_reg", "IN_DOUBT",
					   NULL, NULL, "seller_next_check_at"};
/* Intents a killed run left (older than the lease: no live run holds them). */
static const struct claim_queue q_sending = {"leaders", "id", "seller_reg", "SENDING", NULL, "seller_reg_at", NULL};
/* Leaders without a seller. */
static const struct claim_queue q_new = {"leaders", "id", "seller_reg", "NONE", "toss_seller_id", NULL,
					 "seller_next_check_at"};
/* Registered, not yet allowed to receive payouts. */
static const struct claim_queue q_wait = {"leaders", "id", "seller_reg", "WAITING", NULL, NULL, "seller_next_check_at"};

enum mode { M_LOOKUP, M_NEW, M_REFRESH };

struct run {
	const struct seller_reg_ctx *c;
	struct seller_reg_report *rep;
	struct claim_req req;
	char now[TIME_SQL_LEN];
	enum mode mode;
	int64_t *ids;
	size_t n_ids, n;
	struct seller_rec *recs;
	struct seller_result *res;
	int *act; /* 1: called, outcome to record */
	/* What to tell the operator about each row once its unit of work has
	 * committed (a retried unit starts them and the counts afresh). */
	const char **what;
	struct seller_reg_report base;
};

static void note(const struct seller_reg_ctx *c, const char *leader_id, const char *what, const char *code,
		 const char *message)
{
	if (c->note)
		c->note(c->note_arg, leader_id, what, code, message);
}

static void after(const struct run *r, int seconds, char out[TIME_SQL_LEN])
{
	time_sql(r->c->clock->now_us(r->c->clock->self) + (int64_t)seconds * 1000000, out);
}

static struct seller_application application(const struct seller_rec *s, char *key, size_t key_len)
{
	seller_idempotency_key(s->ref, s->attempt, key, key_len);
	return (struct seller_application){.leader_id = s->leader_id,
					   .ref_seller_id = s->ref,
					   .idempotency_key = key,
					   .kind = s->kind,
					   .name = s->name,
					   .representative_name = s->representative_name,
					   .business_number = s->business_number,
					   .email = s->email,
					   .phone = s->phone,
					   .bank_code = s->bank_code,
					   .account = s->account,
					   .holder = s->holder};
}

/* A new leader: incomplete (listed, looked at again after recheck_s) or
 * the intent (SENDING, refSellerId, attempt + 1). 1 when it is to be sent. */
static int intend(struct run *r, struct uow *tx, struct seller_rec *s, struct settle_err *err)
{
	const struct seller_reg_ctx *c = r->c;
	struct settle_err why = {0};
	char key[96];
	struct seller_application a;

	/* The refSellerId is the leader id: Toss takes [A-Za-z0-9_-] only. */
	snprintf(s->ref, sizeof s->ref, "%s", s->leader_id);
	a = application(s, key, sizeof key);
	if (seller_application_check(&a, &why) == 0 &&
	    validate_token("leader id (as refSellerId)", s->leader_id, 1, 64, "_-", "[A-Za-z0-9_-]", &why) < 0)
		err_prefix(&why, "leader %s cannot be registered as a seller", s->leader_id);
	if (why.msg[0]) {
		s->ref[0] = '\0';
		snprintf(s->code, sizeof s->code, "INCOMPLETE");
		snprintf(s->message, sizeof s->message, "%s", why.msg);
		after(r, c->recheck_s, s->next_check_at);
		r->rep->incomplete++;
		if (c->sellers->save(c->sellers->self, tx, s, r->now, err) < 0 ||
		    c->claims->release(c->claims->self, tx, &r->req, &s->id, 1, err) < 0)
			return -1;
		return 0;
	}
	if (seller_reg_transition(s->reg, SELLER_REG_SENDING, err) < 0)
		return err_prefix(err, "leader %s", s->leader_id);
	s->reg = SELLER_REG_SENDING;
	s->attempt++;
	s->code[0] = s->message[0] = s->next_check_at[0] = '\0';
	if (c->sellers->save(c->sellers->self, tx, s, r->now, err) < 0)
		return -1;
	return 1;
}

static int claim_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct seller_reg_ctx *c = r->c;

	r->n = 0;
	*r->rep = r->base;
	memset(r->what, 0, r->req.limit * sizeof *r->what);
	if (c->claims->claim(c->claims->self, tx, &r->req, r->ids, &r->n_ids, err) < 0)
		return -1;
	for (size_t i = 0; i < r->n_ids; i++) {
		struct seller_rec *s = &r->recs[r->n];
		int rc = c->sellers->lock(c->sellers->self, tx, r->ids[i], r->mode != M_REFRESH, s, err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		r->act[r->n] = 1;
		if (r->mode == M_NEW && (r->act[r->n] = intend(r, tx, s, err)) < 0)
			return -1;
		if (r->mode == M_NEW && !r->act[r->n])
			r->what[r->n] = "incomplete";
		if (r->mode == M_LOOKUP && !s->ref[0]) {
			/* an intent always names its refSellerId: a row without one was never sent */
			r->act[r->n] = 0;
			continue;
		}
		r->n++;
	}
	return 0;
}

/* Outside any transaction. */
static void call(struct run *r)
{
	struct seller_registry *g = r->c->registry;

	for (size_t i = 0; i < r->n; i++) {
		struct seller_rec *s = &r->recs[i];
		struct seller_result *res = &r->res[i];
		char key[96];
		struct seller_application a;

		memset(res, 0, sizeof *res);
		if (!r->act[i])
			continue;
		if (r->mode == M_REFRESH) {
			g->status(g->self, s->seller_id, res);
			r->rep->refreshed++;
			continue;
		}
		if (r->mode == M_LOOKUP) {
			/* Never sent again before Toss was asked whether it has it. */
			g->find(g->self, s->ref, res);
			if (!(res->outcome == SELLER_OK && res->status == SELLER_ST_NOT_FOUND))
				continue;
		}
		a = application(s, key, sizeof key);
		g->register_seller(g->self, &a, res);
	}
	for (size_t i = 0; i < r->n; i++)
		seller_rec_wipe(&r->recs[i]);
}

/* The outcome of one call onto s. */
static int apply(struct run *r, size_t i, struct seller_rec *s, struct settle_err *err)
{
	const struct seller_result *res = &r->res[i];
	const struct seller_reg_ctx *c = r->c;
	struct seller_reg_report *rep = r->rep;
	enum seller_reg to = s->reg;

	snprintf(s->code, sizeof s->code, "%s", res->code);
	snprintf(s->message, sizeof s->message, "%s", res->message);
	if (res->outcome == SELLER_OK && res->status == SELLER_ST_NOT_FOUND) {
		/* only a refresh gets here: the seller Toss had is gone */
		rep->not_found++;
		snprintf(s->code, sizeof s->code, "SELLER_NOT_FOUND");
		after(r, c->recheck_s, s->next_check_at);
		r->what[i] = "seller not found";
	} else if (res->outcome == SELLER_OK) {
		if (r->mode != M_REFRESH)
			rep->registered++;
		if (res->seller_id[0])
			snprintf(s->seller_id, sizeof s->seller_id, "%s", res->seller_id);
		snprintf(s->seller_status, sizeof s->seller_status, "%s",
			 res->status == SELLER_ST_UNKNOWN ? "UNKNOWN" : seller_status_name(res->status));
		to = seller_reg_for_status(res->status);
		if (to == SELLER_REG_READY) {
			rep->ready++;
			s->next_check_at[0] = '\0';
		} else {
			rep->waiting++;
			after(r, c->recheck_s, s->next_check_at);
		}
		s->code[0] = '\0';
	} else if (res->outcome == SELLER_REFUSED && r->mode != M_REFRESH) {
		rep->refused++;
		to = SELLER_REG_REFUSED;
		s->next_check_at[0] = '\0';
		r->what[i] = "refused";
	} else {
		rep->in_doubt++;
		if (r->mode != M_REFRESH)
			to = SELLER_REG_IN_DOUBT;
		after(r, c->doubt_backoff_s, s->next_check_at);
		r->what[i] = "in doubt";
	}
	if (to != s->reg && seller_reg_transition(s->reg, to, err) < 0)
		return err_prefix(err, "leader %s", s->leader_id);
	s->reg = to;
	return 0;
}

static int outcome_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;
	const struct seller_reg_ctx *c = r->c;

	*r->rep = r->base;
	memset(r->what, 0, r->req.limit * sizeof *r->what);
	for (size_t i = 0; i < r->n; i++) {
		struct seller_rec now;

		if (!r->act[i])
			continue;
		if (c->sellers->lock(c->sellers->self, tx, r->recs[i].id, 0, &now, err) < 0)
			return -1;
		if (now.reg != r->recs[i].reg)
			continue; /* finished meanwhile by another run */
		/* the outcome goes onto what the row holds now (the claim kept it ours) */
		if (apply(r, i, &now, err) < 0)
			return -1;
		if (c->sellers->save(c->sellers->self, tx, &now, r->now, err) < 0)
			return -1;
	}
	return c->claims->release(c->claims->self, tx, &r->req, r->ids, r->n_ids, err);
}

/* After a commit: one line per row the operator should hear about. */
static void tell(struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->what[i])
			note(r->c, r->recs[i].leader_id, r->what[i], r->act[i] ? r->res[i].code : r->recs[i].code,
			     r->act[i] ? r->res[i].message : r->recs[i].message);
}

static int pass(struct run *r, const struct claim_queue *q, enum mode mode, int64_t min_age, struct settle_err *err)
{
	const struct seller_reg_ctx *c = r->c;
	size_t limit = r->req.limit;

	r->mode = mode;
	r->req.queue = q;
	r->req.min_age_s = min_age;
	for (;;) {
		time_sql(c->clock->now_us(c->clock->self), r->now);
		r->req.now = r->now;
		r->base = *r->rep;
		if (uow_run(c->uow, claim_tx, r, err) < 0) {
			*r->rep = r->base;
			return -1;
		}
		tell(r);
		if (r->n_ids == 0)
			return 0;
		FAILPOINT(mode == M_NEW ? "seller.after_intent" : "seller.after_claim");
		call(r);
		FAILPOINT("seller.after_call");
		time_sql(c->clock->now_us(c->clock->self), r->now);
		r->base = *r->rep;
		if (uow_run(c->uow, outcome_tx, r, err) < 0) {
			*r->rep = r->base;
			return -1;
		}
		tell(r);
		if (r->n_ids < limit)
			return 0;
	}
}

int seller_register(const struct seller_reg_ctx *c, struct seller_reg_report *rep, struct settle_err *err)
{
	size_t limit = (size_t)(c->batch > 0 ? c->batch : 100);
	int lease = c->lease_s > 0 ? c->lease_s : 60;
	struct run r;
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	memset(&r, 0, sizeof r);
	r.c = c;
	r.rep = rep;
	r.req = (struct claim_req){.owner = c->owner ? c->owner : "settle", .lease_s = lease, .limit = limit};
	r.ids = calloc(limit, sizeof *r.ids);
	r.recs = calloc(limit, sizeof *r.recs);
	r.res = calloc(limit, sizeof *r.res);
	r.act = calloc(limit, sizeof *r.act);
	r.what = calloc(limit, sizeof *r.what);
	if (!c->registry)
		rc = err_set(err, SETTLE_EX_CONFIG, "no seller registry is configured");
	else if (!r.ids || !r.recs || !r.res || !r.act || !r.what)
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
	else if (pass(&r, &q_doubt, M_LOOKUP, 0, err) < 0 || pass(&r, &q_sending, M_LOOKUP, lease, err) < 0 ||
		 pass(&r, &q_new, M_NEW, 0, err) < 0 || pass(&r, &q_wait, M_REFRESH, 0, err) < 0)
		rc = -1;
	if (rc == 0) {
		int64_t held = 0;
		char until[32];

		r.req.queue = &q_new;
		if (c->claims->held_by_others(c->claims->self, NULL, &r.req, &held, until, sizeof until, err) < 0)
			rc = -1;
		rep->held_by_others = held;
	}
	if (r.recs)
		for (size_t i = 0; i < limit; i++)
			seller_rec_wipe(&r.recs[i]);
	free(r.ids);
	free(r.recs);
	free(r.res);
	free(r.act);
	free(r.what);
	return rc;
}
