/* test_jwt_verify.c — jwt_verify.h: a token is accepted only when its key
 * (chosen by kid), that key's pinned algorithm, its signature, exp, nbf,
 * iss and aud all check out; every failure has its own stable code, and no
 * token can choose its algorithm (alg "none", HS256 against an RS256 key). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/api/jwt_verify.h"
#include "lib/jwtmint.h"
#include "lib/testdb.h"

#define NOW 1800000000LL
#define ISS "https://study.example/auth"
#define AUD "settle-api"

static struct jwt_verifier v;

static void load(const char *kid, const char *alg, const char *rel)
{
	char path[512], buf[8192];
	struct settle_err err = {0};
	FILE *f = fopen(test_repo_file(rel, path, sizeof path), "rb");
	size_t n;

	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	cr_assert_eq(jwtv_add_key(&v, kid, alg, (unsigned char *)buf, n, &err), 0, "%s", err.msg);
}

static void setup(void)
{
	memset(&v, 0, sizeof v);
	strcpy(v.issuer, ISS);
	strcpy(v.audience, AUD);
	v.skew_s = 30;
	load("hs1", "HS256", "fixtures/api/jwt-test-hs256.secret");
	load("rs1", "RS256", "fixtures/api/jwt-test-rs256.pub");
}

static void teardown(void)
{
	jwtv_free(&v);
}

TestSuite(adapters_api_jwt_verify, .init = setup, .fini = teardown);

static struct mint good(const char *alg)
{
	return (struct mint){alg, !strcmp(alg, "RS256") ? "rs1" : "hs1", NULL, ISS, AUD, "u-100", "user",
			     NOW + 300, NOW - 10};
}

static const char *check(char *tok, struct api_principal *p)
{
	const char *code = "";
	struct settle_err err = {0};
	int rc = jwtv_verify(&v, tok, NOW, p, &code, &err);

	if (rc == 0)
		code = "ok";
	else
		cr_assert(err.msg[0] && !strchr(err.msg, '\n') && (!*tok || !strstr(err.msg, tok)), "%s", err.msg);
	free(tok);
	return code;
}

Test(adapters_api_jwt_verify, both_algorithms_accepted)
{
	struct api_principal p;
	struct mint m = good("HS256");

	cr_assert_str_eq(check(mint_token(&m), &p), "ok");
	cr_assert_str_eq(p.sub, "u-100");
	cr_assert_eq(p.role, API_ROLE_USER);
	m = good("RS256");
	m.role = "admin";
	cr_assert_str_eq(check(mint_token(&m), &p), "ok");
	cr_assert_eq(p.role, API_ROLE_ADMIN);
}

Test(adapters_api_jwt_verify, time_claims_with_skew)
{
	struct api_principal p;
	struct mint m = good("HS256");

	m.exp = NOW - 31;
	cr_assert_str_eq(check(mint_token(&m), &p), "token_expired");
	m.exp = NOW - 29; /* within the skew */
	cr_assert_str_eq(check(mint_token(&m), &p), "ok");
	m = good("HS256");
	m.nbf = NOW + 31;
	cr_assert_str_eq(check(mint_token(&m), &p), "token_not_yet_valid");
	m.nbf = NOW + 29;
	cr_assert_str_eq(check(mint_token(&m), &p), "ok");
	m = good("HS256");
	m.exp = 0; /* a token without an end is refused */
	cr_assert_str_eq(check(mint_token(&m), &p), "token_claims");
}

Test(adapters_api_jwt_verify, issuer_audience_subject_role)
{
	struct api_principal p;
	const char *bad_iss[] = {"https://evil.example/auth", ISS "/", "", NULL};
	const char *bad_aud[] = {"settle-api2", "SETTLE-API", "", NULL};
	const char *bad_role[] = {"root", "Admin", "", NULL};
	struct mint m;

	for (int i = 0; bad_iss[i]; i++) {
		m = good("RS256");
		m.iss = bad_iss[i];
		cr_assert_str_eq(check(mint_token(&m), &p), "token_issuer", "%s", bad_iss[i]);
	}
	m = good("RS256");
	m.iss = NULL;
	cr_assert_str_eq(check(mint_token(&m), &p), "token_issuer");
	for (int i = 0; bad_aud[i]; i++) {
		m = good("RS256");
		m.aud = bad_aud[i];
		cr_assert_str_eq(check(mint_token(&m), &p), "token_audience", "%s", bad_aud[i]);
	}
	m = good("RS256");
	m.aud = NULL;
	cr_assert_str_eq(check(mint_token(&m), &p), "token_audience");
	for (int i = 0; bad_role[i]; i++) {
		m = good("HS256");
		m.role = bad_role[i];
		cr_assert_str_eq(check(mint_token(&m), &p), "token_claims", "%s", bad_role[i]);
	}
	m = good("HS256");
	m.sub = "u 1";
	cr_assert_str_eq(check(mint_token(&m), &p), "token_claims");
	m.sub = NULL;
	cr_assert_str_eq(check(mint_token(&m), &p), "token_claims");
}

