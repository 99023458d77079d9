/*
 * payees.c — leaders as payees over MariaDB/MySQL. The account number is
 * read as hex of its ciphertext and decrypted here, in memory, for the
 * call that needs it; the caller wipes it (payee_wipe).
 */
#include "adapters/mysql/payees.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/uow.h"

struct mysql_payees {
	struct payees_port port;
	struct db *db;
	const struct data_keyring *keys;
};

static int get(void *self, struct uow *tx, const char *leader_id, struct payee *out, struct settle_err *err)
{
	struct mysql_payees *m = self;
	char kind[32] = "", hex[513] = "", what[96];
	int64_t key_id = 1;
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query_one(uow_db(tx, m->db),
			  "SELECT leader_id, name, kind, COALESCE(bank_code, ''), COALESCE(holder_name, ''), "
			  "COALESCE(toss_seller_id, ''), COALESCE(HEX(account_enc), ''), key_id FROM leaders WHERE leader_id = ?",
			  DB_PARAMS(DB_S(leader_id)),
			  DB_COLS(DC_S(out->leader_id), DC_S(out->name), DC_S(kind), DC_S(out->bank_code), DC_S(out->holder),
				  DC_S(out->seller_id), DC_S(hex), DC_I(&key_id)),
			  err);
	if (rc != 1)
		return rc;
	if (leader_kind_parse(kind, &out->kind) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "leader %s has unknown kind %s", leader_id, kind);
	if (!hex[0])
		return 1;
	snprintf(what, sizeof what, "leader %s account", leader_id);
	rc = crypto_open_hex(m->keys, key_id, "leaders.account_enc", hex, out->account, sizeof out->account, what, err);
	explicit_bzero(hex, sizeof hex);
	if (rc < 0) {
		payee_wipe(out);
		return -1;
	}
	out->has_account = 1;
	return 1;
}

struct payees_port *mysql_payees_new(struct db *db, const struct data_keyring *keys)
{
	struct mysql_payees *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->db = db;
	m->keys = keys;
	m->port = (struct payees_port){.self = m, .get = get};
	return &m->port;
}

void mysql_payees_free(struct payees_port *p)
{
	free(p ? p->self : NULL);
}
