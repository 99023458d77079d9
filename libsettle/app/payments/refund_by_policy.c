/* refund_by_policy.c — pay-refund under a refund policy (see refund_by_policy.h). */
#include "app/payments/refund_by_policy.h"

#include <stdio.h>
#include <string.h>

#include "app/payments/internal.h"
#include "domain/money.h"
#include "domain/release.h"
#include "domain/validate.h"

/* The policy (and version) for payment p into how; 1 when one applies, 0
 * when none can (only allowed for a plain refund: strict = 0), -1. */
static int resolve(const struct policy_refund_ctx *c, struct uow *tx, const struct payment_rec *p, int strict,
		   struct policy_refund_how *how, const struct policy_version **version, struct policy_versions *named,
		   struct settle_err *err)
{
	const struct policy_versions *vs = c->default_policy;
	struct pod_terms pt;
	int64_t paid_us;
	int rc = c->terms->pod(c->terms->self, tx, p->pod_id, &pt, err);

	if (rc < 0)
		return -1;
	if (rc == 0 || !pt.starts_on[0] || !pt.ends_on[0])
		return strict ? err_set(err, SETTLE_EX_DATAERR,
					"payment %s: its pod %s has no dates in settle (not loaded); a refund by policy "
					"needs the pod's start and end",
					p->public_id, p->pod_id)
			      : 0;
	if (pt.policy[0]) {
		if (c->terms->versions(c->terms->self, tx, pt.policy, named, err) < 0)
			return -1;
		if (named->n == 0)
			return err_set(err, SETTLE_EX_DATAERR, "pod %s names refund policy \"%s\", which is not loaded",
				       p->pod_id, pt.policy);
		vs = named;
	} else if (vs->n == 0) {
		return strict ? err_set(err, SETTLE_EX_CONFIG,
					"no default refund policy: [refund] policy is not set in settle.conf")
			      : 0;
	}
	if (time_parse_utc(p->approved_at[0] ? p->approved_at : p->created_at, &paid_us) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s: no time it was paid", p->public_id);
	memset(how, 0, sizeof *how);
	kst_date(paid_us, how->paid_on);
	snprintf(how->policy, sizeof how->policy, "%s", pt.policy[0] ? pt.policy : "default");
	*version = refund_policy_version_at(vs, how->paid_on);
	if (!*version)
		return strict ? err_set(err, SETTLE_EX_DATAERR,
					"payment %s was paid on %s, before the first version (%s) of refund policy %s",
					p->public_id, how->paid_on, vs->v[0].from, how->policy)
			      : 0;
	snprintf(how->version, sizeof how->version, "%s", (*version)->from);
	snprintf(how->starts_on, sizeof how->starts_on, "%s", pt.starts_on);
	snprintf(how->ends_on, sizeof how->ends_on, "%s", pt.ends_on);
	kst_date(c->pay->clock->now_us(c->pay->clock->self), how->today);
	how->applied = 1;
	return 1;
}

/* Quotes p under the resolved version and decides the amount and basis. */
static int decide(const struct policy_refund_ask *ask, const struct policy_version *v, const struct payment_rec *p,
		  int64_t asked, struct policy_refund_how *how, struct settle_err *err)
{
	int64_t remaining = p->amount - p->refunded - p->refund_pending, want;

	how->paid = p->amount;
	how->refunded = p->refunded + p->refund_pending;
	snprintf(how->currency, sizeof how->currency, "%s", p->currency);
	if (!how->applied) {
		how->basis = REFUND_MANUAL;
		how->amount = asked;
		return 0;
	}
	if (refund_policy_quote(&v->p, &(struct policy_facts){how->starts_on, how->ends_on, how->today, p->amount,
							      how->refunded},
				&how->q, err) < 0)
		return err_prefix(err, "payment %s, refund policy %s of %s", p->public_id, how->policy, how->version);
	refund_policy_step_text(&v->p.s[how->q.step], how->step_text, sizeof how->step_text);
	if (ask->by_policy) {
		if (how->q.amount == 0)
			return err_set(err, SETTLE_EX_DATAERR,
				       "payment %s: refund policy %s gives nothing more on %s (step %zu \"%s\", %lld "
				       "refunded already)",
				       p->public_id, how->policy, how->today, how->q.step + 1, how->step_text,
				       (long long)how->refunded);
		how->basis = REFUND_POLICY;
		how->amount = how->q.amount;
		return 0;
	}
	want = asked ? asked : remaining;
	if (want > how->q.amount) {
		if (!ask->override)
			return err_set(err, SETTLE_EX_DATAERR,
				       "payment %s: a refund of %lld exceeds the %lld refund policy %s gives on %s (step %zu "
				       "\"%s\"); --override --reason TEXT refunds more",
				       p->public_id, (long long)want, (long long)how->q.amount, how->policy, how->today,
				       how->q.step + 1, how->step_text);
		how->basis = REFUND_OVERRIDE;
	} else {
		if (ask->override)
			return err_set(err, SETTLE_EX_DATAERR,
				       "payment %s: %lld is within the %lld refund policy %s gives; --override is not needed",
				       p->public_id, (long long)want, (long long)how->q.amount, how->policy);
		how->basis = REFUND_MANUAL;
	}
	how->amount = asked;
	return 0;
}

/* What may be refunded of p and how much: its refund rules, the policy,
 * the quote. Under the payment's lock for a refund; tx NULL for a dry run. */
static int plan(const struct policy_refund_ctx *c, struct uow *tx, const struct policy_refund_ask *ask, int64_t asked,
		const struct payment_rec *p, struct policy_refund_how *how, struct settle_err *err)
{
	const struct policy_version *v = NULL;
	struct policy_versions named;
	int64_t dummy;
	int rc;

	if (refund_check(p, 0, ask->after_release, &dummy, err) < 0)
		return -1;
	rc = resolve(c, tx, p, ask->by_policy || ask->override, how, &v, &named, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		memset(how, 0, sizeof *how);
	return decide(ask, v, p, asked, how, err);
}

struct intent {
	const struct policy_refund_ctx *c;
	const struct policy_refund_ask *ask;
	int64_t asked;
	struct policy_refund_how *how;
	struct payment_rec *p;
	struct refund_rec *out;
	const char *now;
};

/* Locks the payment, plans the refund under the lock, and writes its
 * intent with its basis. */
static int intent_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct intent *a = arg;
	const struct pay_ctx *pc = a->c->pay;

	if (pc->r.payments->lock(pc->r.payments->self, tx, a->p->id, a->p, err) < 0 ||
	    plan(a->c, tx, a->ask, a->asked, a->p, a->how, err) < 0)
		return -1;
	if (refund_write_intent(pc, tx, a->p->id, a->how->amount, a->ask->reason, a->ask->after_release, a->now, a->out,
				err) < 0)
		return -1;
	/* A refund of all that remains: what refund_check took. */
	a->how->amount = a->out->amount;
	return a->c->terms->record(a->c->terms->self, tx, a->out->id,
				   &(struct refund_basis_rec){a->how->basis, a->how->applied ? a->how->policy : NULL,
							      a->how->applied ? a->how->version : NULL, a->how->q.amount,
							      a->how->basis == REFUND_OVERRIDE ? a->ask->reason : NULL},
				   err);
}

int pay_refund_by_policy(const struct policy_refund_ctx *c, const struct policy_refund_ask *ask,
			 struct policy_refund_how *how, struct refund_rec *out, struct settle_err *err)
{
	const struct payments_repo *pr = c->pay->r.payments;
	struct payment_rec p;
	struct money amount = {0, ""};
	char now[TIME_SQL_LEN];
	struct intent a = {c, ask, 0, how, &p, out, now};
	int rc;