Test(adapters_api_jwt_verify, no_token_chooses_its_algorithm)
{
	struct api_principal p;
	struct mint m = good("RS256");

	/* alg "none", with and without a kid */
	cr_assert_str_eq(check(mint_none(&m), &p), "token_algorithm");
	m.kid = "hs1";
	cr_assert_str_eq(check(mint_none(&m), &p), "token_algorithm");
	m.kid = NULL;
	cr_assert_str_eq(check(mint_none(&m), &p), "token_key");
	/* HS256 keyed with the RS256 public key, naming the RS256 key */
	m = good("RS256");
	cr_assert_str_eq(check(mint_confused(&m), &p), "token_algorithm");
	/* an RS256 token naming the HS256 key */
	m.kid = "hs1";
	cr_assert_str_eq(check(mint_token(&m), &p), "token_algorithm");
	/* an unknown key id, or none where every key has one */
	m = good("HS256");
	m.kid = "hs2";
	cr_assert_str_eq(check(mint_token(&m), &p), "token_key");
	m.kid = NULL;
	cr_assert_str_eq(check(mint_token(&m), &p), "token_key");
}

Test(adapters_api_jwt_verify, bad_signatures)
{
	struct api_principal p;
	struct mint m = good("RS256");
	char *t;

	m.key_file = "fixtures/api/jwt-other-rs256.key";
	cr_assert_str_eq(check(mint_token(&m), &p), "token_signature");
	/* one flipped character in the signature, or in the claims */
	m = good("HS256");
	t = mint_token(&m);
	t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
	cr_assert_str_eq(check(t, &p), "token_signature");
	t = mint_token(&m);
	*(strchr(t, '.') + 3) ^= 1;
	cr_assert_str_eq(check(t, &p), "token_signature");
	/* the signature cut off */
	t = mint_token(&m);
	*(strrchr(t, '.') + 1) = 0;
	cr_assert_str_eq(check(t, &p), "token_signature");
}

Test(adapters_api_jwt_verify, malformed_tokens)
{
	struct api_principal p;
	const char *bad[] = {"", "abc", "abc.def", "!!!.def.ghi", "e30.e30.", "eyJhbGciOiJIUzI1NiJ9 .e30.x",
			     "bnVsbA.e30.x" /* header "null" */, NULL};
	char *big = malloc(9000);

	for (int i = 0; bad[i]; i++) {
		const char *code = check(strdup(bad[i]), &p);

		cr_assert(!strcmp(code, "token_malformed") || !strcmp(code, "token_key"), "%s: %s", bad[i], code);
	}
	memset(big, 'A', 8999);
	big[8999] = 0;
	cr_assert_str_eq(check(big, &p), "token_malformed");
}

Test(adapters_api_jwt_verify, key_configuration_refused)
{
	struct jwt_verifier w = {0};
	struct settle_err err = {0};

	cr_assert_eq(jwtv_add_key(&w, "a", "none", (const unsigned char *)"x", 1, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert_eq(jwtv_add_key(&w, "a", "HS512", (const unsigned char *)"x", 1, &err), -1);
	cr_assert_eq(jwtv_add_key(&w, "a", "HS256", (const unsigned char *)"short", 5, &err), -1);
	cr_assert(strstr(err.msg, "shorter"), "%s", err.msg);
	cr_assert_eq(jwtv_add_key(&w, "a", "RS256", (const unsigned char *)"0123456789012345678901234567890123", 34, &err), -1);
	cr_assert(strstr(err.msg, "PEM"), "%s", err.msg);
	cr_assert_eq(jwtv_add_key(&w, "a", "HS256", (const unsigned char *)"0123456789012345678901234567890123", 34, &err), 0);
	cr_assert_eq(jwtv_add_key(&w, "a", "HS256", (const unsigned char *)"0123456789012345678901234567890123", 34, &err), -1);
	cr_assert(strstr(err.msg, "twice"), "%s", err.msg);
	jwtv_free(&w);
}
