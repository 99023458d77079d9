/* jwtmint.c — tokens for tests (see jwtmint.h). */
#include "lib/jwtmint.h"

#include <criterion/criterion.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/testdb.h"

static unsigned char *slurp(const char *rel, size_t *len)
{
	char path[512];
	FILE *f = fopen(test_repo_file(rel, path, sizeof path), "rb");
	static unsigned char buf[8192];

	cr_assert_not_null(f, "%s", path);
	*len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[*len] = 0;
	return buf;
}

static void claims(jwt_t *j, const struct mint *m)
{
	if (m->iss)
		jwt_add_grant(j, "iss", m->iss);
	if (m->aud)
		jwt_add_grant(j, "aud", m->aud);
	if (m->sub)
		jwt_add_grant(j, "sub", m->sub);
	if (m->role)
		jwt_add_grant(j, "role", m->role);
	if (m->exp)
		jwt_add_grant_int(j, "exp", (long)m->exp);
	if (m->nbf)
		jwt_add_grant_int(j, "nbf", (long)m->nbf);
}

static char *sign(const struct mint *m, jwt_alg_t alg, const char *key_file)
{
	jwt_t *j = NULL;
	size_t len;
	unsigned char *key = slurp(key_file, &len);
	char *tok;

	cr_assert_eq(jwt_new(&j), 0);
	claims(j, m);
	if (m->kid)
		jwt_add_header(j, "kid", m->kid);
	cr_assert_eq(jwt_set_alg(j, alg, key, (int)len), 0, "jwt_set_alg %s", key_file);
	tok = jwt_encode_str(j);
	cr_assert_not_null(tok);
	jwt_free(j);
	return tok;
}

char *mint_token(const struct mint *m)
{
	int rs = !strcmp(m->alg, "RS256");

	return sign(m, rs ? JWT_ALG_RS256 : JWT_ALG_HS256,
		    m->key_file ? m->key_file : rs ? "fixtures/api/jwt-test-rs256.key" : "fixtures/api/jwt-test-hs256.secret");
}

char *mint_confused(const struct mint *m)
{
	return sign(m, JWT_ALG_HS256, "fixtures/api/jwt-test-rs256.pub");
}

char *mint_none(const struct mint *m)
{
	jwt_t *j = NULL;
	char *tok;

	cr_assert_eq(jwt_new(&j), 0);
	claims(j, m);
	if (m->kid)
		jwt_add_header(j, "kid", m->kid);
	cr_assert_eq(jwt_set_alg(j, JWT_ALG_NONE, NULL, 0), 0);
	tok = jwt_encode_str(j);
	cr_assert_not_null(tok);
	jwt_free(j);
	return tok;
}