	memset(how, 0, sizeof *how);
	if (ask->by_policy && ask->amount_text)
		return err_set(err, SETTLE_EX_USAGE, "--policy takes no --amount: the policy decides the amount");
	if (ask->override && !ask->amount_text)
		return err_set(err, SETTLE_EX_USAGE, "--override needs --amount (the amount above the policy's)");
	if (ask->override && (!ask->reason || !*ask->reason))
		return err_set(err, SETTLE_EX_USAGE, "--override needs --reason TEXT (recorded and reported)");
	if (validate_ref_id("payment id", ask->payment_id, err) < 0 || validate_text("--reason", ask->reason, 100, err) < 0)
		return -1;
	rc = pr->find(pr->self, NULL, PAY_BY_PUBLIC_ID, ask->payment_id, &p, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown payment %s", ask->payment_id);
	if (ask->amount_text) {
		if (money_parse(&amount, ask->amount_text, p.currency, err) < 0)
			return err_prefix(err, "--amount");
		if (amount.minor <= 0)
			return err_set(err, SETTLE_EX_DATAERR, "--amount must be positive");
	}
	a.asked = amount.minor;
	if (ask->dry_run)
		return plan(c, NULL, ask, a.asked, &p, how, err);
	pay_now(c->pay, now);
	if (uow_run(c->pay->r.uow, intent_tx, &a, err) < 0)
		return -1;
	return refund_complete(c->pay, &p, out, err);
}
