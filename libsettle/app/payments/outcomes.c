/*
 * outcomes.c — what each outcome of a PG call (or of a Study Service call)
 * does to the aggregates, composed from the repositories inside one unit
 * of work. The rules are domain/'s: transitions, the escrow a capture
 * creates, what a refund may take, the postings of each event.
 *
 * Rule: applying an outcome twice changes nothing the second time (a
 * re-run, a sweep and a live capture may all finish the same payment), and
 * every money move posts its journal entry in the same unit of work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payments/internal.h"
#include "domain/escrow.h"
#include "domain/postings.h"
#include "util/log.h"

struct apply {
	const struct pay_ctx *c;
	struct outcomes_batch *b;
	const char *now;
	struct journal_entry *entries;
	char (*keys)[ENTRY_KEY_MAX];
	const char **key_ptrs;
	size_t n_entries;
};

static int set_status(struct apply *a, struct uow *tx, struct payment_rec *p, enum payment_status to,
		      const char *code, const char *message, struct settle_err *err)
{
	const struct payments_repo *pr = a->c->r.payments;
	struct payment_event ev = {payment_status_name(p->status), payment_status_name(to), a->c->actor, code, message};

	if (payment_transition(p->status, to, err) < 0)
		return err_prefix(err, "payment %s", p->public_id);
	p->status = to;
	snprintf(p->pg_code, sizeof p->pg_code, "%s", code ? code : "");
	snprintf(p->pg_message, sizeof p->pg_message, "%s", message ? message : "");
	if (pr->save(pr->self, tx, p, a->now, err) < 0)
		return -1;
	return pr->add_event(pr->self, tx, p->id, &ev, a->now, err);
}

static struct journal_entry *next_entry(struct apply *a, char **key)
{
	*key = a->keys[a->n_entries];
	a->key_ptrs[a->n_entries] = a->keys[a->n_entries];
	return &a->entries[a->n_entries];
}

static int captured(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct pay_repos *r = &a->c->r;
	struct payment_rec p;
	struct escrow e;
	struct journal_entry *e_new;
	char *key;

	if (r->payments->lock(r->payments->self, tx, o->id, &p, err) < 0)
		return -1;
	if (p.status == PAY_COMPLETED || p.status == PAY_PARTIALLY_REFUNDED || p.status == PAY_REFUNDED)
		return 0; /* already done by another run: nothing twice */
	if (o->pg && o->pg->total_amount != p.amount)
		return err_set(err, SETTLE_EX_DATAERR, "order %s: PG confirmed %lld but the order is %lld; refusing",
			       p.order_id, (long long)o->pg->total_amount, (long long)p.amount);
	/* The key the PG confirmed for this order is now the payment's own. */
	if (!p.payment_key[0] && o->pg)
		snprintf(p.payment_key, sizeof p.payment_key, "%s", o->pg->payment_key);
	snprintf(p.approved_at, sizeof p.approved_at, "%s", a->now);
	p.doubt_count = 0;
	p.next_check_at[0] = '\0';
	if (set_status(a, tx, &p, PAY_COMPLETED, NULL, NULL, err) < 0 || pay_keep_card(a->c, tx, &p, o->pg, err) < 0)
		return -1;
	escrow_on_capture(&p, &e);
	if (r->escrows->insert(r->escrows->self, tx, &e, a->now, err) < 0 ||
	    r->participation->enqueue(r->participation->self, tx, p.id, p.pod_id, p.user_id, a->now, err) < 0)
		return -1;
	e_new = next_entry(a, &key);
	if (postings_capture(&p, e_new, key, err) < 0 || pay_note_completed(a->c, tx, &p, a->now, err) < 0)
		return -1;
	a->n_entries++;
	return 0;
}

static int await_deposit(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct payments_repo *pr = a->c->r.payments;
	struct payment_rec p;

	if (pr->lock(pr->self, tx, o->id, &p, err) < 0)
		return -1;
	if (p.status == PAY_WAITING_FOR_DEPOSIT)
		return 0;
	if (o->pg) {
		snprintf(p.va_secret, sizeof p.va_secret, "%s", o->pg->secret);
		snprintf(p.va_bank, sizeof p.va_bank, "%s", o->pg->va_bank);
		snprintf(p.va_account, sizeof p.va_account, "%s", o->pg->va_account);
		snprintf(p.va_due, sizeof p.va_due, "%s", o->pg->va_due);
		if (!p.payment_key[0])
			snprintf(p.payment_key, sizeof p.payment_key, "%s", o->pg->payment_key);
	}
	p.doubt_count = 0;
	p.next_check_at[0] = '\0';
	return set_status(a, tx, &p, PAY_WAITING_FOR_DEPOSIT, NULL, NULL, err);
}

