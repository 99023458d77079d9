/*
 * dispute.c — escrow-dispute: a dispute holds an escrow out of the release
 * until an operator resolves it, once, by releasing it, refunding it, or
 * splitting it. Every step is in the dispute's history.
 *
 * Rule: the resolution, the escrow's new state and the intent of the
 * refund part are one unit of work; the PG is called after it commits,
 * like any refund (a crash leaves the refund for the sweep). The pod's
 * leader and the operators hear of the opening and of the resolution in
 * the unit that makes each (notes.c).
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/internal.h"
#include "domain/escrow.h"
#include "domain/money.h"
#include "domain/validate.h"
#include "util/log.h"

struct open_args {
	const struct pay_ctx *c;
	const char *escrow_id, *reason, *now;
	struct dispute_rec *out;
};

static int open_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct open_args *a = arg;
	const struct pay_repos *r = &a->c->r;
	struct escrow e;
	int rc = r->escrows->lock_by_public_id(r->escrows->self, tx, a->escrow_id, &e, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown escrow %s", a->escrow_id);
	if (e.status == ESCROW_RELEASED)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s was released to the pod; a refund now is a clawback "
			       "(pay-refund --after-release), not a dispute", e.public_id);
	if (e.status != ESCROW_HOLDING)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s is %s; only a HOLDING escrow can be disputed",
			       e.public_id, escrow_status_name(e.status));
	if (escrow_transition(e.status, ESCROW_DISPUTED, err) < 0)
		return err_prefix(err, "escrow %s", e.public_id);
	e.status = ESCROW_DISPUTED;
	memset(a->out, 0, sizeof *a->out);
	a->out->escrow_id = e.id;
	snprintf(a->out->escrow_public_id, sizeof a->out->escrow_public_id, "%s", e.public_id);
	snprintf(a->out->pod_id, sizeof a->out->pod_id, "%s", e.pod_id);
	snprintf(a->out->reason, sizeof a->out->reason, "%s", a->reason);
	snprintf(a->out->opened_by, sizeof a->out->opened_by, "%s", a->c->actor);
	snprintf(a->out->status, sizeof a->out->status, "OPEN");
	if (r->escrows->save(r->escrows->self, tx, &e, a->now, err) < 0 ||
	    r->disputes->open(r->disputes->self, tx, a->out, a->now, err) < 0)
		return -1;
	if (r->disputes->add_step(r->disputes->self, tx, a->out->id, "OPENED", a->c->actor, a->reason, a->now, err) < 0)
		return -1;
	return pay_note_dispute_opened(a->c, tx, a->out, &e, a->now, err);
}

int dispute_open(const struct pay_ctx *c, const char *escrow_id, const char *reason, struct dispute_rec *out,
		 struct settle_err *err)
{
	char now[TIME_SQL_LEN];
	struct open_args a = {c, escrow_id, reason, now, out};

	if (validate_ref_id("escrow id", escrow_id, err) < 0 || validate_text("--reason", reason, 500, err) < 0)
		return -1;
	pay_now(c, now);
	return uow_run(c->r.uow, open_tx, &a, err);
}

struct resolve_args {
	const struct pay_ctx *c;
	const char *escrow_id, *now;
	enum dispute_how how;
	int64_t amount; /* --refund --amount, or --split's leader amount; 0 = not given */
	struct dispute_rec *out;
	struct refund_rec *refund;
	int64_t payment_id;
};

/* What goes where: (release, refund) of what the escrow holds. */
static int split_of(const struct escrow *e, enum dispute_how how, int64_t amount, int64_t *release, int64_t *refund,
		    struct settle_err *err)
{
	int64_t held = e->amount - e->refunded;

	switch (how) {
	case DISPUTE_RELEASE:
		*release = held;
		*refund = 0;
		return 0;
	case DISPUTE_REFUND:
		*refund = amount ? amount : held;
		if (*refund <= 0 || *refund > held)
			return err_set(err, SETTLE_EX_DATAERR, "--amount %lld: escrow %s holds %lld", (long long)*refund,
				       e->public_id, (long long)held);
		*release = held - *refund;
		return 0;
	case DISPUTE_SPLIT:
		if (amount <= 0 || amount >= held)
			return err_set(err, SETTLE_EX_DATAERR,
				       "--split %lld: the part released to the pod must be more than 0 and less than the %lld "
				       "escrow %s holds",
				       (long long)amount, (long long)held, e->public_id);
		*release = amount;
		*refund = held - amount;
		return 0;
	}
	return err_set(err, SETTLE_EX_SOFTWARE, "unknown resolution");
}

