/*
 * sha256.h — SHA-256 (OpenSSL), the hash of the sealed ledger. Kept out of
 * domain/ so the rules there stay pure; its signature is seal_hash_fn's.
 */
#ifndef SETTLE_UTIL_SHA256_H
#define SETTLE_UTIL_SHA256_H

#include <stddef.h>

void sha256(const void *data, size_t len, unsigned char out[32]);

#endif
