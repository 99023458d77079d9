/* The sealed ledger's byte rules: one encoding per entry whatever the
 * postings' order, no two entries sharing one, a Merkle root that depends
 * on every leaf and its place, digests parsed strictly. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/seal.h"
#include "util/sha256.h"

TestSuite(domain_seal);

static size_t encode(struct seal_posting *p, size_t n, const char *key, const char *created, unsigned char *buf,
		     size_t cap)
{
	struct seal_entry e = {key, "capture", "pay_1", 0, created, n, p};

	return seal_entry_encode(&e, buf, cap);
}

Test(domain_seal, postings_order_is_not_content)
{
	struct seal_posting a[] = {{"pg_clearing", "KRW", 5000}, {"escrow:pod-1", "KRW", -5000}};
	struct seal_posting b[] = {{"escrow:pod-1", "KRW", -5000}, {"pg_clearing", "KRW", 5000}};
	unsigned char x[512], y[512];
	size_t nx = encode(a, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", x, sizeof x);
	size_t ny = encode(b, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", y, sizeof y);

	cr_assert_eq(nx, ny);
	cr_assert_eq(memcmp(x, y, nx), 0);
	cr_assert_str_eq(a[0].account, "escrow:pod-1", "sorted in place by account");
}

Test(domain_seal, every_field_changes_the_encoding)
{
	struct seal_posting p[] = {{"pg_clearing", "KRW", 5000}, {"escrow:pod-1", "KRW", -5000}};
	unsigned char base[512], other[512];
	size_t nb = encode(p, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", base, sizeof base), no;

	no = encode(p, 2, "capture:pay_2", "2026-11-24 10:00:00.000000", other, sizeof other);
	cr_assert(no != nb || memcmp(base, other, nb));
	no = encode(p, 2, "capture:pay_1", "2026-11-24 10:00:00.000001", other, sizeof other);
	cr_assert(no != nb || memcmp(base, other, nb));
	p[0].amount = -4999; /* escrow, after the sort */
	no = encode(p, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", other, sizeof other);
	cr_assert(no != nb || memcmp(base, other, nb));
	p[0].amount = -5000;
	p[1].cur = "USD";
	no = encode(p, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", other, sizeof other);
	cr_assert(no != nb || memcmp(base, other, nb));
}

/* Length prefixes: moving a byte from one field to the next is another
 * encoding, not the same bytes. */
Test(domain_seal, fields_cannot_run_into_each_other)
{
	struct seal_posting p1[] = {{"ab", "KRW", 1}}, p2[] = {{"a", "KRW", 1}};
	struct seal_entry e1 = {"k", "x", "y", 0, "t", 1, p1}, e2 = {"k", "x", "y", 0, "t", 1, p2};
	struct seal_entry e3 = {"kx", "", "y", 0, "t", 0, NULL}, e4 = {"k", "x", "y", 0, "t", 0, NULL};
	unsigned char a[256], b[256];
	size_t na = seal_entry_encode(&e1, a, sizeof a), nb = seal_entry_encode(&e2, b, sizeof b);

	cr_assert(na != nb || memcmp(a, b, na));
	na = seal_entry_encode(&e3, a, sizeof a);
	nb = seal_entry_encode(&e4, b, sizeof b);
	cr_assert(na != nb || memcmp(a, b, na));
}

Test(domain_seal, a_short_buffer_gets_the_length_needed)
{
	struct seal_posting p[] = {{"pg_clearing", "KRW", 5000}, {"escrow:pod-1", "KRW", -5000}};
	unsigned char small[8] = {0}, big[512];
	size_t need = encode(p, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", small, sizeof small);

	cr_assert_gt(need, sizeof small);
	cr_assert_eq(encode(p, 2, "capture:pay_1", "2026-11-24 10:00:00.000000", big, sizeof big), need);
	cr_assert_eq(memcmp(small, big, sizeof small), 0);
}

Test(domain_seal, leaf_binds_the_id_and_node_is_not_a_leaf)
{
	unsigned char h[SEAL_HASH_LEN], leaf[SEAL_LEAF_LEN], node[SEAL_NODE_LEN];

	memset(h, 0xab, sizeof h);
	seal_leaf_encode(0x0102030405060708LL, h, leaf);
	cr_assert_eq(leaf[0], 0x00);
	cr_assert_eq(leaf[1], 0x01);
	cr_assert_eq(leaf[8], 0x08);
	cr_assert_eq(memcmp(leaf + 9, h, sizeof h), 0);
	seal_node_encode(h, h, node);
	cr_assert_eq(node[0], 0x01);
}

static void leaves(unsigned char (*l)[SEAL_HASH_LEN], size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		memset(l[i], seed + (int)i, SEAL_HASH_LEN);
}

Test(domain_seal, merkle_root_of_one_is_the_leaf_and_depends_on_order)
{
	unsigned char l[5][SEAL_HASH_LEN], r1[SEAL_HASH_LEN], r2[SEAL_HASH_LEN], one[SEAL_HASH_LEN];

	leaves(l, 1, 7);
	memcpy(one, l[0], sizeof one);
	seal_merkle_root(l, 1, sha256, r1);
	cr_assert_eq(memcmp(r1, one, sizeof one), 0);

	leaves(l, 5, 1);
	seal_merkle_root(l, 5, sha256, r1);
	leaves(l, 5, 1);
	memset(l[3], 99, SEAL_HASH_LEN); /* one leaf changed */
	seal_merkle_root(l, 5, sha256, r2);
	cr_assert_neq(memcmp(r1, r2, sizeof r1), 0);
	leaves(l, 5, 1);
	memset(l[0], 2, SEAL_HASH_LEN); /* two leaves swapped */
	memset(l[1], 1, SEAL_HASH_LEN);
	seal_merkle_root(l, 5, sha256, r2);
	cr_assert_neq(memcmp(r1, r2, sizeof r1), 0);
	/* the odd last leaf is carried, not doubled: 3 leaves differ from 4 with the last repeated */
	leaves(l, 3, 1);
	seal_merkle_root(l, 3, sha256, r1);
	leaves(l, 3, 1);
	memcpy(l[3], l[2], SEAL_HASH_LEN);
	seal_merkle_root(l, 4, sha256, r2);
	cr_assert_neq(memcmp(r1, r2, sizeof r1), 0);
}

Test(domain_seal, block_encoding_covers_the_previous_hash)
{
	struct seal_block a = {2, seal_genesis, seal_genesis, 3, 1, 3, "2026-11-24 10:00:00.000000"}, b = a;
	unsigned char x[512], y[512];
	size_t nx, ny;

	b.prev = "1111111111111111111111111111111111111111111111111111111111111111";
	nx = seal_block_encode(&a, x, sizeof x);
	ny = seal_block_encode(&b, y, sizeof y);
	cr_assert(nx != ny || memcmp(x, y, nx));
}

Test(domain_seal, hex_round_trip_and_digests)
{
	unsigned char h[SEAL_HASH_LEN], back[SEAL_HASH_LEN];
	char hex[SEAL_HEX_LEN], digest[SEAL_DIGEST_LEN], got[SEAL_HEX_LEN];
	struct settle_err err = {0};
	int64_t height = 0;

	for (int i = 0; i < SEAL_HASH_LEN; i++)
		h[i] = (unsigned char)(i * 37);
	seal_hex(h, hex);
	cr_assert_eq(seal_unhex(hex, back), 0);
	cr_assert_eq(memcmp(h, back, sizeof h), 0);
	seal_digest_format(42, hex, digest);
	cr_assert_eq(seal_digest_parse(digest, &height, got, &err), 0, "%s", err.msg);
	cr_assert_eq(height, 42);
	cr_assert_str_eq(got, hex);
	cr_assert_eq(seal_digest_parse("0:0000000000000000000000000000000000000000000000000000000000000000", &height,
				       got, &err),
		     0);
	cr_assert_eq(height, 0);
}

Test(domain_seal, malformed_digests_are_64_and_say_why)
{
	static const char *const bad[] = {
		"",
		"42",
		":00",
		"x1:0000000000000000000000000000000000000000000000000000000000000000",
		"1:000000000000000000000000000000000000000000000000000000000000000",   /* 63 */
		"1:00000000000000000000000000000000000000000000000000000000000000000", /* 65 */
		"1:ABCDEF0000000000000000000000000000000000000000000000000000000000",  /* upper case */
		"1234567890123456789:0000000000000000000000000000000000000000000000000000000000000000",
	};
	char got[SEAL_HEX_LEN];
	int64_t height;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct settle_err err = {0};

		cr_assert_eq(seal_digest_parse(bad[i], &height, got, &err), -1, "%s", bad[i]);
		cr_assert_eq(err.code, SETTLE_EX_USAGE);
		cr_assert(strstr(err.msg, "--digest"), "%s", err.msg);
	}
}
