/* test_crypto.c — crypto.h contract: AES-256-GCM sealing bound to the column name, strict hex keys, public ids. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"

static const char KEY_HEX[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char KEY2_HEX[] = "FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100";

static struct data_key key(const char *hex)
{
	struct data_key k;
	struct settle_err err = {0};

	cr_assert_eq(crypto_key_from_hex(hex, &k, &err), 0, "%s", err.msg);
	return k;
}

static size_t seal(const struct data_key *k, const char *aad, const char *plain, unsigned char *out)
{
	struct settle_err err = {0};
	size_t n = 0;

	cr_assert_eq(crypto_seal(k, aad, plain, strlen(plain), out, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, strlen(plain) + CRYPTO_OVERHEAD);
	return n;
}

static void open_refused(const struct data_key *k, const char *aad, const unsigned char *sealed, size_t n)
{
	struct settle_err err = {0};
	char out[256];
	size_t got = 999;

	cr_assert_eq(crypto_open(k, aad, sealed, n, out, &got, &err), -1, "opened");
	cr_assert_eq(err.code, SETTLE_EX_DATAERR, "code %d", err.code);
	cr_assert(strstr(err.msg, aad), "message \"%s\" does not name the column", err.msg);
	cr_assert_eq(got, 999, "length written on failure");
}

Test(adapters_crypto, seal_open_round_trip)
{
	struct data_key k = key(KEY_HEX);
	const char *plains[] = {"110-123-456789", "", "8801011234567", "한글 계좌 번호 ✓"};

	for (size_t i = 0; i < sizeof plains / sizeof plains[0]; i++) {
		unsigned char sealed[256];
		char out[256];
		size_t n = seal(&k, "leaders.account_number", plains[i], sealed), got = 0;
		struct settle_err err = {0};

		cr_assert_eq(sealed[0], 1, "version byte");
		cr_assert_eq(crypto_open(&k, "leaders.account_number", sealed, n, out, &got, &err), 0, "%s", err.msg);
		cr_assert_eq(got, strlen(plains[i]));
		cr_assert_str_eq(out, plains[i]);
	}
}

Test(adapters_crypto, ciphertext_hides_plaintext_and_nonce_varies)
{
	struct data_key k = key(KEY_HEX);
	const char *plain = "110-123-456789";
	unsigned char a[64], b[64];
	size_t n = seal(&k, "col", plain, a);

	seal(&k, "col", plain, b);
	cr_assert_null(memmem(a, n, plain, strlen(plain)), "plaintext visible in the sealed value");
	cr_assert_neq(memcmp(a + 1, b + 1, 12), 0, "nonce repeated");
	cr_assert_neq(memcmp(a, b, n), 0, "two seals of one value are identical");
}

Test(adapters_crypto, other_column_does_not_open)
{
	struct data_key k = key(KEY_HEX);
	unsigned char sealed[64];
	size_t n = seal(&k, "leaders.account_number", "110-123-456789", sealed);

	open_refused(&k, "leaders.resident_number", sealed, n);
	open_refused(&k, "leaders.account_numbe", sealed, n);
	open_refused(&k, "", sealed, n);
}

Test(adapters_crypto, any_flipped_byte_fails)
{
	struct data_key k = key(KEY_HEX);
	unsigned char sealed[64];
	size_t n = seal(&k, "col", "110-123-456789", sealed);

	for (size_t i = 0; i < n; i++) {
		unsigned char copy[64];

		memcpy(copy, sealed, n);
		copy[i] ^= 0x01;
		open_refused(&k, "col", copy, n);
	}
}

Test(adapters_crypto, truncated_or_short_fails)
{
	struct data_key k = key(KEY_HEX);
	unsigned char sealed[64];
	size_t n = seal(&k, "col", "110-123-456789", sealed);

	open_refused(&k, "col", sealed, n - 1);
	open_refused(&k, "col", sealed, CRYPTO_OVERHEAD - 1);
	open_refused(&k, "col", sealed, 0);
}

Test(adapters_crypto, wrong_key_fails)
{
	struct data_key k = key(KEY_HEX), k2 = key(KEY2_HEX);
	unsigned char sealed[64];
	size_t n = seal(&k, "col", "110-123-456789", sealed);

	open_refused(&k2, "col", sealed, n);
}

Test(adapters_crypto, hex_key_upper_and_lower_case)
{
	struct data_key k = key(KEY2_HEX);

	cr_assert_eq(k.k[0], 0xff);
	cr_assert_eq(k.k[1], 0xee);
	cr_assert_eq(k.k[31], 0x00);
	k = key(KEY_HEX);
	for (int i = 0; i < CRYPTO_KEY_LEN; i++)
		cr_assert_eq(k.k[i], i);
	crypto_key_wipe(&k);
	for (int i = 0; i < CRYPTO_KEY_LEN; i++)
		cr_assert_eq(k.k[i], 0, "byte %d not wiped", i);
}

Test(adapters_crypto, bad_hex_keys_refused)
{
	char bad[6][80];

	snprintf(bad[0], sizeof bad[0], "%s", "");
	snprintf(bad[1], sizeof bad[1], "%.63s", KEY_HEX);         /* 63 digits */
	snprintf(bad[2], sizeof bad[2], "%s0", KEY_HEX);           /* 65 digits */
	snprintf(bad[3], sizeof bad[3], "%.62sg0", KEY_HEX);       /* non-hex */
	snprintf(bad[4], sizeof bad[4], "%.31s %.32s", KEY_HEX, KEY_HEX + 32); /* blank */
	snprintf(bad[5], sizeof bad[5], "0x%.62s", KEY_HEX);       /* prefix */
	for (size_t i = 0; i < 6; i++) {
		struct settle_err err = {0};
		struct data_key k;

		cr_assert_eq(crypto_key_from_hex(bad[i], &k, &err), -1, "\"%s\" accepted", bad[i]);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG, "code %d for \"%s\"", err.code, bad[i]);
		cr_assert(strstr(err.msg, "data key"), "%s", err.msg);
		cr_assert_null(strstr(err.msg, "0102030405"), "message echoes the key: %s", err.msg);
	}
}

