/*
 * seal_audit.c — the sealed ledger's checker (see seal_audit.h).
 */
#include "adapters/mysql/seal_audit.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/entry_hash.h"
#include "util/sha256.h"

#define TIME_FMT "'%Y-%m-%d %H:%i:%s.%f'"

struct checker {
	audit_fn fn;
	void *arg;
	struct audit_totals *t;
};

static int report(struct checker *k, const char *check, int64_t entry_id, const char *entry_key, int64_t block,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int report(struct checker *k, const char *check, int64_t entry_id, const char *entry_key, int64_t block,
		  const char *fmt, ...)
{
	struct audit_finding f;
	va_list ap;

	memset(&f, 0, sizeof f);
	f.check = check;
	f.entry_id = entry_id;
	snprintf(f.entry_key, sizeof f.entry_key, "%s", entry_key ? entry_key : "");
	f.block = block;
	va_start(ap, fmt);
	vsnprintf(f.detail, sizeof f.detail, fmt, ap);
	va_end(ap);
	k->t->findings++;
	return k->fn(k->arg, &f);
}

/* ---- entries ---- */

/* Buffers hold a column's longest value in bytes (utf8mb4: 4 per
 * character), so no legal row is ever truncated. */
struct posting_row {
	char account[4 * 128 + 1], cur[4 * 3 + 1];
	int64_t amount;
};

struct entry_row {
	int64_t id, reverses;
	char key[4 * 160 + 1], kind[4 * 32 + 1], ref[4 * 96 + 1], created[32], stored[SEAL_HEX_LEN], sealed[SEAL_HEX_LEN];
	struct posting_row *p;
	size_t n, cap;
};

static int check_entry(struct checker *k, struct entry_row *e, struct settle_err *err)
{
	struct seal_posting *p = calloc(e->n ? e->n : 1, sizeof *p);
	struct seal_entry se = {e->key, e->kind, e->ref, e->reverses, e->created, e->n, p};
	char now[SEAL_HEX_LEN];
	int rc;

	if (!p)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	for (size_t j = 0; j < e->n; j++)
		p[j] = (struct seal_posting){e->p[j].account, e->p[j].cur, e->p[j].amount};
	rc = entry_hash_hex(&se, now, err);
	free(p);
	if (rc < 0)
		return -1;
	if (!e->sealed[0])
		k->t->unsealed++;
	if (e->stored[0] && strcmp(e->stored, now))
		return report(k, "seal_entry", e->id, e->key, 0,
			      "content no longer matches the hash written with it (written %.12s…, now %.12s…)", e->stored,
			      now);
	if (e->sealed[0] && strcmp(e->sealed, now))
		return report(k, "seal_entry", e->id, e->key, 0,
			      "content no longer matches the hash its block sealed (sealed %.12s…, now %.12s…)", e->sealed,
			      now);
	return 0;
}

static int check_entries(struct db *db, struct checker *k, struct settle_err *err)
{
	struct entry_row e = {0}, in = {0};
	struct posting_row row;
	struct db_cursor *c;
	int64_t id;
	bool open = false;
	int rc;

	if (db_query(db, &c,
		     "SELECT je.id, je.entry_key, je.kind, je.ref, COALESCE(je.reverses_id, 0), "
		     "DATE_FORMAT(je.created_at, " TIME_FMT "), COALESCE(je.hash, ''), COALESCE(s.entry_hash, ''), "
		     "COALESCE(p.account, ''), COALESCE(p.currency, ''), COALESCE(p.amount, 0) "
		     "FROM journal_entries je LEFT JOIN seal_block_entries s ON s.entry_id = je.id "
		     "LEFT JOIN postings p ON p.entry_id = je.id ORDER BY je.id, p.id",
		     DB_NOPARAMS,
		     DB_COLS(DC_I(&id), DC_S(in.key), DC_S(in.kind), DC_S(in.ref), DC_I(&in.reverses), DC_S(in.created),
			     DC_S(in.stored), DC_S(in.sealed), DC_S(row.account), DC_S(row.cur), DC_I(&row.amount)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (!open || id != e.id) {
			if (open && check_entry(k, &e, err) < 0) {
				rc = -1;
				break;
			}
			open = true;
			/* The row already holds the next entry: its fields
			 * are taken only after the last one is checked. */
			in.p = e.p;
			in.cap = e.cap;
			in.id = id;
			in.n = 0;
			e = in;
		}
		if (!row.account[0])
			continue;
		if (e.n == e.cap) {
			size_t cap = e.cap ? 2 * e.cap : 16;
			struct posting_row *grown = realloc(e.p, cap * sizeof *grown);

			if (!grown) {
				rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
				break;
			}
			e.p = grown;
			e.cap = cap;
		}
		e.p[e.n++] = row;
	}
	db_cursor_close(c);
	if (rc == 0 && open)
		rc = check_entry(k, &e, err);
	free(e.p);
	return rc < 0 ? -1 : 0;
}

/* ---- blocks ---- */

struct block_row {
	int64_t id, height, entries, first, last;
	char prev[SEAL_HEX_LEN], root[SEAL_HEX_LEN], hash[SEAL_HEX_LEN], at[32];
	unsigned char (*leaves)[SEAL_HASH_LEN];
	int64_t n, cap, min_id, max_id;
	bool bad_leaf;
};

struct chain {
	int64_t height;           /* of the last block seen */
	char hash[SEAL_HEX_LEN];  /* its stored hash */
	int64_t first_bad;        /* lowest height with a finding; 0 none */
	int64_t want_height;      /* the digest's */
	char want_hash[SEAL_HEX_LEN];
	char found_hash[SEAL_HEX_LEN]; /* the stored hash at want_height, "" if none */
};

static int block_finding(struct checker *k, struct chain *ch, int64_t height, const char *check, const char *what)
{
	if (!ch->first_bad)
		ch->first_bad = height;
	return report(k, check, 0, NULL, height, "%s", what);
}

static int check_block(struct checker *k, struct chain *ch, struct block_row *b)
{
	unsigned char root[SEAL_HASH_LEN];
	char hex[SEAL_HEX_LEN], msg[256];
	struct seal_block h = {b->height, b->prev, b->root, b->entries, b->first, b->last, b->at};

	if (b->height != ch->height + 1) {
		snprintf(msg, sizeof msg, "follows block %lld: block(s) missing from the chain", (long long)ch->height);
		if (block_finding(k, ch, b->height, "seal_chain", msg) < 0)
			return -1;
	}
	if (strcmp(b->prev, ch->hash)) {
		snprintf(msg, sizeof msg, "its previous hash %.12s… does not match block %lld's hash %.12s…", b->prev,
			 (long long)ch->height, ch->hash);
		if (block_finding(k, ch, b->height, "seal_chain", msg) < 0)
			return -1;
	}
	if (b->n != b->entries || b->min_id != b->first || b->max_id != b->last || b->bad_leaf) {
		snprintf(msg, sizeof msg, "names %lld entries (%lld-%lld); its header says %lld (%lld-%lld)",
			 (long long)b->n, (long long)b->min_id, (long long)b->max_id, (long long)b->entries,
			 (long long)b->first, (long long)b->last);
		if (block_finding(k, ch, b->height, "seal_block", msg) < 0)
			return -1;
	} else {
		seal_merkle_root(b->leaves, (size_t)b->n, sha256, root);
		seal_hex(root, hex);
		if (strcmp(hex, b->root) &&
		    block_finding(k, ch, b->height, "seal_block", "its Merkle root does not match its entries' hashes") < 0)
			return -1;
	}
	block_hash_hex(&h, hex);
	if (strcmp(hex, b->hash) && block_finding(k, ch, b->height, "seal_block", "its hash does not match its header") < 0)
		return -1;
	if (b->height == ch->want_height)
		memcpy(ch->found_hash, b->hash, SEAL_HEX_LEN);
	ch->height = b->height;
	memcpy(ch->hash, b->hash, SEAL_HEX_LEN);
	k->t->blocks++;
	return 0;
}

static int add_leaf(struct block_row *b, int64_t entry_id, const char *entry_hash, struct settle_err *err)
{
	unsigned char raw[SEAL_HASH_LEN], leaf[SEAL_LEAF_LEN];

	if (b->n == b->cap) {
		int64_t cap = b->cap ? 2 * b->cap : 1024;
		unsigned char(*grown)[SEAL_HASH_LEN] = realloc(b->leaves, (size_t)cap * sizeof *grown);

		if (!grown)
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		b->leaves = grown;
		b->cap = cap;
	}
	if (!b->n || entry_id < b->min_id)
		b->min_id = entry_id;
	if (!b->n || entry_id > b->max_id)
		b->max_id = entry_id;
	if (seal_unhex(entry_hash, raw) < 0) {
		b->bad_leaf = true;
		memset(raw, 0, sizeof raw);
	}
	seal_leaf_encode(entry_id, raw, leaf);
	sha256(leaf, sizeof leaf, b->leaves[b->n++]);
	return 0;
}

static int check_blocks(struct db *db, struct checker *k, struct chain *ch, struct settle_err *err)
{
	struct block_row b = {0}, row = {0};
	struct db_cursor *c;
	int64_t entry_id;
	char entry_hash[SEAL_HEX_LEN];
	bool open = false;
	int rc;

	if (db_query(db, &c,
		     "SELECT b.id, b.height, b.prev_hash, b.merkle_root, b.hash, b.entries, b.first_entry_id, "
		     "b.last_entry_id, DATE_FORMAT(b.sealed_at, " TIME_FMT "), COALESCE(s.entry_id, 0), "
		     "COALESCE(s.entry_hash, '') FROM seal_blocks b LEFT JOIN seal_block_entries s ON s.block_id = b.id "
		     "ORDER BY b.height, s.entry_id",
		     DB_NOPARAMS,
		     DB_COLS(DC_I(&row.id), DC_I(&row.height), DC_S(row.prev), DC_S(row.root), DC_S(row.hash),
			     DC_I(&row.entries), DC_I(&row.first), DC_I(&row.last), DC_S(row.at), DC_I(&entry_id),
			     DC_S(entry_hash)),
		     err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		if (!open || row.id != b.id) {
			if (open && check_block(k, ch, &b) < 0) {
				rc = -1;
				break;
			}
			open = true;
			row.leaves = b.leaves;
			row.cap = b.cap;
			b = row;
			b.n = 0;
			b.bad_leaf = false;
		}
		if (entry_id && add_leaf(&b, entry_id, entry_hash, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_cursor_close(c);
	if (rc == 0 && open)
		rc = check_block(k, ch, &b);
	free(b.leaves);
	return rc < 0 ? -1 : 0;
}

/* The digest names a block by height and hash: the chain extends it when
 * that block is still there with that hash and nothing up to it fails. */
static int check_digest(struct checker *k, struct chain *ch)
{
	if (ch->want_height > ch->height)
		return report(k, "digest", 0, NULL, ch->want_height,
			      "the ledger does not extend the digest: its chain ends at block %lld", (long long)ch->height);
	if (ch->first_bad && ch->first_bad <= ch->want_height)
		return report(k, "digest", 0, NULL, ch->first_bad,
			      "the ledger diverges from the digest (block %lld) here: this block fails its checks",
			      (long long)ch->want_height);
	if (strcmp(ch->want_height ? ch->found_hash : seal_genesis, ch->want_hash))
		return report(k, "digest", 0, NULL, ch->want_height,
			      "the ledger diverges from the digest here: the block's hash is %.12s…, the digest's %.12s…",
			      ch->want_height ? ch->found_hash : seal_genesis, ch->want_hash);
	return 0;
}

int seal_audit(struct db *db, const char *digest, audit_fn fn, void *arg, struct audit_totals *totals,
	       struct settle_err *err)
{
	struct checker k = {fn, arg, totals};
	struct chain ch = {0};

	memcpy(ch.hash, seal_genesis, SEAL_HEX_LEN);
	ch.want_height = -1;
	if (digest && seal_digest_parse(digest, &ch.want_height, ch.want_hash, err) < 0)
		return -1;
	if (check_entries(db, &k, err) < 0 || check_blocks(db, &k, &ch, err) < 0)
		return -1;
	return digest ? check_digest(&k, &ch) : 0;
}
