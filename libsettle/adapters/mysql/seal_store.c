/*
 * seal_store.c — ledger-seal's writer (see seal_store.h).
 */
#include "adapters/mysql/seal_store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/entry_hash.h"
#include "adapters/mysql/sql_rows.h"
#include "domain/timefmt.h"
#include "ports/clock.h"
#include "util/sha256.h"

/* Rows per INSERT into seal_block_entries (3 placeholders each). */
#define LINK_ROWS 500
/* Heads lost before the run gives up (each loss means another runner
 * made progress, so this is only reached by a pathological crowd). */
#define MAX_RACES 200

#define TIME_FMT "'%Y-%m-%d %H:%i:%s.%f'"

/* Buffers hold a column's longest value in bytes (utf8mb4: 4 per
 * character), so no legal row is ever truncated. */
struct posting_row {
	char account[4 * 128 + 1], cur[4 * 3 + 1];
	int64_t amount;
};

/* One entry as read, while its posting rows stream in. */
struct entry_buf {
	int64_t id, reverses;
	char key[4 * 160 + 1], kind[4 * 32 + 1], ref[4 * 96 + 1], created[32], stored[SEAL_HEX_LEN];
	struct posting_row *p;
	size_t n, cap;
};

struct block_tx {
	const struct clock_port *clock;
	int64_t block_size, after;
	/* out */
	int64_t sealed, legacy, last_id, height;
	char hash[SEAL_HEX_LEN];
	bool lost_race;
	/* scratch, kept across blocks */
	int64_t *ids;
	char (*hashes)[SEAL_HEX_LEN];
	unsigned char (*leaves)[SEAL_HASH_LEN];
	struct entry_buf e;
};

int seal_head(struct db *db, int64_t *height, char hash[SEAL_HEX_LEN], struct settle_err *err)
{
	int rc = db_query_one(db, "SELECT height, hash FROM seal_blocks ORDER BY height DESC LIMIT 1", DB_NOPARAMS,
			      DB_COLS(DC_I(height), ((struct db_col){.t = DBC_STR, .s = hash, .cap = SEAL_HEX_LEN})),
			      err);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		*height = 0;
		memcpy(hash, seal_genesis, SEAL_HEX_LEN);
	}
	return 0;
}

/* The head must still be the block its fields say: a runner never extends
 * a chain whose last link was altered (ledger-check --seals says more). */
static int read_head(struct db *db, struct block_tx *t, struct settle_err *err)
{
	char prev[SEAL_HEX_LEN], root[SEAL_HEX_LEN], at[32], again[SEAL_HEX_LEN];
	struct seal_block b = {0};
	int rc = db_query_one(db,
			      "SELECT height, prev_hash, merkle_root, hash, entries, first_entry_id, last_entry_id, "
			      "DATE_FORMAT(sealed_at, " TIME_FMT ") FROM seal_blocks ORDER BY height DESC LIMIT 1",
			      DB_NOPARAMS,
			      DB_COLS(DC_I(&b.height), DC_S(prev), DC_S(root),
				      ((struct db_col){.t = DBC_STR, .s = t->hash, .cap = SEAL_HEX_LEN}), DC_I(&b.entries),
				      DC_I(&b.first_entry), DC_I(&b.last_entry), DC_S(at)),
			      err);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		t->height = 0;
		memcpy(t->hash, seal_genesis, SEAL_HEX_LEN);
		return 0;
	}
	b.prev = prev;
	b.root = root;
	b.sealed_at = at;
	block_hash_hex(&b, again);
	if (strcmp(again, t->hash))
		return err_set(err, SETTLE_EX_DATAERR,
			       "the chain head, block %lld, does not match its own hash: not extending it (run "
			       "ledger-check --seals)",
			       (long long)b.height);
	t->height = b.height;
	return 0;
}

