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

static int unhex(const char *hex, unsigned char *out, size_t cap, size_t *n)
{
	size_t len = strlen(hex);

	if (len % 2 || len / 2 > cap)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	*n = len / 2;
	return 0;
}

static int get(void *self, struct uow *tx, const char *leader_id, struct payee *out, struct settle_err *err)
{
	struct mysql_payees *m = self;
	unsigned char sealed[256];
	char kind[32] = "", hex[2 * sizeof sealed + 1] = "";
	size_t sealed_len = 0, plain_len = 0;
	int64_t key_id = 1;
	const struct data_key *key;
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
	if (!m->keys)
		return err_set(err, SETTLE_EX_CONFIG, "leader %s: [crypto] data_key_file is needed to read the account",
			       leader_id);
	/* The key that sealed it (008_ops.sql: leaders.key_id). */
	key = key_id == (m->keys->current.id ? m->keys->current.id : 1) ? &m->keys->current
	      : m->keys->has_previous && key_id == m->keys->previous.id ? &m->keys->previous
									 : NULL;
	if (!key)
		return err_set(err, SETTLE_EX_CONFIG,
			       "leader %s is sealed under key id %lld: neither [crypto] key_id nor previous_key_id",
			       leader_id, (long long)key_id);
	if (unhex(hex, sealed, sizeof sealed, &sealed_len) < 0 || sealed_len <= CRYPTO_OVERHEAD ||
	    sealed_len - CRYPTO_OVERHEAD + 1 > sizeof out->account)
		return err_set(err, SETTLE_EX_DATAERR, "leader %s: the stored account is not ciphertext", leader_id);
	rc = crypto_open(key, "leaders.account_enc", sealed, sealed_len, out->account, &plain_len, err);
	explicit_bzero(sealed, sizeof sealed);
	explicit_bzero(hex, sizeof hex);
	if (rc < 0) {
		payee_wipe(out);
		return err_prefix(err, "leader %s account", leader_id);
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
