/*
 * sellers_repo.c — leaders as payouts sellers over MariaDB/MySQL (see
 * ports/sellers_repo.h). The account number is read as hex of its
 * ciphertext and decrypted here, in memory, only when asked for; the
 * caller wipes it (seller_rec_wipe).
 */
#include "adapters/mysql/sellers_repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/uow.h"

struct mysql_sellers {
	struct sellers_repo port;
	struct db *db;
	const struct data_keyring *keys;
};

static int open_account(struct mysql_sellers *m, struct seller_rec *r, const char *hex, int64_t key_id,
			struct settle_err *err)
{
	char what[96];

	if (!hex[0])
		return 0; /* no account yet: the application lacks it */
	snprintf(what, sizeof what, "leader %s account", r->leader_id);
	if (crypto_open_hex(m->keys, key_id, "leaders.account_enc", hex, r->account, sizeof r->account, what, err) < 0) {
		seller_rec_wipe(r);
		return -1;
	}
	return 0;
}

static int lock(void *self, struct uow *tx, int64_t id, int with_account, struct seller_rec *out,
		struct settle_err *err)
{
	struct mysql_sellers *m = self;
	char kind[32] = "", reg[24] = "", hex[513] = "";
	int64_t attempt = 0, key_id = 1;
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query_one(uow_db(tx, m->db),
			  "SELECT id, leader_id, kind, name, COALESCE(representative_name, ''), "
			  "COALESCE(business_number, ''), email, COALESCE(phone, ''), COALESCE(bank_code, ''), "
			  "COALESCE(holder_name, ''), seller_reg, seller_reg_attempt, COALESCE(toss_seller_ref, ''), "
			  "COALESCE(toss_seller_id, ''), COALESCE(toss_seller_status, ''), COALESCE(seller_reg_code, ''), "
			  "COALESCE(seller_reg_message, ''), "
			  "COALESCE(DATE_FORMAT(seller_next_check_at, '%Y-%m-%d %H:%i:%s.%f'), ''), "
			  "IF(? = 1, COALESCE(HEX(account_enc), ''), ''), key_id FROM leaders WHERE id = ? FOR UPDATE",
			  DB_PARAMS(DB_I(with_account ? 1 : 0), DB_I(id)),
			  DB_COLS(DC_I(&out->id), DC_S(out->leader_id), DC_S(kind), DC_S(out->name),
				  DC_S(out->representative_name), DC_S(out->business_number), DC_S(out->email),
				  DC_S(out->phone), DC_S(out->bank_code), DC_S(out->holder), DC_S(reg), DC_I(&attempt),
				  DC_S(out->ref), DC_S(out->seller_id), DC_S(out->seller_status), DC_S(out->code),
				  DC_S(out->message), DC_S(out->next_check_at), DC_S(hex), DC_I(&key_id)),
			  err);
	if (rc != 1)
		return rc;
	out->attempt = (int)attempt;
	if (leader_kind_parse(kind, &out->kind) < 0 || seller_reg_parse(reg, &out->reg) < 0) {
		explicit_bzero(hex, sizeof hex);
		return err_set(err, SETTLE_EX_DATAERR, "leader %s has unknown kind %s or seller registration %s",
			       out->leader_id, kind, reg);
	}
	rc = with_account ? open_account(m, out, hex, key_id, err) : 0;
	explicit_bzero(hex, sizeof hex);
	return rc < 0 ? -1 : 1;
}

/* A column as a pointer, so DB_SN can tell "" from a value. */
static const char *col(const char *s)
{
	return s;
}

static int save(void *self, struct uow *tx, const struct seller_rec *r, const char *now, struct settle_err *err)
{
	struct mysql_sellers *m = self;

	return db_exec(uow_db(tx, m->db),
		       "UPDATE leaders SET seller_reg = ?, seller_reg_attempt = ?, toss_seller_ref = ?, "
		       "toss_seller_id = ?, toss_seller_status = ?, seller_reg_code = ?, seller_reg_message = ?, "
		       "seller_next_check_at = ?, seller_reg_at = IF(? = 'SENDING', ?, seller_reg_at), updated_at = ? "
		       "WHERE id = ?",
		       DB_PARAMS(DB_S(seller_reg_name(r->reg)), DB_I(r->attempt), DB_SN(col(r->ref)), DB_SN(col(r->seller_id)),
				 DB_SN(col(r->seller_status)), DB_SN(col(r->code)), DB_SN(col(r->message)), DB_SN(col(r->next_check_at)),
				 DB_S(seller_reg_name(r->reg)), DB_S(now), DB_S(now), DB_I(r->id)),
		       NULL, NULL, err);
}

struct sellers_repo *mysql_sellers_repo_new(struct db *db, const struct data_keyring *keys)
{
	struct mysql_sellers *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->db = db;
	m->keys = keys;
	m->port = (struct sellers_repo){.self = m, .lock = lock, .save = save};
	return &m->port;
}

void mysql_sellers_repo_free(struct sellers_repo *r)
{
	free(r ? r->self : NULL);
}
