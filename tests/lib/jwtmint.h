/*
 * jwtmint.h — bearer tokens for settle-apid's tests, made with libjwt from
 * the test-only keys in fixtures/api/ (and hand-built ones for what libjwt
 * refuses to make: alg "none", a broken header).
 */
#ifndef SETTLE_TESTS_JWTMINT_H
#define SETTLE_TESTS_JWTMINT_H

#include <stdint.h>

struct mint {
	const char *alg;    /* "HS256", "RS256" */
	const char *kid;    /* NULL: no kid header */
	const char *key_file; /* fixtures/api/... relative to the repo; NULL: the default for alg */
	const char *iss, *aud, *sub, *role; /* NULL: omitted */
	int64_t exp, nbf;   /* 0: omitted */
};

/* A malloc'd token; aborts the test on failure. */
char *mint_token(const struct mint *m);
/* A token with {"alg":"none"} and no signature, the claims of m. */
char *mint_none(const struct mint *m);
/* The HS/RS confusion: an HS256 token keyed with the RS256 public PEM. */
char *mint_confused(const struct mint *m);

#endif
