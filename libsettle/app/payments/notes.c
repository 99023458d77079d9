/*
 * notes.c — what the payments use cases tell people (issue 14): a receipt
 * when a payment completes, a notice when a refund completes or a place is
 * refused and refunded, a dispute's opening and resolution. Each is one
 * outbox note, added in the unit of work that makes the change.
 */
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
