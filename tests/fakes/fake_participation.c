/* fake_participation.c — the participation confirms queue in memory
 * (adapters/mysql/participation_repo.c): enqueue is idempotent per
 * payment; record counts an attempt and sets done, refused or the next try. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

#define CPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

struct fake_participation_row *fake_participation_row(struct fake_store *s, int64_t payment_id)
{
	for (size_t i = 0; i < s->db.n_participation; i++)
		if (s->db.participation[i].rec.payment_id == payment_id)
			return &s->db.participation[i];
	return NULL;
}

static int enqueue(void *self, struct uow *tx, int64_t payment_id, const char *pod_id, const char *user_id,
		   const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_participation_row *row;

	(void)tx;
	if (fake_store_write(s, "participation.enqueue", err) < 0)
		return -1;
	if (fake_participation_row(s, payment_id))
		return 0; /* ON DUPLICATE KEY UPDATE payment_id = payment_id */
	if (s->db.n_participation >= FAKE_MAX_PAYMENTS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: participation table full");
	row = &s->db.participation[s->db.n_participation++];
	memset(row, 0, sizeof *row);
	row->rec.payment_id = payment_id;
	CPY(row->rec.pod_id, pod_id);
	CPY(row->rec.user_id, user_id);
	CPY(row->next_attempt_at, now);
	return 0;
}

static int load_many(void *self, struct uow *tx, const int64_t *ids, size_t n, struct participation_rec *out,
		     size_t *n_out, struct settle_err *err)
{
	(void)tx;
	(void)err;
	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fake_participation_row *row = fake_participation_row(self, ids[i]);

		if (row)
			out[(*n_out)++] = row->rec;
	}
	return 0;
}

static int record(void *self, struct uow *tx, int64_t payment_id, enum participation_result result, const char *error,
		  const char *next_at, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_participation_row *row;

	(void)tx;
	if (fake_store_write(s, "participation.record", err) < 0)
		return -1;
	row = fake_participation_row(s, payment_id);
	if (!row)
		return 0; /* UPDATE of no row */
	row->rec.attempts++;
	switch (result) {
	case PART_DONE:
		CPY(row->done_at, now);
		row->rec.last_error[0] = '\0';
		break;
	case PART_REFUSED:
		CPY(row->done_at, now);
		CPY(row->refused_at, now);
		CPY(row->rec.last_error, error);
		break;
	case PART_RETRY:
	default:
		if (!next_at)
			return err_set(err, SETTLE_EX_DATAERR, "fake: next_attempt_at cannot be NULL");
		CPY(row->rec.last_error, error);
		CPY(row->next_attempt_at, next_at);
		break;
	}
	return 0;
}

void fake_participation_repo(struct participation_repo *out, struct fake_store *s)
{
	*out = (struct participation_repo){.self = s, .enqueue = enqueue, .load_many = load_many, .record = record};
}
