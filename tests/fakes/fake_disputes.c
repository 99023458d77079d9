/* fake_disputes.c — disputes in memory (adapters/mysql/disputes_repo.c):
 * one open dispute per escrow (a second is EX_DATAERR), resolve only an
 * open one; steps are counted as writes and not kept. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int open_dispute(void *self, struct uow *tx, struct dispute_rec *d, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	if (fake_store_write(s, "disputes.open", err) < 0)
		return -1;
	for (size_t i = 0; i < s->db.n_disputes; i++)
		if (s->db.disputes[i].escrow_id == d->escrow_id && !strcmp(s->db.disputes[i].status, "OPEN"))
			return err_set(err, SETTLE_EX_DATAERR, "escrow %s already has an open dispute", d->escrow_public_id);
	if (s->db.n_disputes >= FAKE_MAX_DISPUTES)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: disputes full");
	d->id = ++s->db.next_id;
	snprintf(d->public_id, sizeof d->public_id, "dsp_fake%04lld", (long long)d->id);
	snprintf(d->status, sizeof d->status, "OPEN");
	snprintf(d->opened_at, sizeof d->opened_at, "%s", now);
	s->db.disputes[s->db.n_disputes++] = *d;
	return 0;
}

static int lock_open(void *self, struct uow *tx, int64_t escrow_id, struct dispute_rec *out, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx, (void)err;
	for (size_t i = 0; i < s->db.n_disputes; i++)
		if (s->db.disputes[i].escrow_id == escrow_id && !strcmp(s->db.disputes[i].status, "OPEN")) {
			*out = s->db.disputes[i];
			return 1;
		}
	memset(out, 0, sizeof *out);
	return 0;
}

static int resolve(void *self, struct uow *tx, const struct dispute_rec *d, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	if (fake_store_write(s, "disputes.resolve", err) < 0)
		return -1;
	for (size_t i = 0; i < s->db.n_disputes; i++)
		if (s->db.disputes[i].id == d->id && !strcmp(s->db.disputes[i].status, "OPEN")) {
			s->db.disputes[i] = *d;
			snprintf(s->db.disputes[i].status, sizeof s->db.disputes[i].status, "RESOLVED");
			snprintf(s->db.disputes[i].resolved_at, sizeof s->db.disputes[i].resolved_at, "%s", now);
			return 0;
		}
	return err_set(err, SETTLE_EX_DATAERR, "dispute %s is already resolved", d->public_id);
}

static int add_step(void *self, struct uow *tx, int64_t dispute_id, const char *step, const char *actor,
		    const char *message, const char *now, struct settle_err *err)
{
	(void)tx, (void)dispute_id, (void)step, (void)actor, (void)message, (void)now;
	return fake_store_write(self, "disputes.add_step", err);
}

void fake_disputes_repo(struct disputes_repo *out, struct fake_store *s)
{
	*out = (struct disputes_repo){.self = s, .open = open_dispute, .lock_open = lock_open, .resolve = resolve,
				      .add_step = add_step};
}