/* The next block_size entries above t->after that no block names. */
static int pick(struct db *db, struct block_tx *t, struct settle_err *err)
{
	struct db_cursor *c;
	int64_t id;
	int rc;

	t->sealed = 0;
	if (db_query(db, &c,
		     "SELECT je.id FROM journal_entries je LEFT JOIN seal_block_entries s ON s.entry_id = je.id "
		     "WHERE s.entry_id IS NULL AND je.id > ? ORDER BY je.id LIMIT ?",
		     DB_PARAMS(DB_I(t->after), DB_I(t->block_size)), DB_COLS(DC_I(&id)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1)
		t->ids[t->sealed++] = id;
	db_cursor_close(c);
	return rc;
}

/* Hashes the entry held in t->e; one whose stored hash no longer matches
 * its content stops the run: sealing it would bless the change. */
static int finish_entry(struct block_tx *t, size_t k, struct settle_err *err)
{
	struct entry_buf *e = &t->e;
	struct seal_posting *p = calloc(e->n ? e->n : 1, sizeof *p);
	struct seal_entry se = {e->key, e->kind, e->ref, e->reverses, e->created, e->n, p};
	int rc;

	if (!p)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	for (size_t j = 0; j < e->n; j++)
		p[j] = (struct seal_posting){e->p[j].account, e->p[j].cur, e->p[j].amount};
	rc = entry_hash_hex(&se, t->hashes[k], err);
	free(p);
	if (rc < 0)
		return -1;
	if (!e->stored[0])
		t->legacy++;
	else if (strcmp(e->stored, t->hashes[k]))
		return err_set(err, SETTLE_EX_DATAERR,
			       "entry %lld (%s) no longer matches the hash written with it: not sealing it (run "
			       "ledger-check --seals)",
			       (long long)e->id, e->key);
	return 0;
}

/* Reads the picked entries with their postings in one streaming query and
 * hashes each (entries in the id range that are sealed already are
 * skipped). */
static int hash_picked(struct db *db, struct block_tx *t, struct settle_err *err)
{
	struct entry_buf *e = &t->e, in = {0};
	struct posting_row row;
	struct db_cursor *c;
	int64_t id;
	size_t k = 0;
	bool open = false;
	int rc;

	t->legacy = 0;
	if (db_query(db, &c,
		     "SELECT je.id, je.entry_key, je.kind, je.ref, COALESCE(je.reverses_id, 0), "
		     "DATE_FORMAT(je.created_at, " TIME_FMT "), COALESCE(je.hash, ''), COALESCE(p.account, ''), "
		     "COALESCE(p.currency, ''), COALESCE(p.amount, 0) "
		     "FROM journal_entries je LEFT JOIN postings p ON p.entry_id = je.id "
		     "WHERE je.id BETWEEN ? AND ? ORDER BY je.id, p.id",
		     DB_PARAMS(DB_I(t->ids[0]), DB_I(t->ids[t->sealed - 1])),
		     DB_COLS(DC_I(&id), DC_S(in.key), DC_S(in.kind), DC_S(in.ref), DC_I(&in.reverses), DC_S(in.created),
			     DC_S(in.stored), DC_S(row.account), DC_S(row.cur), DC_I(&row.amount)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (!open || id != e->id) {
			if (open && finish_entry(t, k++, err) < 0) {
				rc = -1;
				break;
			}
			/* Skip ids of the range that another block sealed. */
			open = k < (size_t)t->sealed && id == t->ids[k];
			/* The row already holds the next entry: its fields
			 * are taken only now, after the last one is hashed. */
			memcpy(e->key, in.key, sizeof e->key);
			memcpy(e->kind, in.kind, sizeof e->kind);
			memcpy(e->ref, in.ref, sizeof e->ref);
			memcpy(e->created, in.created, sizeof e->created);
			memcpy(e->stored, in.stored, sizeof e->stored);
			e->reverses = in.reverses;
			e->id = id;
			e->n = 0;
		}
		if (!open || !row.account[0])
			continue;
		if (e->n == e->cap) {
			size_t cap = e->cap ? 2 * e->cap : 16;
			struct posting_row *grown = realloc(e->p, cap * sizeof *grown);

			if (!grown) {
				rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
				break;
			}
			e->p = grown;
			e->cap = cap;
		}
		e->p[e->n++] = row;
	}
	db_cursor_close(c);
	if (rc == 0 && open)
		rc = finish_entry(t, k++, err);
	if (rc < 0)
		return -1;
	if (k != (size_t)t->sealed)
		return err_set(err, SETTLE_EX_SOFTWARE, "%zu of %lld entries to seal could not be read back", k,
			       (long long)t->sealed);
	return 0;
}

static int lost(struct db *db, struct block_tx *t)
{
	if (db_is_duplicate(db_last_errno(db)))
		t->lost_race = true;
	return -1;
}

static int insert_block(struct db *db, struct block_tx *t, struct settle_err *err)
{
	unsigned char raw[SEAL_HASH_LEN], leaf[SEAL_LEAF_LEN], root_raw[SEAL_HASH_LEN];
	char root[SEAL_HEX_LEN], hash[SEAL_HEX_LEN], at[TIME_SQL_LEN];
	struct db_param params[LINK_ROWS * 3];
	uint64_t block_id = 0;
	char *sql = NULL;
	struct seal_block b;

	for (int64_t k = 0; k < t->sealed; k++) {
		if (seal_unhex(t->hashes[k], raw) < 0)
			return err_set(err, SETTLE_EX_SOFTWARE, "entry hash %s is not hex", t->hashes[k]);
		seal_leaf_encode(t->ids[k], raw, leaf);
		sha256(leaf, sizeof leaf, t->leaves[k]);
	}
	seal_merkle_root(t->leaves, (size_t)t->sealed, sha256, root_raw);
	seal_hex(root_raw, root);
	time_sql(t->clock->now_us(t->clock->self), at);
	b = (struct seal_block){t->height + 1, t->hash, root, t->sealed, t->ids[0], t->ids[t->sealed - 1], at};
	block_hash_hex(&b, hash);
	if (db_exec(db,
		    "INSERT INTO seal_blocks (height, prev_hash, merkle_root, hash, entries, first_entry_id, "
		    "last_entry_id, sealed_at) VALUES (?,?,?,?,?,?,?,?)",
		    DB_PARAMS(DB_I(b.height), DB_S(b.prev), DB_S(root), DB_S(hash), DB_I(b.entries),
			      DB_I(b.first_entry), DB_I(b.last_entry), DB_S(at)),
		    NULL, &block_id, err) < 0)
		return lost(db, t);
	for (int64_t off = 0; off < t->sealed; off += LINK_ROWS) {
		size_t n = (size_t)(t->sealed - off < LINK_ROWS ? t->sealed - off : LINK_ROWS), np = 0;
		int rc;

		if (!(sql = sql_rows("INSERT INTO seal_block_entries (entry_id, block_id, entry_hash) VALUES ", n,
				     "(?,?,?)", "")))
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		for (size_t i = 0; i < n; i++) {
			params[np++] = DB_I(t->ids[off + (int64_t)i]);
			params[np++] = DB_I((int64_t)block_id);
			params[np++] = DB_S(t->hashes[off + (int64_t)i]);
		}
		rc = db_exec(db, sql, params, np, NULL, NULL, err);
		free(sql);
		if (rc < 0)
			return lost(db, t);
	}
	t->height = b.height;
	memcpy(t->hash, hash, SEAL_HEX_LEN);
	t->last_id = t->ids[t->sealed - 1];
	return 0;
}

static int seal_one_block(struct db *db, void *arg, struct settle_err *err)
{
	struct block_tx *t = arg;

	t->lost_race = false;
	if (read_head(db, t, err) < 0 || pick(db, t, err) < 0)
		return -1;
	if (!t->sealed)
		return 0;
	if (hash_picked(db, t, err) < 0)
		return -1;
	return insert_block(db, t, err);
}

int seal_run(struct db *db, const struct clock_port *clock, int64_t block_size, struct seal_result *r,
	     struct settle_err *err)
{
	struct block_tx t = {.clock = clock, .block_size = block_size};
	int rc = -1;

	memset(r, 0, sizeof *r);
	t.ids = calloc((size_t)block_size, sizeof *t.ids);
	t.hashes = calloc((size_t)block_size, sizeof *t.hashes);
	t.leaves = calloc((size_t)block_size, sizeof *t.leaves);
	if (!t.ids || !t.hashes || !t.leaves) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (;;) {
		if (db_tx(db, seal_one_block, &t, err) < 0) {
			/* Another runner claimed this head (or sealed one of
			 * these entries): start again from the new head. */
			if (t.lost_race && r->races < MAX_RACES) {
				r->races++;
				continue;
			}
			if (t.lost_race)
				err_prefix(err, "lost the chain head to other runners %d times", MAX_RACES);
			goto out;
		}
		if (!t.sealed)
			break;
		r->blocks++;
		r->entries += t.sealed;
		r->legacy += t.legacy;
		t.after = t.last_id;
	}
	r->height = t.height;
	memcpy(r->head, t.hash, SEAL_HEX_LEN);
	rc = 0;
out:
	free(t.ids);
	free(t.hashes);
	free(t.leaves);
	free(t.e.p);
	return rc;
}
