/*
 * jwe.c — dir + A256GCM compact JWE over cjose (see jwe.h). cjose does the
 * cryptography; this file pins the algorithms and checks the shape of what
 * arrives before cjose sees it.
 */
#include "adapters/bank/jwe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjose/cjose.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "adapters/crypto/crypto.h"

#define JWE_MAX ((size_t)1 << 20) /* as http.h's body limit: nothing larger can arrive */

struct jwe_key {
	cjose_jwk_t *jwk;
};

struct jwe_key *jwe_key_from_hex(const char *hex, struct settle_err *err)
{
	struct data_key raw;
	struct jwe_key *k;
	cjose_err cerr = {0};

	if (!hex || crypto_key_from_hex(hex, &raw, err) < 0) {
		err_set(err, SETTLE_EX_CONFIG, "security key must be 64 hex digits (32 bytes)");
		return NULL;
	}
	k = calloc(1, sizeof *k);
	if (!k) {
		crypto_key_wipe(&raw);
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	k->jwk = cjose_jwk_create_oct_spec(raw.k, sizeof raw.k, &cerr);
	crypto_key_wipe(&raw);
	if (!k->jwk) {
		free(k);
		err_set(err, SETTLE_EX_SOFTWARE, "jwe: cannot make a key: %s", cerr.message ? cerr.message : "?");
		return NULL;
	}
	return k;
}

void jwe_key_free(struct jwe_key *k)
{
	if (!k)
		return;
	cjose_jwk_release(k->jwk); /* cjose wipes an oct key's bytes before freeing them */
	free(k);
}

void jwe_iat_kst(long long t, char *buf, size_t len)
{
	time_t kst = (time_t)(t + 9 * 3600);
	struct tm tm;

	gmtime_r(&kst, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

/* A UUID v4 from OpenSSL's generator: the header's nonce. */
static int uuid4(char out[37])
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof b) != 1)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
		 b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

static char *own_copy(char *cjose_str, size_t len)
{
	char *s = malloc(len + 1);

	if (s) {
		memcpy(s, cjose_str, len);
		s[len] = '\0';
	}
	cjose_get_dealloc()(cjose_str);
	return s;
}

char *jwe_encrypt(const struct jwe_key *k, const char *plain, size_t len, const char *iat, struct settle_err *err)
{
	cjose_err cerr = {0};
	cjose_header_t *hdr = NULL;
	cjose_jwe_t *jwe = NULL;
	char *compact = NULL, *out = NULL, now[40], nonce[37];

	if (!iat) {
		jwe_iat_kst((long long)time(NULL), now, sizeof now);
		iat = now;
	}
	if (uuid4(nonce) < 0) {
		err_set(err, SETTLE_EX_OSERR, "jwe: no randomness for the nonce");
		return NULL;
	}
	hdr = cjose_header_new(&cerr);
	if (!hdr || !cjose_header_set(hdr, CJOSE_HDR_ALG, CJOSE_HDR_ALG_DIR, &cerr) ||
	    !cjose_header_set(hdr, CJOSE_HDR_ENC, CJOSE_HDR_ENC_A256GCM, &cerr) ||
	    !cjose_header_set(hdr, "iat", iat, &cerr) || !cjose_header_set(hdr, "nonce", nonce, &cerr))
		goto fail;
	jwe = cjose_jwe_encrypt(k->jwk, hdr, (const uint8_t *)plain, len, &cerr);
	if (!jwe)
		goto fail;
	compact = cjose_jwe_export(jwe, &cerr);
	if (!compact)
		goto fail;
	out = own_copy(compact, strlen(compact));
	if (!out)
		err_set(err, SETTLE_EX_OSERR, "out of memory");
	cjose_jwe_release(jwe);
	cjose_header_release(hdr);
	return out;
fail:
	err_set(err, SETTLE_EX_SOFTWARE, "jwe: cannot encrypt: %s", cerr.message ? cerr.message : "?");
	cjose_jwe_release(jwe);
	cjose_header_release(hdr);
	return NULL;
}

static int b64url_part(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_'))
			return 0;
	}
	return 1;
}