/* ---------------------------------------------------------------- public ids */

static const char ALPHABET[] = "abcdefghijkmnpqrstuvwxyz23456789";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(adapters_crypto, public_id_format)
{
	char buf[40];
	struct settle_err err = {0};

	cr_assert_eq(strlen(ALPHABET), 32);
	cr_assert_eq(public_id(buf, sizeof buf, "pay_", &err), 0, "%s", err.msg);
	cr_assert_eq(strlen(buf), 4 + 20, "\"%s\"", buf);
	cr_assert_eq(strncmp(buf, "pay_", 4), 0, "\"%s\"", buf);
	cr_assert_eq(strspn(buf + 4, ALPHABET), 20, "\"%s\" has a character outside the alphabet", buf);
	cr_assert_eq(public_id(buf, 21, "", &err), 0, "%s", err.msg);
	cr_assert_eq(strlen(buf), 20);
}

Test(adapters_crypto, public_id_buffer_too_small)
{
	char buf[40];
	struct settle_err err = {0};

	memset(buf, 'Q', sizeof buf);
	cr_assert_eq(public_id(buf, 24, "pay_", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_SOFTWARE);
	cr_assert_eq(buf[0], 'Q', "buffer written on failure");
	cr_assert_eq(public_id(buf, 25, "pay_", &err), 0, "%s", err.msg);
}

Test(adapters_crypto, public_id_no_duplicates_over_10000)
{
	enum { N = 10000 };
	char (*ids)[32] = calloc(N, sizeof *ids);
	char **sorted = calloc(N, sizeof *sorted);
	int seen[256] = {0};

	cr_assert_not_null(ids);
	cr_assert_not_null(sorted);
	for (int i = 0; i < N; i++) {
		struct settle_err err = {0};

		cr_assert_eq(public_id(ids[i], sizeof ids[i], "pod_", &err), 0, "%s", err.msg);
		cr_assert_eq(strspn(ids[i] + 4, ALPHABET), 20, "\"%s\"", ids[i]);
		for (int j = 4; j < 24; j++)
			seen[(unsigned char)ids[i][j]]++;
		sorted[i] = ids[i];
	}
	qsort(sorted, N, sizeof *sorted, cmp_str);
	for (int i = 1; i < N; i++)
		cr_assert_str_neq(sorted[i - 1], sorted[i], "duplicate id %s", sorted[i]);
	/* 200 000 draws over 32 symbols: every symbol is used. */
	for (size_t i = 0; i < 32; i++)
		cr_assert_gt(seen[(unsigned char)ALPHABET[i]], 5000, "'%c' drawn %d times", ALPHABET[i],
			     seen[(unsigned char)ALPHABET[i]]);
	free(sorted);
	free(ids);
}

/* GCM decrypts before it checks the tag: a value opened under the wrong
 * column used to leave its plaintext in out, only the return code saying no. */
Test(adapters_crypto, failed_open_leaves_no_plaintext)
{
	struct data_key k = key(KEY_HEX);
	const char *plain = "110-123-456789";
	unsigned char sealed[64];
	size_t n = seal(&k, "leaders.account_number", plain, sealed), got = 999;
	struct settle_err err = {0};
	char out[64];

	memset(out, 'Q', sizeof out);
	cr_assert_eq(crypto_open(&k, "leaders.resident_number", sealed, n, out, &got, &err), -1);
	cr_assert_null(memmem(out, sizeof out, plain, 6), "plaintext left in the output buffer");
	cr_assert_eq(out[0], '\0', "output not emptied");
}
