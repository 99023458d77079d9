/*
 * notes.c — what the payments use cases tell people (issue 14): a receipt
 * when a payment completes, a notice when a refund completes or a place is
 * refused and refunded, a payment the customer was charged for that settle
 * could not complete, a dispute's opening and resolution. Each is one
 * outbox note (two where an operator gets a copy), added in the unit of
 * work that makes the change.
 */
#include <stdio.h>

#include "app/notify/note.h"
#include "app/payments/internal.h"

int pay_note_completed(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const char *now,
		       struct settle_err *err)
{
	struct outbox_note n;

	note_init(&n, "payment.completed", p->public_id, "user", p->user_id);
	note_fact(&n, "payment", "%s", p->public_id);
	note_fact(&n, "order", "%s", p->order_id);
	note_fact(&n, "pod", "%s", p->pod_id);
	note_fact(&n, "title", "%s", p->order_name);
	note_money(&n, "amount", p->amount, p->currency);
	note_fact(&n, "method", "%s", p->method);
	note_fact(&n, "at", "%s", now);
	return outbox_add(c->r.outbox, tx, &n, now, err);
}

int pay_note_refunded(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p,
		      const struct refund_rec *rf, const char *now, struct settle_err *err)
{
	struct outbox_note n;

	note_init(&n, "refund.completed", rf->public_id, "user", p->user_id);
	note_fact(&n, "refund", "%s", rf->public_id);
	note_fact(&n, "payment", "%s", p->public_id);
	note_fact(&n, "pod", "%s", p->pod_id);
	note_fact(&n, "title", "%s", p->order_name);
	note_money(&n, "amount", rf->amount, rf->currency);
	note_fact(&n, "reason", "%s", rf->reason);
	note_fact(&n, "at", "%s", now);
	return outbox_add(c->r.outbox, tx, &n, now, err);
}

int pay_note_place_refused(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const char *why,
			   const char *now, struct settle_err *err)
{
	struct outbox_note n;

	note_init(&n, "place.refused", p->public_id, "user", p->user_id);
	note_fact(&n, "payment", "%s", p->public_id);
	note_fact(&n, "pod", "%s", p->pod_id);
	note_fact(&n, "title", "%s", p->order_name);
	note_money(&n, "amount", p->amount, p->currency);
	note_fact(&n, "reason", "%s", why ? why : "");
	note_fact(&n, "at", "%s", now);
	return outbox_add(c->r.outbox, tx, &n, now, err);
}

/* A customer the PG charged whose payment settle cannot complete (the PG
 * took another amount; the place is gone and the money was not, or could
 * not be, given back): the customer is told a person is on it, and the
 * operators are told to be that person. One key per payment: the sweep
 * that meets the same mismatch again adds nothing. */
int pay_note_charged_failed(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const char *why,
			    const char *now, struct settle_err *err)
{
	struct outbox_note n[2];

	note_init(&n[0], "payment.failed_charged", p->public_id, "user", p->user_id);
	/* The operators' copy says what to do, to whom: a template of its own. */
	note_init(&n[1], "payment.failed_charged.ops", p->public_id, "operator", "ops");
	note_fact(&n[1], "user", "%s", p->user_id);
	for (int i = 0; i < 2; i++) {
		note_fact(&n[i], "payment", "%s", p->public_id);
		note_fact(&n[i], "order", "%s", p->order_id);
		note_fact(&n[i], "pod", "%s", p->pod_id);
		note_fact(&n[i], "title", "%s", p->order_name);
		note_money(&n[i], "amount", p->amount, p->currency);
		note_fact(&n[i], "reason", "%s", why && *why ? why : "-");
		note_fact(&n[i], "at", "%s", now);
	}
	return outbox_add_many(c->r.outbox, tx, n, 2, now, err);
}

/* A dispute's opening or resolution: to the pod's leader (read from the
 * pod, without a lock: the escrow's lock is held) and a copy to the
 * operators. A pod settle does not know has no leader to tell: the
 * operators still are. */
static int dispute_notes(const struct pay_ctx *c, struct uow *tx, const char *template_name,
			 const struct dispute_rec *d, const struct escrow *e, const char *now, struct settle_err *err)
{
	const struct pods_repo *pods = c->r.pods;
	struct outbox_note n[2];
	char leader[65] = "", ref[OUTBOX_KEY_MAX];
	int rc = pods && pods->leader_of ? pods->leader_of(pods->self, tx, d->pod_id, leader, sizeof leader, err) : 0;
	size_t k = 0;

	if (rc < 0)
		return -1;
	if (rc == 1 && leader[0])
		note_init(&n[k++], template_name, d->public_id, "leader", leader);
	snprintf(ref, sizeof ref, "%s:ops", d->public_id);
	note_init(&n[k++], template_name, ref, "operator", "ops");
	for (size_t i = 0; i < k; i++) {
		note_fact(&n[i], "dispute", "%s", d->public_id);
		note_fact(&n[i], "escrow", "%s", d->escrow_public_id);
		note_fact(&n[i], "pod", "%s", d->pod_id);
		note_fact(&n[i], "reason", "%s", d->reason);
		note_money(&n[i], "amount", e->amount - e->refunded, e->currency);
		note_fact(&n[i], "resolution", "%s", d->resolution[0] ? d->resolution : "-");
		note_fact(&n[i], "released", "%lld", (long long)d->release_amount);
		note_fact(&n[i], "refunded", "%lld", (long long)d->refund_amount);
		note_fact(&n[i], "at", "%s", now);
	}
	return outbox_add_many(c->r.outbox, tx, n, k, now, err);
}

int pay_note_dispute_opened(const struct pay_ctx *c, struct uow *tx, const struct dispute_rec *d,
			    const struct escrow *e, const char *now, struct settle_err *err)
{
	return dispute_notes(c, tx, "dispute.opened", d, e, now, err);
}

int pay_note_dispute_resolved(const struct pay_ctx *c, struct uow *tx, const struct dispute_rec *d,
			      const struct escrow *held, const char *now, struct settle_err *err)
{
	return dispute_notes(c, tx, "dispute.resolved", d, held, now, err);
}
