/* fake_escrows.c — the escrows repository in memory (adapters/mysql/escrows_repo.c):
 * one escrow per payment (a second insert is a duplicate), save writes
 * refunded, released, release_asap and status. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int insert(void *self, struct uow *tx, struct escrow *e, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	int64_t id;

	(void)tx;
	(void)now;
	if (fake_store_write(s, "escrows.insert", err) < 0)
		return -1;
	if (fake_escrow_of(s, e->payment_id))
		return err_set(err, SETTLE_EX_DATAERR, "fake: Duplicate entry '%lld' for key 'uk_escrows_payment'",
			       (long long)e->payment_id);
	if (!fake_payment_row(s, e->payment_id))
		return err_set(err, SETTLE_EX_DATAERR, "fake: foreign key fk_escrows_payment fails");
	if (s->db.n_escrows >= FAKE_MAX_PAYMENTS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: escrows table full");
	id = ++s->db.next_id;
	snprintf(e->public_id, sizeof e->public_id, "esc_fake%04lld", (long long)id);
	e->id = id;
	s->db.escrows[s->db.n_escrows++] = *e;
	return 0;
}

static int lock_by_payment(void *self, struct uow *tx, int64_t payment_id, struct escrow *out, struct settle_err *err)
{
	const struct escrow *e = fake_escrow_of(self, payment_id);

	(void)tx;
	(void)err;
	memset(out, 0, sizeof *out);
	if (!e)
		return 0;
	*out = *e;
	return 1;
}

static int lock_by_public_id(void *self, struct uow *tx, const char *public_id, struct escrow *out,
			     struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx, (void)err;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < s->db.n_escrows; i++)
		if (!strcmp(s->db.escrows[i].public_id, public_id)) {
			*out = s->db.escrows[i];
			return 1;
		}
	return 0;
}

static int save(void *self, struct uow *tx, const struct escrow *e, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)now;
	if (fake_store_write(s, "escrows.save", err) < 0)
		return -1;
	for (size_t i = 0; i < s->db.n_escrows; i++)
		if (s->db.escrows[i].id == e->id) {
			s->db.escrows[i].refunded = e->refunded;
			s->db.escrows[i].status = e->status;
			s->db.escrows[i].released = e->released;
			s->db.escrows[i].release_asap = e->release_asap;
		}
	return 0;
}

void fake_escrows_repo(struct escrows_repo *out, struct fake_store *s)
{
	*out = (struct escrows_repo){.self = s, .insert = insert, .lock_by_payment = lock_by_payment,
				     .lock_by_public_id = lock_by_public_id, .save = save};
}
