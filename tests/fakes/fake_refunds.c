/* fake_refunds.c — the refunds repository in memory (adapters/mysql/refunds_repo.c):
 * a REQUESTED row with its derived idempotency key refund:{public id} and a
 * fresh cancel order id; save writes status, codes, doubts, next check. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

#define CPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

struct fake_refund_row *fake_refund_row(struct fake_store *s, int64_t id)
{
	for (size_t i = 0; i < s->db.n_refunds; i++)
		if (s->db.refunds[i].rec.id == id)
			return &s->db.refunds[i];
	return NULL;
}

static int find(void *self, struct uow *tx, const char *public_id, struct refund_rec *out, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < s->db.n_refunds; i++)
		if (public_id && !strcmp(s->db.refunds[i].rec.public_id, public_id)) {
			*out = s->db.refunds[i].rec;
			return 1;
		}
	return 0;
}

static int lock(void *self, struct uow *tx, int64_t id, struct refund_rec *out, struct settle_err *err)
{
	const struct fake_refund_row *row = fake_refund_row(self, id);

	(void)tx;
	if (!row)
		return err_set(err, SETTLE_EX_DATAERR, "refund id %lld does not exist", (long long)id);
	*out = row->rec;
	return 0;
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct refund_rec *out, size_t *n_out,
		     struct settle_err *err)
{
	(void)tx;
	(void)err;
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fake_refund_row *row = fake_refund_row(self, ids[i]);

		if (row)
			out[(*n_out)++] = row->rec;
	}
	return 0;
}

static int insert(void *self, struct uow *tx, const struct new_refund *nr, const char *now, struct refund_rec *out,
		  struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_refund_row *row;
	int64_t id;

	(void)tx;
	if (fake_store_write(s, "refunds.insert", err) < 0)
		return -1;
	if (s->db.n_refunds >= FAKE_MAX_REFUNDS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: refunds table full");
	if (nr->amount <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "fake: CONSTRAINT ck_refunds_amount failed");
	if (!fake_payment_row(s, nr->payment_id))
		return err_set(err, SETTLE_EX_DATAERR, "fake: foreign key fk_refunds_payment fails");
	if (!nr->reason)
		return err_set(err, SETTLE_EX_DATAERR, "fake: refunds.reason cannot be NULL");
	row = &s->db.refunds[s->db.n_refunds++];
	memset(row, 0, sizeof *row);
	id = ++s->db.next_id;
	row->rec.id = id;
	snprintf(row->rec.public_id, sizeof row->rec.public_id, "ref_fake%04lld", (long long)id);
	/* Derived from the refund, never random: a re-send carries the same key. */
	snprintf(row->rec.idempotency_key, sizeof row->rec.idempotency_key, "refund:ref_fake%04lld", (long long)id);
	row->rec.payment_id = nr->payment_id;
	row->rec.amount = nr->amount;
	CPY(row->rec.currency, nr->currency);
	row->rec.status = REFUND_REQUESTED;
	CPY(row->rec.reason, nr->reason);
	snprintf(row->rec.cancel_order_id, sizeof row->rec.cancel_order_id, "cxl-fake%04lld", (long long)id);
	snprintf(row->rec.created_at, sizeof row->rec.created_at, "%.19s", now);
	CPY(row->updated_at, now);
	*out = row->rec;
	return 0;
}

static int save(void *self, struct uow *tx, const struct refund_rec *r, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_refund_row *row = fake_refund_row(s, r->id);

	(void)tx;
	if (fake_store_write(s, "refunds.save", err) < 0)
		return -1;
	if (!row)
		return 0;
	row->rec.status = r->status;
	CPY(row->rec.pg_code, r->pg_code);
	CPY(row->rec.pg_message, r->pg_message);
	CPY(row->rec.pg_transaction_key, r->pg_transaction_key);
	row->rec.doubt_count = r->doubt_count;
	CPY(row->rec.next_check_at, r->next_check_at);
	CPY(row->updated_at, now);
	return 0;
}

void fake_refunds_repo(struct refunds_repo *out, struct fake_store *s)
{
	*out = (struct refunds_repo){
		.self = s, .find = find, .lock = lock, .load_many = load_many, .insert = insert, .save = save};
}
