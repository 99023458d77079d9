/* test_jwe.c — jwe.h: round trip, the protected header Toss needs, and every tampering refused. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "adapters/bank/jwe.h"

static const char KEY_HEX[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char KEY2_HEX[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

static struct jwe_key *key(const char *hex)
{
	struct settle_err err = {0};
	struct jwe_key *k = jwe_key_from_hex(hex, &err);

	cr_assert_not_null(k, "%s", err.msg);
	return k;
}

/* The decoded protected header of a compact JWE. */
static json_t *header_of(const char *jwe)
{
	size_t n = strcspn(jwe, "."), m = 0;
	char *b64 = calloc(1, n + 4), *raw = calloc(1, n + 4);
	json_t *h;

	memcpy(b64, jwe, n);
	for (size_t i = 0; i < n; i++)
		b64[i] = b64[i] == '-' ? '+' : b64[i] == '_' ? '/' : b64[i];
	while (n % 4)
		b64[n++] = '=';
	m = (size_t)EVP_DecodeBlock((unsigned char *)raw, (unsigned char *)b64, (int)n);
	(void)m;
	h = json_loads(raw, JSON_DISABLE_EOF_CHECK, NULL);
	free(b64);
	free(raw);
	cr_assert_not_null(h);
	return h;
}

Test(adapters_bank_jwe, round_trip_with_toss_header)
{
	static const char plain[] = "[{\"refPayoutId\":\"pyo_1\",\"amount\":{\"currency\":\"KRW\",\"value\":15000}}]";
	struct jwe_key *k = key(KEY_HEX);
	struct settle_err err = {0};
	char *jwe = jwe_encrypt(k, plain, strlen(plain), "2026-11-25T18:00:00+09:00", &err), *back;
	json_t *h;
	size_t n = 0;

	cr_assert_not_null(jwe, "%s", err.msg);
	h = header_of(jwe);
	cr_assert_str_eq(json_string_value(json_object_get(h, "alg")), "dir");
	cr_assert_str_eq(json_string_value(json_object_get(h, "enc")), "A256GCM");
	cr_assert_str_eq(json_string_value(json_object_get(h, "iat")), "2026-11-25T18:00:00+09:00");
	cr_assert_eq(strlen(json_string_value(json_object_get(h, "nonce"))), 36);
	json_decref(h);
	back = jwe_decrypt(k, jwe, strlen(jwe), &n, &err);
	cr_assert_not_null(back, "%s", err.msg);
	cr_assert_eq(n, strlen(plain));
	cr_assert_str_eq(back, plain);
	free(back);
	free(jwe);
	jwe_key_free(k);
}

Test(adapters_bank_jwe, nonce_differs_and_iat_defaults_to_korea_time)
{
	struct jwe_key *k = key(KEY_HEX);
	struct settle_err err = {0};
	char *a = jwe_encrypt(k, "x", 1, NULL, &err), *b = jwe_encrypt(k, "x", 1, NULL, &err);
	json_t *ha = header_of(a), *hb = header_of(b);
	const char *iat = json_string_value(json_object_get(ha, "iat"));

	cr_assert_str_neq(json_string_value(json_object_get(ha, "nonce")), json_string_value(json_object_get(hb, "nonce")));
	cr_assert_eq(strlen(iat), 25, "%s", iat);
	cr_assert_str_eq(iat + 19, "+09:00");
	json_decref(ha);
	json_decref(hb);
	free(a);
	free(b);
	jwe_key_free(k);
}

Test(adapters_bank_jwe, iat_kst_format)
{
	char buf[40];

	jwe_iat_kst(0, buf, sizeof buf);
	cr_assert_str_eq(buf, "1970-01-01T09:00:00+09:00");
}

static void expect_refused(const struct jwe_key *k, const char *jwe, const char *needle)
{
	struct settle_err err = {0};
	size_t n = 0;
	char *p = jwe_decrypt(k, jwe, strlen(jwe), &n, &err);

	cr_assert_null(p, "decrypted %s", jwe);
	cr_assert_eq(err.code, 65);
	cr_assert(strstr(err.msg, needle), "%s", err.msg);
}

Test(adapters_bank_jwe, every_flipped_byte_fails)
{
	struct jwe_key *k = key(KEY_HEX);
	struct settle_err err = {0};
	char *jwe = jwe_encrypt(k, "{\"ok\":true}", 11, NULL, &err);
	size_t len = strlen(jwe);

	cr_assert_not_null(jwe);
	for (size_t i = 0; i < len; i++) {
		char *t = strdup(jwe);
		size_t n = 0;
		char *p;

		if (t[i] == '.') {
			free(t);
			continue;
		}
		t[i] = t[i] == 'A' ? 'B' : 'A';
		p = jwe_decrypt(k, t, len, &n, &err);
		/* A change in the last char of a base64url part can hit only
		 * padding bits and leave the bytes as they were; anything that
		 * decodes differently must fail. */
		if (p)
			cr_assert_str_eq(p, "{\"ok\":true}", "byte %zu changed the plaintext", i);
		free(p);
		free(t);
	}
	free(jwe);
	jwe_key_free(k);
}

Test(adapters_bank_jwe, wrong_key_and_bad_shapes_refused)
{
	struct jwe_key *k = key(KEY_HEX), *k2 = key(KEY2_HEX);
	struct settle_err err = {0};
	char *jwe = jwe_encrypt(k, "{}", 2, NULL, &err), *cut;
	char *dot;

	expect_refused(k2, jwe, "does not decrypt");
	expect_refused(k, "{\"code\":\"X\"}", "five");
	expect_refused(k, "", "empty");
	/* A tag cut to 8 bytes (the CVE-2023-37464 shape). */
	cut = strdup(jwe);
	cut[strlen(cut) - 11] = '\0';
	expect_refused(k, cut, "tag");
	free(cut);
	/* An encrypted key where dir has none. */
	dot = strchr(jwe, '.');
	cut = calloc(1, strlen(jwe) + 8);
	memcpy(cut, jwe, (size_t)(dot - jwe) + 1);
	strcat(cut, "AAAA");
	strcat(cut, dot + 1);
	expect_refused(k, cut, "dir");
	free(cut);
	free(jwe);
	jwe_key_free(k);
	jwe_key_free(k2);
}

Test(adapters_bank_jwe, bad_keys_refused)
{
	struct settle_err err = {0};

	cr_assert_null(jwe_key_from_hex("00", &err));
	cr_assert_eq(err.code, 78);
	cr_assert_null(jwe_key_from_hex(NULL, &err));
	cr_assert_null(jwe_key_from_hex("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", &err));
}
