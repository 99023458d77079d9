/*
 * jwt_verify.h — bearer tokens of settle-apid, verified with libjwt.
 *
 * Rule: the verifier, never the token, chooses the algorithm. Each key is
 * pinned to one algorithm (HS256 with a shared secret, RS256 with a public
 * key); a token whose header names another algorithm than its key's — or
 * "none", or a key id that is not configured — is refused before libjwt
 * sees the key, so an RSA public key can never be used as an HMAC secret
 * (the HS/RS confusion). exp and nbf are required and checked against the
 * clock with a small skew; iss and aud must be the configured ones.
 */
#ifndef SETTLE_ADAPTERS_API_JWT_VERIFY_H
#define SETTLE_ADAPTERS_API_JWT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/api_access.h"
#include "domain/err.h"

#define JWTV_MAX_KEYS 4

struct jwtv_key {
	char kid[64];       /* "" = used by tokens without a kid */
	int alg;            /* libjwt's jwt_alg_t, pinned */
	unsigned char *key; /* secret, or PEM public key */
	size_t len;
};

struct jwt_verifier {
	struct jwtv_key keys[JWTV_MAX_KEYS];
	size_t n;
	char issuer[256], audience[256];
	int skew_s; /* tolerated clock difference for exp and nbf */
};

/* Adds a key pinned to alg ("HS256" or "RS256"); copies key. An HS256
 * secret must be at least 32 bytes (RFC 7518 §3.2); an RS256 key must be
 * a PEM public key. */
int jwtv_add_key(struct jwt_verifier *v, const char *kid, const char *alg, const unsigned char *key, size_t len,
		 struct settle_err *err);
void jwtv_free(struct jwt_verifier *v);

/* Verifies token at now (seconds since 1970, UTC). 0 and *out filled, or
 * -1 with *code one of the API's stable error codes (token_malformed,
 * token_algorithm, token_key, token_signature, token_expired,
 * token_not_yet_valid, token_issuer, token_audience, token_claims) and
 * err saying what was wrong (never the token or a key). */
int jwtv_verify(const struct jwt_verifier *v, const char *token, int64_t now, struct api_principal *out,
		const char **code, struct settle_err *err);

#endif
