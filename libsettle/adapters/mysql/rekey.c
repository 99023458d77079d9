/* rekey.c — the leaders' sealed columns, re-sealed batch by batch (see rekey.h). */
#include "adapters/mysql/rekey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/db.h"
#include "util/failpoint.h"

#define SEALED_MAX 255 /* VARBINARY(255) */
#define REKEY_BATCH_MAX 1000

struct sealed {
	unsigned char v[SEALED_MAX];
	size_t len; /* 0: NULL */
};

struct row {
	int64_t id, key_id;
	char leader_id[65];
	struct sealed account, rrn;
};

struct batch {
	const struct data_keyring *ring;
	size_t limit, n;
	bool dry_run;
	struct row *rows;
	int64_t resealed;
};

static int unhex(const char *hex, struct sealed *out)
{
	size_t len = strlen(hex);

	out->len = 0;
	if (len % 2 || len / 2 > sizeof out->v)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out->v[i] = (unsigned char)v;
	}
	out->len = len / 2;
	return 0;
}

static const struct data_key *key_for(const struct data_keyring *ring, int64_t id)
{
	if (ring->has_previous && ring->previous.id == id)
		return &ring->previous;
	if (ring->current.id == id)
		return &ring->current;
	return NULL;
}

/* Opens one column with the row's key and seals it with the current one. */
static int reseal(const struct batch *b, const struct row *r, const char *aad, const struct sealed *in,
		  struct sealed *out, struct settle_err *err)
{
	const struct data_key *old = key_for(b->ring, r->key_id);
	char plain[SEALED_MAX];
	size_t plain_len = 0;
	int rc;

	out->len = 0;
	if (!in->len)
		return 0;
	if (!old)
		return err_set(err, SETTLE_EX_CONFIG,
			       "leader %s is sealed under key id %lld, which is neither [crypto] key_id (%d) nor "
			       "previous_key_id",
			       r->leader_id, (long long)r->key_id, b->ring->current.id);
	if (in->len <= CRYPTO_OVERHEAD || in->len - CRYPTO_OVERHEAD + 1 > sizeof plain)
		return err_set(err, SETTLE_EX_DATAERR, "leader %s: %s is not ciphertext", r->leader_id, aad);
	rc = crypto_open(old, aad, in->v, in->len, plain, &plain_len, err);
	if (rc == 0 && !b->dry_run)
		rc = crypto_seal(&b->ring->current, aad, plain, plain_len, out->v, &out->len, err);
	explicit_bzero(plain, sizeof plain);
	return rc < 0 ? err_prefix(err, "leader %s (key id %lld)", r->leader_id, (long long)r->key_id) : 0;
}

/* Reads the next rows into memory (one cursor per connection: the updates
 * run after it is closed). */
static int read_rows(struct db *db, struct batch *b, int64_t after_id, struct settle_err *err)
{
	struct db_cursor *c;
	char account[2 * SEALED_MAX + 1], rrn[2 * SEALED_MAX + 1], leader[65];
	int64_t id = 0, key_id = 0;
	int rc;

	b->n = 0;
	/* FOR UPDATE: a leader re-loaded meanwhile waits for this batch. */
	if (db_query(db, &c,
		     "SELECT id, key_id, leader_id, COALESCE(HEX(account_enc), ''), COALESCE(HEX(rrn_enc), '') "
		     "FROM leaders WHERE key_id <> ? AND id > ? ORDER BY id LIMIT ? FOR UPDATE",
		     DB_PARAMS(DB_I(b->ring->current.id), DB_I(after_id), DB_I((int64_t)b->limit)),
		     DB_COLS(DC_I(&id), DC_I(&key_id), DC_S(leader), DC_S(account), DC_S(rrn)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		struct row *r = &b->rows[b->n];

		memset(r, 0, sizeof *r);
		r->id = id;
		r->key_id = key_id;
		snprintf(r->leader_id, sizeof r->leader_id, "%s", leader);
		if (unhex(account, &r->account) < 0 || unhex(rrn, &r->rrn) < 0) {
			rc = err_set(err, SETTLE_EX_DATAERR, "leader %s: a sealed column is not ciphertext", leader);
			break;
		}
		b->n++;
	}
	explicit_bzero(account, sizeof account);
	explicit_bzero(rrn, sizeof rrn);
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int one_batch(struct db *db, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	int rc = 0;

	b->resealed = 0;
	if (read_rows(db, b, 0, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		struct row *r = &b->rows[i];
		struct sealed account, rrn;
		uint64_t affected = 0;

		rc = reseal(b, r, "leaders.account_enc", &r->account, &account, err);
		if (rc == 0)
			rc = reseal(b, r, "leaders.rrn_enc", &r->rrn, &rrn, err);
		if (rc == 0)
			rc = db_exec(db,
				     "UPDATE leaders SET account_enc = ?, rrn_enc = ?, key_id = ? WHERE id = ? AND key_id = ?",
				     DB_PARAMS(account.len ? DB_BLOB(account.v, account.len) : DB_NULL,
					       rrn.len ? DB_BLOB(rrn.v, rrn.len) : DB_NULL, DB_I(b->ring->current.id),
					       DB_I(r->id), DB_I(r->key_id)),
				     &affected, NULL, err);
		explicit_bzero(&account, sizeof account);
		explicit_bzero(&rrn, sizeof rrn);
		b->resealed += (int64_t)affected;
	}
	explicit_bzero(b->rows, b->limit * sizeof *b->rows);
	return rc;
}

/* The dry run: every row not under the current key, checked to open. */
static int check_all(struct db *db, struct batch *b, struct rekey_report *rep, struct settle_err *err)
{
	int64_t after = 0;

	do {
		if (read_rows(db, b, after, err) < 0)
			return -1;
		for (size_t i = 0; i < b->n; i++) {
			struct sealed none;

			if (reseal(b, &b->rows[i], "leaders.account_enc", &b->rows[i].account, &none, err) < 0 ||
			    reseal(b, &b->rows[i], "leaders.rrn_enc", &b->rows[i].rrn, &none, err) < 0)
				return -1;
			after = b->rows[i].id;
		}
		rep->remaining += (int64_t)b->n;
	} while (b->n == b->limit);
	return 0;
}

int rekey_leaders(struct db *db, const struct data_keyring *ring, size_t batch, bool dry_run,
		  struct rekey_report *rep, struct settle_err *err)
{
	struct batch b = {.ring = ring, .limit = batch, .dry_run = dry_run};
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	if (batch == 0 || batch > REKEY_BATCH_MAX)
		return err_set(err, SETTLE_EX_USAGE, "rotate-key: a batch is 1..%d rows", REKEY_BATCH_MAX);
	b.rows = calloc(batch, sizeof *b.rows);
	if (!b.rows)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (dry_run) {
		rc = check_all(db, &b, rep, err);
	} else {
		do {
			rc = db_tx(db, one_batch, &b, err);
			if (rc < 0)
				break;
			if (b.n) {
				rep->batches++;
				rep->resealed += b.resealed;
				/* Test builds: killed here, a re-run goes on
				 * from the first row still under the old key. */
				FAILPOINT("rotate_key.after_batch");
			}
		} while (b.n == b.limit);
	}
	explicit_bzero(b.rows, batch * sizeof *b.rows);
	free(b.rows);
	return rc;
}
