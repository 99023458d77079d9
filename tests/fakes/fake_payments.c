/* fake_payments.c — the payments repository in memory, mirroring
 * adapters/mysql/payments_repo.c: the key a redirect brought is kept apart
 * from the key the payment owns (unique per PG), one live place per pod and
 * user, save writes the mutable columns only. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

#define CPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

struct fake_payment_row *fake_payment_row(struct fake_store *s, int64_t id)
{
	for (size_t i = 0; i < s->db.n_payments; i++)
		if (s->db.payments[i].rec.id == id)
			return &s->db.payments[i];
	return NULL;
}

struct escrow *fake_escrow_of(struct fake_store *s, int64_t payment_id)
{
	for (size_t i = 0; i < s->db.n_escrows; i++)
		if (s->db.escrows[i].payment_id == payment_id)
			return &s->db.escrows[i];
	return NULL;
}

void fake_payment_view(struct fake_store *s, const struct fake_payment_row *row, struct payment_rec *out)
{
	const struct escrow *e = fake_escrow_of(s, row->rec.id);

	*out = row->rec;
	/* COALESCE(payment_key, attempt_key, '') */
	CPY(out->payment_key, row->owned_key[0] ? row->owned_key : row->attempt_key);
	out->refund_pending = 0;
	for (size_t i = 0; i < s->db.n_refunds; i++)
		if (s->db.refunds[i].rec.payment_id == row->rec.id && s->db.refunds[i].rec.status == REFUND_REQUESTED)
			out->refund_pending += s->db.refunds[i].rec.amount;
	out->escrow_id[0] = out->escrow_status[0] = '\0';
	out->escrow_amount = out->escrow_refunded = 0;
	if (e) {
		CPY(out->escrow_id, e->public_id);
		CPY(out->escrow_status, escrow_status_name(e->status));
		out->escrow_amount = e->amount;
		out->escrow_refunded = e->refunded;
	}
	out->order_name[0] = '\0';
	for (size_t i = 0; i < s->db.n_pods; i++)
		if (!strcmp(s->db.pods[i].pod.pod_id, row->rec.pod_id))
			CPY(out->order_name, s->db.pods[i].pod.title);
}

static int holds_place(const struct fake_payment_row *row)
{
	return payment_holds_place(row->rec.status);
}

static int find(void *self, struct uow *tx, enum payment_lookup by, const char *key, struct payment_rec *out,
		struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	for (size_t i = 0; i < s->db.n_payments; i++) {
		const struct fake_payment_row *row = &s->db.payments[i];
		const char *v = by == PAY_BY_ORDER_ID ? row->rec.order_id
				: by == PAY_BY_KEY    ? row->owned_key
						      : row->rec.public_id;

		if (v[0] && key && !strcmp(v, key)) {
			fake_payment_view(s, row, out);
			return 1;
		}
	}
	return 0;
}

static int lock(void *self, struct uow *tx, int64_t id, struct payment_rec *out, struct settle_err *err)
{
	struct fake_store *s = self;
	const struct fake_payment_row *row = fake_payment_row(s, id);

	(void)tx;
	if (!row)
		return err_set(err, SETTLE_EX_DATAERR, "payment id %lld does not exist", (long long)id);
	fake_payment_view(s, row, out);
	return 0;
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct payment_rec *out,
		     size_t *n_out, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fake_payment_row *row = fake_payment_row(s, ids[i]);
		int seen = 0;

		/* WHERE id IN (…) returns a repeated id once */
		for (size_t k = 0; k < i; k++)
			seen |= ids[k] == ids[i];
		if (row && !seen)
			fake_payment_view(s, row, &out[(*n_out)++]);
	}
	return 0;
}

static int find_live_place(void *self, struct uow *tx, const char *pod_id, const char *user_id,
			   struct payment_rec *out, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	for (size_t i = 0; i < s->db.n_payments; i++) {
		const struct fake_payment_row *row = &s->db.payments[i];

		if (holds_place(row) && !strcmp(row->rec.pod_id, pod_id) && !strcmp(row->rec.user_id, user_id)) {
			fake_payment_view(s, row, out);
			return 1;
		}
	}
	return 0;
}

static int count_live_places(void *self, struct uow *tx, const char *pod_id, int64_t *n, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	*n = 0;
	for (size_t i = 0; i < s->db.n_payments; i++)
		if (holds_place(&s->db.payments[i]) && !strcmp(s->db.payments[i].rec.pod_id, pod_id))
			(*n)++;
	return 0;
}

static int key_owned_elsewhere(void *self, struct uow *tx, const char *pg, const char *payment_key, int64_t except_id,
			       struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	for (size_t i = 0; i < s->db.n_payments; i++) {
		const struct fake_payment_row *row = &s->db.payments[i];

		if (row->rec.id != except_id && !strcmp(row->rec.pg, pg) && row->owned_key[0] &&
		    !strcmp(row->owned_key, payment_key))
			return 1;
	}
	return 0;
}

/* The unique keys a row must not share with another: (pg, payment_key),
 * confirm_key, live_place (pod/user while holding a place). */