static int ended(struct apply *a, struct uow *tx, const struct outcome *o, enum payment_status to,
		 struct settle_err *err)
{
	const struct payments_repo *pr = a->c->r.payments;
	struct payment_rec p;

	if (pr->lock(pr->self, tx, o->id, &p, err) < 0)
		return -1;
	if (p.status == to)
		return 0;
	p.next_check_at[0] = '\0';
	if (set_status(a, tx, &p, to, o->code, o->message, err) < 0)
		return -1;
	/* A refused card counts for settle-watch's card rule as much as a paid one. */
	return to == PAY_FAILED ? pay_keep_card(a->c, tx, &p, o->pg, err) : 0;
}

static void set_next_check(char *buf, size_t len, int64_t us)
{
	char t[TIME_SQL_LEN];

	time_sql(us, t);
	snprintf(buf, len, "%s", t);
}

static int payment_doubt(struct apply *a, struct uow *tx, const struct outcome *o, int note, struct settle_err *err)
{
	const struct payments_repo *pr = a->c->r.payments;
	struct payment_rec p;
	struct payment_event ev;

	if (pr->lock(pr->self, tx, o->id, &p, err) < 0)
		return -1;
	set_next_check(p.next_check_at, sizeof p.next_check_at, o->next_check_us);
	if (!note) /* a deposit still awaited: only the next look is due */
		return pr->save(pr->self, tx, &p, a->now, err);
	p.doubt_count++;
	snprintf(p.pg_code, sizeof p.pg_code, "%s", o->code ? o->code : "");
	snprintf(p.pg_message, sizeof p.pg_message, "%s", o->message ? o->message : "");
	if (pr->save(pr->self, tx, &p, a->now, err) < 0)
		return -1;
	/* The PG took the money, settle refuses what it took: a person must
	 * act, and the customer should hear so (once, however often the
	 * sweep meets it again). */
	if (o->charged && pay_note_charged_failed(a->c, tx, &p, o->message, a->now, err) < 0)
		return -1;
	ev = (struct payment_event){payment_status_name(p.status), payment_status_name(p.status), a->c->actor, o->code,
				    o->message && *o->message ? o->message : "in doubt: will ask the PG"};
	return pr->add_event(pr->self, tx, p.id, &ev, a->now, err);
}

/* A refund of settled money: the settlement's accounts give back their
 * cumulative share (domain/settlement.h), recorded as a clawback that the
 * leader's next payout carries. */
static int clawback(struct apply *a, struct uow *tx, const struct refund_rec *rf, const char *pg,
		    int64_t settlement_id, struct journal_entry *e, char *key, struct settle_err *err)
{
	const struct clawbacks_repo *cr = a->c->r.clawbacks;
	struct settled_rec s;
	struct clawback_split c;
	char id[41];

	if (!cr)
		return err_set(err, SETTLE_EX_SOFTWARE, "refund %s reaches a settlement, but no clawbacks repository "
			       "is wired", rf->public_id);
	if (cr->lock_settlement(cr->self, tx, settlement_id, &s, err) < 0 ||
	    clawback_split(&s.split, s.clawed_back, rf->amount, &c, err) < 0 ||
	    cr->insert(cr->self, tx, &s, rf->id, &c, id, a->now, err) < 0)
		return -1;
	return postings_clawback(rf, pg, s.leader_id, &c, e, key, err);
}

