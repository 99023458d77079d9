/* amount_refusals_repo.c — ports/amount_refusals.h on MySQL (015_card_and_tamper.sql). */
#include "adapters/mysql/amount_refusals_repo.h"
#include "adapters/mysql/uow.h"

static int add(void *self, struct uow *tx, const struct amount_refusal *r, const char *now, struct settle_err *err)
{
	return db_exec(uow_db(tx, self),
		       "INSERT INTO amount_refusals (payment_id, order_id, user_id, actor, asked_amount, expected_amount, "
		       "currency, created_at) VALUES (?,?,?,?,?,?,?,?)",
		       DB_PARAMS(DB_I(r->payment_id), DB_S(r->order_id), DB_S(r->user_id), DB_S(r->actor), DB_I(r->asked),
				 DB_I(r->expected), DB_S(r->currency), DB_S(now)),
		       NULL, NULL, err);
}

void mysql_amount_refusals_repo(struct amount_refusals_repo *out, struct db *db)
{
	*out = (struct amount_refusals_repo){db, add};
}