static int unique_ok(struct fake_store *s, const struct fake_payment_row *me, struct settle_err *err)
{
	for (size_t i = 0; i < s->db.n_payments; i++) {
		const struct fake_payment_row *o = &s->db.payments[i];

		if (o == me || o->rec.id == me->rec.id)
			continue;
		if (me->owned_key[0] && !strcmp(o->rec.pg, me->rec.pg) && !strcmp(o->owned_key, me->owned_key))
			return err_set(err, SETTLE_EX_DATAERR, "payment key of %s is already used by another order",
				       me->rec.public_id);
		if (me->rec.confirm_key[0] && !strcmp(o->rec.confirm_key, me->rec.confirm_key))
			return err_set(err, SETTLE_EX_DATAERR, "payment key of %s is already used by another order",
				       me->rec.public_id);
		if (holds_place(me) && holds_place(o) && !strcmp(o->rec.pod_id, me->rec.pod_id) &&
		    !strcmp(o->rec.user_id, me->rec.user_id))
			return err_set(err, SETTLE_EX_DATAERR, "fake: Duplicate entry '%s/%s' for key 'uk_payments_live_place'",
				       me->rec.pod_id, me->rec.user_id);
	}
	return 0;
}

static int insert(void *self, struct uow *tx, const struct new_payment *np, const char *now, struct payment_rec *out,
		  struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_payment_row *row;
	int64_t id;

	(void)tx;
	if (fake_store_write(s, "payments.insert", err) < 0)
		return -1;
	if (s->db.n_payments >= FAKE_MAX_PAYMENTS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: payments table full");
	if (np->amount <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "fake: CONSTRAINT ck_payments_amount failed");
	row = &s->db.payments[s->db.n_payments];
	memset(row, 0, sizeof *row);
	id = ++s->db.next_id;
	row->rec.id = id;
	snprintf(row->rec.public_id, sizeof row->rec.public_id, "pay_fake%04lld", (long long)id);
	snprintf(row->rec.order_id, sizeof row->rec.order_id, "ord-fake%04lld", (long long)id);
	CPY(row->rec.pod_id, np->pod_id);
	CPY(row->rec.user_id, np->user_id);
	row->rec.amount = np->amount;
	CPY(row->rec.currency, np->currency);
	CPY(row->rec.method, np->method);
	CPY(row->rec.pg, np->pg);
	row->rec.status = PAY_PENDING;
	snprintf(row->rec.created_at, sizeof row->rec.created_at, "%.19s", now);
	CPY(row->created_at, now);
	CPY(row->updated_at, now);
	if (unique_ok(s, row, err) < 0)
		return -1;
	s->db.n_payments++;
	fake_payment_view(s, row, out);
	return 0;
}

static int save(void *self, struct uow *tx, const struct payment_rec *p, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_payment_row *row = fake_payment_row(s, p->id), next;

	(void)tx;
	if (fake_store_write(s, "payments.save", err) < 0)
		return -1;
	if (!row)
		return 0; /* UPDATE … WHERE id = ? of no row changes nothing */
	if (p->refunded < 0 || p->refunded > row->rec.amount)
		return err_set(err, SETTLE_EX_DATAERR, "fake: CONSTRAINT ck_payments_refunded failed");
	next = *row;
	next.rec.status = p->status;
	CPY(next.attempt_key, p->payment_key);
	CPY(next.owned_key, payment_owns_key(p->status) ? p->payment_key : "");
	CPY(next.rec.confirm_key, p->confirm_key);
	CPY(next.rec.pg_code, p->pg_code);
	CPY(next.rec.pg_message, p->pg_message);
	CPY(next.rec.va_secret, p->va_secret);
	CPY(next.rec.va_bank, p->va_bank);
	CPY(next.rec.va_account, p->va_account);
	CPY(next.rec.va_due, p->va_due);
	if (!next.rec.approved_at[0] && p->approved_at[0]) /* COALESCE(approved_at, ?) */
		snprintf(next.rec.approved_at, sizeof next.rec.approved_at, "%.19s", p->approved_at);
	next.rec.doubt_count = p->doubt_count;
	CPY(next.rec.next_check_at, p->next_check_at);
	next.rec.refunded = p->refunded;
	CPY(next.updated_at, now);
	if (unique_ok(s, &next, err) < 0)
		return -1;
	*row = next;
	return 0;
}

static int add_event(void *self, struct uow *tx, int64_t payment_id, const struct payment_event *ev, const char *now,
		     struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_event_row *e;

	(void)tx;
	if (fake_store_write(s, "payments.add_event", err) < 0)
		return -1;
	if (!fake_payment_row(s, payment_id))
		return err_set(err, SETTLE_EX_DATAERR, "fake: foreign key fk_payment_events_payment fails (%lld)",
			       (long long)payment_id);
	if (!ev->to || !ev->actor)
		return err_set(err, SETTLE_EX_DATAERR, "fake: payment_events.to_status/actor cannot be NULL");
	if (s->db.n_events >= FAKE_MAX_EVENTS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: events table full");
	e = &s->db.events[s->db.n_events++];
	memset(e, 0, sizeof *e);
	e->payment_id = payment_id;
	CPY(e->from, ev->from);
	CPY(e->to, ev->to);
	CPY(e->actor, ev->actor);
	CPY(e->code, ev->code);
	CPY(e->message, ev->message);
	CPY(e->at, now);
	return 0;
}

static int set_card(void *self, struct uow *tx, int64_t payment_id, const char *masked_number, const char *issuer,
		    struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_payment_row *row = fake_payment_row(s, payment_id);

	(void)tx;
	if (fake_store_write(s, "payments.set_card", err) < 0)
		return -1;
	if (row) {
		CPY(row->card_masked, masked_number ? masked_number : "");
		CPY(row->card_issuer, issuer ? issuer : "");
	}
	return 0;
}

void fake_payments_repo(struct payments_repo *out, struct fake_store *s)
{
	*out = (struct payments_repo){
		.self = s,
		.find = find,
		.lock = lock,
		.load_many = load_many,
		.find_live_place = find_live_place,
		.count_live_places = count_live_places,
		.key_owned_elsewhere = key_owned_elsewhere,
		.insert = insert,
		.save = save,
		.add_event = add_event,
		.set_card = set_card,
	};
}
