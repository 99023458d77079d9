/*
 * seal.c — the sealed ledger's byte rules (see seal.h).
 */
#include "domain/seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char seal_genesis[SEAL_HEX_LEN] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Appends "<len>:<bytes>," at *at, writing only what fits in cap; *at
 * counts every byte, written or not. */
static void field(unsigned char *buf, size_t cap, size_t *at, const char *s, size_t len)
{
	char head[24];
	int hn = snprintf(head, sizeof head, "%zu:", len);

	for (int i = 0; i < hn; i++, (*at)++)
		if (*at < cap)
			buf[*at] = (unsigned char)head[i];
	for (size_t i = 0; i < len; i++, (*at)++)
		if (*at < cap)
			buf[*at] = (unsigned char)s[i];
	if (*at < cap)
		buf[*at] = ',';
	(*at)++;
}

static void text(unsigned char *buf, size_t cap, size_t *at, const char *s)
{
	field(buf, cap, at, s ? s : "", s ? strlen(s) : 0);
}

static void number(unsigned char *buf, size_t cap, size_t *at, int64_t v)
{
	char n[24];

	field(buf, cap, at, n, (size_t)snprintf(n, sizeof n, "%lld", (long long)v));
}

static int cmp_posting(const void *a, const void *b)
{
	const struct seal_posting *x = a, *y = b;
	int c = strcmp(x->account, y->account);

	if (!c)
		c = strcmp(x->cur, y->cur);
	if (!c)
		c = (x->amount > y->amount) - (x->amount < y->amount);
	return c;
}

size_t seal_entry_encode(struct seal_entry *e, unsigned char *buf, size_t cap)
{
	size_t at = 0;

	/* The order the postings were written in is not content: the same
	 * entry written by another path must hash the same. */
	if (e->n > 1)
		qsort(e->postings, e->n, sizeof *e->postings, cmp_posting);
	text(buf, cap, &at, "settle-entry-v1");
	text(buf, cap, &at, e->key);
	text(buf, cap, &at, e->kind);
	text(buf, cap, &at, e->ref);
	number(buf, cap, &at, e->reverses);
	text(buf, cap, &at, e->created);
	number(buf, cap, &at, (int64_t)e->n);
	for (size_t i = 0; i < e->n; i++) {
		text(buf, cap, &at, e->postings[i].account);
		text(buf, cap, &at, e->postings[i].cur);
		number(buf, cap, &at, e->postings[i].amount);
	}
	return at;
}

void seal_leaf_encode(int64_t entry_id, const unsigned char hash[SEAL_HASH_LEN], unsigned char out[SEAL_LEAF_LEN])
{
	uint64_t id = (uint64_t)entry_id;

	out[0] = 0x00;
	for (int i = 0; i < 8; i++)
		out[1 + i] = (unsigned char)(id >> (56 - 8 * i));
	memcpy(out + 9, hash, SEAL_HASH_LEN);
}

void seal_node_encode(const unsigned char left[SEAL_HASH_LEN], const unsigned char right[SEAL_HASH_LEN],
		      unsigned char out[SEAL_NODE_LEN])
{
	out[0] = 0x01;
	memcpy(out + 1, left, SEAL_HASH_LEN);
	memcpy(out + 1 + SEAL_HASH_LEN, right, SEAL_HASH_LEN);
}

void seal_merkle_root(unsigned char (*level)[SEAL_HASH_LEN], size_t n, seal_hash_fn hash,
		      unsigned char root[SEAL_HASH_LEN])
{
	unsigned char node[SEAL_NODE_LEN];

	while (n > 1) {
		size_t up = 0;

		for (size_t i = 0; i < n; i += 2, up++) {
			if (i + 1 == n) {
				memmove(level[up], level[i], SEAL_HASH_LEN);
			} else {
				seal_node_encode(level[i], level[i + 1], node);
				hash(node, sizeof node, level[up]);
			}
		}
		n = up;
	}
	memcpy(root, level[0], SEAL_HASH_LEN);
}

size_t seal_block_encode(const struct seal_block *b, unsigned char *buf, size_t cap)
{
	size_t at = 0;

	text(buf, cap, &at, "settle-block-v1");
	number(buf, cap, &at, b->height);
	text(buf, cap, &at, b->prev);
	text(buf, cap, &at, b->root);
	number(buf, cap, &at, b->entries);
	number(buf, cap, &at, b->first_entry);
	number(buf, cap, &at, b->last_entry);
	text(buf, cap, &at, b->sealed_at);
	return at;
}

void seal_hex(const unsigned char h[SEAL_HASH_LEN], char out[SEAL_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < SEAL_HASH_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * SEAL_HASH_LEN] = '\0';
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int seal_unhex(const char *s, unsigned char out[SEAL_HASH_LEN])
{
	if (strlen(s) != 2 * SEAL_HASH_LEN)
		return -1;
	for (int i = 0; i < SEAL_HASH_LEN; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void seal_digest_format(int64_t height, const char *hash, char out[SEAL_DIGEST_LEN])
{
	snprintf(out, SEAL_DIGEST_LEN, "%lld:%s", (long long)height, hash);
}

int seal_digest_parse(const char *s, int64_t *height, char hash[SEAL_HEX_LEN], struct settle_err *err)
{
	const char *colon = strchr(s, ':');
	unsigned char raw[SEAL_HASH_LEN];
	int64_t h = 0;

	if (!colon || colon == s || colon - s > 18)
		return err_set(err, SETTLE_EX_USAGE, "--digest: expected HEIGHT:HASH (as ledger-seal --digest prints)");
	for (const char *p = s; p < colon; p++) {
		if (*p < '0' || *p > '9')
			return err_set(err, SETTLE_EX_USAGE, "--digest: the height before ':' must be digits");
		h = h * 10 + (*p - '0');
	}
	if (seal_unhex(colon + 1, raw) < 0)
		return err_set(err, SETTLE_EX_USAGE, "--digest: the hash after ':' must be 64 lower-case hex digits");
	*height = h;
	memcpy(hash, colon + 1, SEAL_HEX_LEN);
	return 0;
}
