/* clawbacks_repo.c — settlements reached back into by refunds, over MariaDB/MySQL. */
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/uow.h"

static int lock_settlement(void *self, struct uow *tx, int64_t id, struct settled_rec *out, struct settle_err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query_one(uow_db(tx, self),
			  "SELECT id, public_id, pod_id, leader_id, currency, total, fee, supply, vat, leader_share, "
			  "clawed_back FROM settlements WHERE id = ? FOR UPDATE",
			  DB_PARAMS(DB_I(id)),
			  DB_COLS(DC_I(&out->id), DC_S(out->public_id), DC_S(out->pod_id), DC_S(out->leader_id),
				  DC_S(out->currency), DC_I(&out->split.total), DC_I(&out->split.fee),
				  DC_I(&out->split.supply), DC_I(&out->split.vat), DC_I(&out->split.leader_share),
				  DC_I(&out->clawed_back)),
			  err);
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "settlement id %lld does not exist", (long long)id);
	return rc < 0 ? -1 : 0;
}

static int insert(void *self, struct uow *tx, const struct settled_rec *s, int64_t refund_id,
		  const struct clawback_split *c, char public_id_[41], const char *now, struct settle_err *err)
{
	struct db *db = uow_db(tx, self);

	if (public_id(public_id_, 41, "clw_", err) < 0)
		return -1;
	if (db_exec(db,
		    "INSERT INTO clawbacks (public_id, settlement_id, refund_id, leader_id, currency, refund, leader_part, "
		    "supply_part, vat_part, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
		    DB_PARAMS(DB_S(public_id_), DB_I(s->id), DB_I(refund_id), DB_S(s->leader_id), DB_S(s->currency),
			      DB_I(c->refund), DB_I(c->leader_part), DB_I(c->supply_part), DB_I(c->vat_part), DB_S(now)),
		    NULL, NULL, err) < 0)
		return -1;
	return db_exec(db, "UPDATE settlements SET clawed_back = clawed_back + ?, updated_at = ? WHERE id = ?",
		       DB_PARAMS(DB_I(c->refund), DB_S(now), DB_I(s->id)), NULL, NULL, err);
}

void mysql_clawbacks_repo(struct clawbacks_repo *out, struct db *db)
{
	*out = (struct clawbacks_repo){.self = db, .lock_settlement = lock_settlement, .insert = insert};
}