static int resolve_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	static const char *const names[] = {"RELEASE", "REFUND", "SPLIT"};
	struct resolve_args *a = arg;
	const struct pay_repos *r = &a->c->r;
	struct escrow e, held;
	int64_t release = 0, refund = 0;
	char step[160];
	int rc = r->escrows->lock_by_public_id(r->escrows->self, tx, a->escrow_id, &e, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown escrow %s", a->escrow_id);
	rc = r->disputes->lock_open(r->disputes->self, tx, e.id, a->out, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || e.status != ESCROW_DISPUTED)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s has no open dispute (it is %s)", e.public_id,
			       escrow_status_name(e.status));
	held = e;
	if (split_of(&e, a->how, a->amount, &release, &refund, err) < 0 || escrow_resolve(&e, release, refund, err) < 0)
		return -1;
	snprintf(a->out->resolution, sizeof a->out->resolution, "%s", names[a->how]);
	a->out->release_amount = release;
	a->out->refund_amount = refund;
	snprintf(step, sizeof step, "released to the pod %lld, refunded %lld", (long long)release, (long long)refund);
	if (r->escrows->save(r->escrows->self, tx, &e, a->now, err) < 0 ||
	    r->disputes->resolve(r->disputes->self, tx, a->out, a->now, err) < 0 ||
	    r->disputes->add_step(r->disputes->self, tx, a->out->id, "RESOLVED", a->c->actor, step, a->now, err) < 0)
		return -1;
	snprintf(a->out->status, sizeof a->out->status, "RESOLVED");
	if (pay_note_dispute_resolved(a->c, tx, a->out, &held, a->now, err) < 0)
		return -1;
	a->payment_id = e.payment_id;
	if (refund == 0)
		return 0;
	return refund_write_intent(a->c, tx, e.payment_id, refund, "dispute resolved", 0, a->now, a->refund, err);
}

int dispute_resolve(const struct pay_ctx *c, const char *escrow_id, enum dispute_how how, const char *amount_text,
		    struct dispute_rec *out, struct refund_rec *refund, struct settle_err *err)
{
	char now[TIME_SQL_LEN];
	struct resolve_args a = {c, escrow_id, now, how, 0, out, refund, 0};
	struct payment_rec p;
	struct pg_result res;
	enum outcome_kind kind;
	size_t got = 0;

	memset(refund, 0, sizeof *refund);
	if (validate_ref_id("escrow id", escrow_id, err) < 0)
		return -1;
	if (amount_text) {
		struct money m;

		if (money_parse(&m, amount_text, "KRW", err) < 0)
			return err_prefix(err, how == DISPUTE_SPLIT ? "--split" : "--amount");
		if (m.minor <= 0)
			return err_set(err, SETTLE_EX_DATAERR, "%s must be positive",
				       how == DISPUTE_SPLIT ? "--split" : "--amount");
		a.amount = m.minor;
	}
	pay_now(c, now);
	if (uow_run(c->r.uow, resolve_tx, &a, err) < 0)
		return -1;
	if (out->refund_amount == 0)
		return 0;
	/* The refund part: its intent is committed with the resolution. */
	if (c->r.payments->load_many(c->r.payments->self, NULL, &a.payment_id, 1, &p, &got, err) < 0 || got != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "payment of escrow %s vanished", escrow_id);
	if (refund_send(c, &p, refund, &kind, &res, err) < 0)
		return -1;
	if (c->r.refunds->find(c->r.refunds->self, NULL, refund->public_id, refund, err) != 1)
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "refund vanished");
	if (kind == OUT_REFUND_DOUBT)
		return err_set(err, SETTLE_EX_TEMPFAIL, "dispute resolved; its refund %s is in doubt and left for "
			       "`pay-capture --sweep`", refund->public_id);
	if (kind == OUT_REFUND_FAILED)
		return err_set(err, SETTLE_EX_DATAERR, "dispute resolved, but the PG refused its refund %s: %s %s",
			       refund->public_id, res.code, res.message);
	return 0;
}