static int refunded(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct pay_repos *r = &a->c->r;
	struct refund_rec rf;
	struct payment_rec p, after;
	struct escrow e;
	struct journal_entry *e_new;
	char *key;
	int rc, was_released;

	if (r->refunds->lock(r->refunds->self, tx, o->id, &rf, err) < 0)
		return -1;
	if (rf.status == REFUND_COMPLETED)
		return 0;
	if (refund_transition(rf.status, REFUND_COMPLETED, err) < 0)
		return err_prefix(err, "refund %s", rf.public_id);
	if (r->payments->lock(r->payments->self, tx, rf.payment_id, &p, err) < 0)
		return -1;
	rf.status = REFUND_COMPLETED;
	snprintf(rf.pg_transaction_key, sizeof rf.pg_transaction_key, "%s", o->pg ? o->pg->last_transaction_key : "");
	rf.pg_code[0] = rf.pg_message[0] = '\0';
	rf.next_check_at[0] = '\0';
	if (r->refunds->save(r->refunds->self, tx, &rf, a->now, err) < 0)
		return -1;
	if (refund_apply_to_payment(&p, rf.amount, &after, err) < 0)
		return -1;
	{
		enum payment_status to = after.status;

		after.status = p.status; /* set_status records the move from here */
		if (set_status(a, tx, &after, to, NULL, NULL, err) < 0)
			return -1;
	}
	rc = r->escrows->lock_by_payment(r->escrows->self, tx, p.id, &e, err);
	if (rc != 1)
		return rc < 0 ? -1 : err_set(err, SETTLE_EX_DATAERR, "payment %s has no escrow to refund from",
					     p.public_id);
	was_released = e.status == ESCROW_RELEASED;
	if (escrow_apply_refund(&e, rf.amount, err) < 0 || r->escrows->save(r->escrows->self, tx, &e, a->now, err) < 0)
		return -1;
	e_new = next_entry(a, &key);
	if (!was_released)
		rc = postings_refund(&p, &rf, e_new, key, err);
	else if (!e.settlement_id)
		rc = postings_refund_released(&p, &rf, e_new, key, err);
	else
		rc = clawback(a, tx, &rf, p.pg, e.settlement_id, e_new, key, err);
	if (rc < 0 || pay_note_refunded(a->c, tx, &p, &rf, a->now, err) < 0)
		return -1;
	a->n_entries++;
	return 0;
}

static int refund_failed(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct pay_repos *r = &a->c->r;
	struct payment_event ev = {NULL, "REFUND_FAILED", a->c->actor, o->code, o->message};
	struct refund_rec rf;

	if (r->refunds->lock(r->refunds->self, tx, o->id, &rf, err) < 0)
		return -1;
	if (rf.status == REFUND_FAILED)
		return 0;
	if (refund_transition(rf.status, REFUND_FAILED, err) < 0)
		return err_prefix(err, "refund %s", rf.public_id);
	rf.status = REFUND_FAILED;
	snprintf(rf.pg_code, sizeof rf.pg_code, "%s", o->code ? o->code : "");
	snprintf(rf.pg_message, sizeof rf.pg_message, "%s", o->message ? o->message : "");
	rf.next_check_at[0] = '\0';
	if (r->refunds->save(r->refunds->self, tx, &rf, a->now, err) < 0 ||
	    r->payments->add_event(r->payments->self, tx, rf.payment_id, &ev, a->now, err) < 0)
		return -1;
	/* The refund of a refused place failed: the customer paid for a place
	 * they do not have and did not get the money back. Locked after the
	 * refund, as refunded() does. */
	if (!strcmp(rf.reason, PAY_PLACE_REFUSED_REASON)) {
		struct payment_rec p;
		char why[300];

		if (r->payments->lock(r->payments->self, tx, rf.payment_id, &p, err) < 0)
			return -1;
		snprintf(why, sizeof why, "the place was refused and its refund %s failed: %s %s", rf.public_id,
			 rf.pg_code, rf.pg_message);
		return pay_note_charged_failed(a->c, tx, &p, why, a->now, err);
	}
	return 0;
}

static int refund_doubt(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct refunds_repo *rr = a->c->r.refunds;
	struct refund_rec rf;

	if (rr->lock(rr->self, tx, o->id, &rf, err) < 0)
		return -1;
	rf.doubt_count++;
	set_next_check(rf.next_check_at, sizeof rf.next_check_at, o->next_check_us);
	snprintf(rf.pg_code, sizeof rf.pg_code, "%s", o->code ? o->code : "");
	snprintf(rf.pg_message, sizeof rf.pg_message, "%s", o->message ? o->message : "");
	return rr->save(rr->self, tx, &rf, a->now, err);
}

/* The Study Service refused the place for good: record it on the payment
 * and, by default, write the intent of a full refund in this same unit. */
