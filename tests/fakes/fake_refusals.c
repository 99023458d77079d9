/* fake_refusals.c — the amount-tamper refusals in memory
 * (adapters/mysql/amount_refusals_repo.c): rows in the store's tables, so a
 * rolled-back unit of work leaves none. */
#include <stdio.h>

#include "fakes/fakes.h"

static int add(void *self, struct uow *tx, const struct amount_refusal *r, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_refusal_row *row;

	(void)tx;
	(void)now;
	if (fake_store_write(s, "amount_refusals.add", err) < 0)
		return -1;
	if (s->db.n_refusals >= FAKE_MAX_PAYMENTS)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: refusals full");
	row = &s->db.refusals[s->db.n_refusals++];
	row->payment_id = r->payment_id;
	row->asked = r->asked;
	row->expected = r->expected;
	snprintf(row->order_id, sizeof row->order_id, "%s", r->order_id);
	snprintf(row->user_id, sizeof row->user_id, "%s", r->user_id);
	snprintf(row->actor, sizeof row->actor, "%s", r->actor);
	return 0;
}

void fake_amount_refusals(struct amount_refusals_repo *out, struct fake_store *s)
{
	*out = (struct amount_refusals_repo){s, add};
}