/* Five base64url parts: header.key.iv.ciphertext.tag, with an empty key
 * (dir), a 12-byte IV (16 chars) and a 16-byte tag (22 chars). cjose
 * releases before 0.6.2.2 accepted short GCM tags (CVE-2023-37464); this
 * check makes that moot whatever the installed version. */
static const char *shape_error(const char *s, size_t n)
{
	size_t at[6], parts = 0;

	at[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '.')
			continue;
		if (++parts > 4)
			return "more than five parts";
		at[parts] = i + 1;
	}
	if (parts != 4)
		return "not five dot-separated parts";
	at[5] = n + 1;
	for (size_t p = 0; p < 5; p++)
		if (!b64url_part(s + at[p], at[p + 1] - 1 - at[p]))
			return "a part is not base64url";
	if (at[1] - 1 == 0)
		return "empty protected header";
	if (at[2] - 1 != at[1])
		return "an encrypted key is present (alg must be dir)";
	if (at[3] - 1 - at[2] != 16)
		return "the IV is not 96 bits";
	if (at[5] - 1 - at[4] != 22)
		return "the authentication tag is not 128 bits";
	return NULL;
}

char *jwe_decrypt(const struct jwe_key *k, const char *compact, size_t len, size_t *out_len, struct settle_err *err)
{
	cjose_err cerr = {0};
	cjose_jwe_t *jwe = NULL;
	cjose_header_t *hdr;
	const char *alg, *enc, *why;
	uint8_t *plain = NULL;
	size_t plen = 0;
	char *out;

	while (len && (*compact == ' ' || *compact == '\t' || *compact == '\r' || *compact == '\n')) {
		compact++;
		len--;
	}
	while (len && (compact[len - 1] == ' ' || compact[len - 1] == '\t' || compact[len - 1] == '\r' ||
		       compact[len - 1] == '\n'))
		len--;
	if (len == 0 || len > JWE_MAX) {
		err_set(err, SETTLE_EX_DATAERR, "not a JWE: %s", len ? "too long" : "empty");
		return NULL;
	}
	if ((why = shape_error(compact, len))) {
		err_set(err, SETTLE_EX_DATAERR, "not a dir/A256GCM compact JWE: %s", why);
		return NULL;
	}
	jwe = cjose_jwe_import(compact, len, &cerr);
	if (!jwe) {
		err_set(err, SETTLE_EX_DATAERR, "not a JWE: %s", cerr.message ? cerr.message : "?");
		return NULL;
	}
	hdr = cjose_jwe_get_protected(jwe);
	alg = hdr ? cjose_header_get(hdr, CJOSE_HDR_ALG, &cerr) : NULL;
	enc = hdr ? cjose_header_get(hdr, CJOSE_HDR_ENC, &cerr) : NULL;
	if (!alg || !enc || strcmp(alg, CJOSE_HDR_ALG_DIR) || strcmp(enc, CJOSE_HDR_ENC_A256GCM)) {
		cjose_jwe_release(jwe);
		err_set(err, SETTLE_EX_DATAERR, "JWE header is not alg dir + enc A256GCM");
		return NULL;
	}
	plain = cjose_jwe_decrypt(jwe, k->jwk, &plen, &cerr);
	cjose_jwe_release(jwe);
	if (!plain) {
		err_set(err, SETTLE_EX_DATAERR, "JWE does not decrypt with the security key (wrong key or tampered)");
		return NULL;
	}
	out = malloc(plen + 1);
	if (out) {
		memcpy(out, plain, plen);
		out[plen] = '\0';
		*out_len = plen;
	} else {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	OPENSSL_cleanse(plain, plen);
	cjose_get_dealloc()(plain);
	return out;
}
