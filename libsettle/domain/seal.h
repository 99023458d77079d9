/*
 * seal.h — the sealed ledger's byte rules (DESIGN.md §12, issue 12 part 3):
 * how a journal entry, a Merkle leaf and node, and a seal block header are
 * encoded before they are hashed, and the text forms of hashes and digests.
 *
 * Rule: pure. These functions get values and return bytes; the SHA-256 is
 * the caller's (util/sha256.h), handed to seal_merkle_root as a function.
 * Every field is length-prefixed ("<len>:<bytes>,"), so no two different
 * entries share an encoding. Changing a byte here changes every hash ever
 * written: a new rule is a new version tag, never an edit.
 */
#ifndef SETTLE_DOMAIN_SEAL_H
#define SETTLE_DOMAIN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

#define SEAL_HASH_LEN 32
#define SEAL_HEX_LEN 65    /* 64 hex digits + NUL */
#define SEAL_DIGEST_LEN 90 /* "HEIGHT:" + 64 hex + NUL */

struct seal_posting {
	const char *account;
	const char *cur;
	int64_t amount;
};

/* An entry's own content: what its hash covers (not its id, which the
 * server assigns after the hash is written). */
struct seal_entry {
	const char *key, *kind, *ref;
	int64_t reverses;    /* 0: reverses nothing */
	const char *created; /* "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) */
	size_t n;
	struct seal_posting *postings; /* sorted in place by seal_entry_encode */
};

/* Sorts the postings (account, currency, amount) and writes the entry's
 * canonical bytes into buf when they fit; returns their length either way
 * (like snprintf), so a caller whose buffer was short grows it and calls
 * again. */
size_t seal_entry_encode(struct seal_entry *e, unsigned char *buf, size_t cap);

/* A leaf binds an entry id to its hash: 0x00 || id (8 bytes, big endian)
 * || hash. A node: 0x01 || left || right. The prefixes keep a leaf from
 * ever passing for a node. */
#define SEAL_LEAF_LEN (1 + 8 + SEAL_HASH_LEN)
#define SEAL_NODE_LEN (1 + 2 * SEAL_HASH_LEN)
void seal_leaf_encode(int64_t entry_id, const unsigned char hash[SEAL_HASH_LEN], unsigned char out[SEAL_LEAF_LEN]);
void seal_node_encode(const unsigned char left[SEAL_HASH_LEN], const unsigned char right[SEAL_HASH_LEN],
		      unsigned char out[SEAL_NODE_LEN]);

typedef void (*seal_hash_fn)(const void *data, size_t len, unsigned char out[SEAL_HASH_LEN]);

/* The Merkle root of n (>= 1) leaf hashes, folded in place (level[] is
 * overwritten): pairs are hashed as nodes, an odd last one is carried up
 * unchanged (never paired with itself, so two different lists never share
 * a root). */
void seal_merkle_root(unsigned char (*level)[SEAL_HASH_LEN], size_t n, seal_hash_fn hash,
		      unsigned char root[SEAL_HASH_LEN]);

/* A block header: everything the block hash covers. Hashes are hex. */
struct seal_block {
	int64_t height;       /* 1 for the first block */
	const char *prev;     /* the previous block's hash; 64 zeros for the first */
	const char *root;     /* the Merkle root of the block's leaves */
	int64_t entries;      /* how many leaves */
	int64_t first_entry, last_entry; /* lowest and highest entry id sealed */
	const char *sealed_at;
};

size_t seal_block_encode(const struct seal_block *b, unsigned char *buf, size_t cap);

/* 64 zeros: the "previous hash" of the first block. */
extern const char seal_genesis[SEAL_HEX_LEN];

void seal_hex(const unsigned char h[SEAL_HASH_LEN], char out[SEAL_HEX_LEN]);
/* 0, or -1 when s is not 64 lower-case hex digits. */
int seal_unhex(const char *s, unsigned char out[SEAL_HASH_LEN]);
/* The head digest handed to an auditor: "HEIGHT:HASH". */
void seal_digest_format(int64_t height, const char *hash, char out[SEAL_DIGEST_LEN]);
/* Parses a digest; EX_USAGE naming what is wrong when it is not one. */
int seal_digest_parse(const char *s, int64_t *height, char hash[SEAL_HEX_LEN], struct settle_err *err);

#endif
