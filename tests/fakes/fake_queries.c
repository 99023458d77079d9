/* fake_queries.c — the payments read model in memory
 * (adapters/mysql/payment_queries.c): payments by id, order, user or pod;
 * refunds of a payment oldest first; its events. Reads only. */
#include <string.h>

#include "fakes/fakes.h"

static int payments(void *self, enum payment_list_by by, const char *id, int (*fn)(void *, const struct payment_rec *),
		    void *arg, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)err;
	for (size_t i = 0; i < s->db.n_payments; i++) {
		const struct fake_payment_row *row = &s->db.payments[i];
		const char *v = by == LIST_BY_ORDER_ID ? row->rec.order_id
				: by == LIST_BY_USER   ? row->rec.user_id
				: by == LIST_BY_POD    ? row->rec.pod_id
						       : row->rec.public_id;
		struct payment_rec p;

		if (!id || strcmp(v, id))
			continue;
		fake_payment_view(s, row, &p);
		if (fn(arg, &p) < 0)
			break;
	}
	return 0;
}

static int refunds(void *self, int64_t payment_id, int (*fn)(void *, const struct refund_rec *), void *arg,
		   struct settle_err *err)
{
	struct fake_store *s = self;

	(void)err;
	for (size_t i = 0; i < s->db.n_refunds; i++)
		if (s->db.refunds[i].rec.payment_id == payment_id && fn(arg, &s->db.refunds[i].rec) < 0)
			break;
	return 0;
}

static int events(void *self, int64_t payment_id, int (*fn)(void *, const struct payment_event_row *), void *arg,
		  struct settle_err *err)
{
	struct fake_store *s = self;

	(void)err;
	for (size_t i = 0; i < s->db.n_events; i++) {
		const struct fake_event_row *e = &s->db.events[i];
		struct payment_event_row ev = {e->at, e->from[0] ? e->from : NULL, e->to, e->actor, e->code,
					       e->message};

		if (e->payment_id == payment_id && fn(arg, &ev) < 0)
			break;
	}
	return 0;
}

void fake_payment_queries(struct payment_queries *out, struct fake_store *s)
{
	*out = (struct payment_queries){.self = s, .payments = payments, .refunds = refunds, .events = events};
}