static int place_refused(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct pay_repos *r = &a->c->r;
	struct payment_rec p;
	struct payment_event ev;
	struct refund_rec rf;
	struct new_refund nr;
	struct settle_err why = {0};
	int64_t amount;

	if (r->participation->record(r->participation->self, tx, o->id, PART_REFUSED, o->message, NULL, a->now, err) < 0)
		return -1;
	if (r->payments->lock(r->payments->self, tx, o->id, &p, err) < 0)
		return -1;
	ev = (struct payment_event){payment_status_name(p.status), payment_status_name(p.status), a->c->actor,
				    "PLACE_REFUSED", o->message};
	if (r->payments->add_event(r->payments->self, tx, p.id, &ev, a->now, err) < 0)
		return -1;
	if (!a->c->set.refund_on_place_refused)
		return pay_note_charged_failed(a->c, tx, &p, "the place was refused; no refund is started by itself",
					       a->now, err);
	if (refund_check(&p, 0, 0, &amount, &why) < 0) {
		/* Already refunded or a refund in flight: nothing more to ask. */
		log_kv(LOG_WARN, "participation.refused_no_refund", "payment", p.public_id, "why", why.msg, (char *)NULL);
		return 0;
	}
	nr = (struct new_refund){p.id, amount, p.currency, PAY_PLACE_REFUSED_REASON};
	if (r->refunds->insert(r->refunds->self, tx, &nr, a->now, &rf, err) < 0 ||
	    pay_note_place_refused(a->c, tx, &p, o->message, a->now, err) < 0)
		return -1;
	ev = (struct payment_event){payment_status_name(p.status), payment_status_name(p.status), a->c->actor, NULL,
				    "refund requested: place refused"};
	if (r->payments->add_event(r->payments->self, tx, p.id, &ev, a->now, err) < 0)
		return -1;
	if (a->b->refund_ids)
		a->b->refund_ids[a->b->n_refunds++] = rf.id;
	return 0;
}

static int apply_one(struct apply *a, struct uow *tx, const struct outcome *o, struct settle_err *err)
{
	const struct participation_repo *pq = a->c->r.participation;
	char next[TIME_SQL_LEN];

	switch (o->kind) {
	case OUT_CAPTURED: return captured(a, tx, o, err);
	case OUT_AWAIT_DEPOSIT: return await_deposit(a, tx, o, err);
	case OUT_FAILED: return ended(a, tx, o, PAY_FAILED, err);
	case OUT_EXPIRED: return ended(a, tx, o, PAY_EXPIRED, err);
	case OUT_DOUBT: return payment_doubt(a, tx, o, 1, err);
	case OUT_RECHECK: return payment_doubt(a, tx, o, 0, err);
	case OUT_REFUNDED: return refunded(a, tx, o, err);
	case OUT_REFUND_FAILED: return refund_failed(a, tx, o, err);
	case OUT_REFUND_DOUBT: return refund_doubt(a, tx, o, err);
	case OUT_PARTICIPATION_DONE: return pq->record(pq->self, tx, o->id, PART_DONE, NULL, NULL, a->now, err);
	case OUT_PARTICIPATION_RETRY:
		time_sql(o->next_check_us, next);
		return pq->record(pq->self, tx, o->id, PART_RETRY, o->message, next, a->now, err);
	case OUT_PARTICIPATION_REFUSED: return place_refused(a, tx, o, err);
	}
	return err_set(err, SETTLE_EX_SOFTWARE, "unknown outcome kind %d", (int)o->kind);
}

static int apply_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct apply *a = arg;

	/* The unit may run again after a deadlock: start clean. */
	a->n_entries = 0;
	a->b->n_refunds = 0;
	for (size_t i = 0; i < a->b->n; i++)
		if (apply_one(a, tx, &a->b->o[i], err) < 0)
			return -1;
	if (a->c->r.ledger->post(a->c->r.ledger->self, tx, a->key_ptrs, a->entries, a->n_entries, a->now, err) < 0)
		return -1;
	return a->b->also ? a->b->also(tx, a->b->also_arg, err) : 0;
}

int outcomes_apply_batch(const struct pay_ctx *c, struct outcomes_batch *b, struct settle_err *err)
{
	char now[TIME_SQL_LEN];
	struct apply a = {.c = c, .b = b, .now = now};
	int rc;

	b->n_refunds = 0;
	if (b->n == 0 && !b->also)
		return 0;
	pay_now(c, now);
	a.entries = calloc(b->n ? b->n : 1, sizeof *a.entries);
	a.keys = calloc(b->n ? b->n : 1, sizeof *a.keys);
	a.key_ptrs = calloc(b->n ? b->n : 1, sizeof *a.key_ptrs);
	if (!a.entries || !a.keys || !a.key_ptrs)
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
	else
		rc = uow_run(c->r.uow, apply_tx, &a, err);
	free(a.entries);
	free(a.keys);
	free(a.key_ptrs);
	return rc;
}

int outcomes_apply(const struct pay_ctx *c, const struct outcome *o, size_t n, int64_t *refund_ids, size_t *n_refunds,
		   struct settle_err *err)
{
	struct outcomes_batch b = {.o = o, .n = n, .refund_ids = refund_ids};
	int rc = outcomes_apply_batch(c, &b, err);

	if (n_refunds)
		*n_refunds = b.n_refunds;
	return rc;
}
