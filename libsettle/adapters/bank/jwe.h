/*
 * jwe.h — JWE compact serialisation as Toss payouts v2 wants it
 * (research/pg-apis.md T8): alg "dir", enc "A256GCM", the 32-byte
 * security key used directly, and two custom protected-header members,
 * iat (ISO 8601 with offset) and nonce (random).
 *
 * Rule: the key never leaves this module in clear except through
 * jwe_key_free (which wipes it); decryption refuses anything but dir +
 * A256GCM with a 96-bit IV and a full 128-bit tag, so a truncated tag or a
 * downgraded algorithm is a failure, never a plaintext.
 */
#ifndef SETTLE_ADAPTERS_BANK_JWE_H
#define SETTLE_ADAPTERS_BANK_JWE_H

#include <stddef.h>

#include "domain/err.h"

struct jwe_key;

/* 64 hex digits → a key. NULL with err (EX_CONFIG) on anything else. */
struct jwe_key *jwe_key_from_hex(const char *hex, struct settle_err *err);
void jwe_key_free(struct jwe_key *k);

/* Encrypts len bytes of plain. iat: the header's issued-at text (NULL:
 * now, in Korea time). Returns a malloc'd NUL-terminated compact JWE, or
 * NULL with err. */
char *jwe_encrypt(const struct jwe_key *k, const char *plain, size_t len, const char *iat, struct settle_err *err);

/* Decrypts a compact JWE (surrounding white space ignored). Returns the
 * malloc'd plaintext, NUL-terminated, its length in *out_len; NULL with
 * err (EX_DATAERR) when it is not a JWE, uses another algorithm, or the
 * key or tag do not match. */
char *jwe_decrypt(const struct jwe_key *k, const char *compact, size_t len, size_t *out_len, struct settle_err *err);

/* "2026-01-02T03:04:05+09:00" for t (Korea time, no daylight saving). */
void jwe_iat_kst(long long t, char *buf, size_t len);

#endif
