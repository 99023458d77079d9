/*
 * jwt_verify.c — bearer tokens checked with libjwt 1.x (see jwt_verify.h).
 *
 * libjwt 1.x's jwt_decode verifies with whatever algorithm the token's
 * header names, using the key it is given: handed an RSA public key and a
 * token saying HS256, it would check an HMAC keyed with the public PEM.
 * So the header is read here first, the key is chosen by kid, and the
 * header's alg must be that key's pinned alg before jwt_decode runs; the
 * decoded alg is checked once more after.
 */
#include "adapters/api/jwt_verify.h"

#include <jansson.h>
#include <jwt.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_MAX 8192
#define HS256_MIN_SECRET 32

int jwtv_add_key(struct jwt_verifier *v, const char *kid, const char *alg, const unsigned char *key, size_t len,
		 struct settle_err *err)
{
	jwt_alg_t a = jwt_str_alg(alg);
	struct jwtv_key *k;

	if (a != JWT_ALG_HS256 && a != JWT_ALG_RS256)
		return err_set(err, SETTLE_EX_CONFIG, "api key %s: algorithm must be HS256 or RS256", kid);
	if (v->n == JWTV_MAX_KEYS)
		return err_set(err, SETTLE_EX_CONFIG, "api: more than %d keys", JWTV_MAX_KEYS);
	if (strlen(kid) >= sizeof v->keys[0].kid)
		return err_set(err, SETTLE_EX_CONFIG, "api key id too long");
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i].kid, kid))
			return err_set(err, SETTLE_EX_CONFIG, "api key id \"%s\" given twice", kid);
	if (a == JWT_ALG_HS256 && len < HS256_MIN_SECRET)
		return err_set(err, SETTLE_EX_CONFIG, "api HS256 secret: shorter than %d bytes", HS256_MIN_SECRET);
	if (a == JWT_ALG_RS256 && (len < 26 || memcmp(key, "-----BEGIN PUBLIC KEY-----", 26)))
		return err_set(err, SETTLE_EX_CONFIG, "api RS256 key: not a PEM public key (BEGIN PUBLIC KEY)");
	k = &v->keys[v->n];
	k->key = malloc(len + 1);
	if (!k->key)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory");
	memcpy(k->key, key, len);
	k->key[len] = 0;
	k->len = len;
	k->alg = a;
	strcpy(k->kid, kid);
	v->n++;
	return 0;
}

void jwtv_free(struct jwt_verifier *v)
{
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys[i].key)
			memset(v->keys[i].key, 0, v->keys[i].len);
		free(v->keys[i].key);
	}
	v->n = 0;
}

static int b64url_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Unpadded base64url (RFC 7515 §2) into out (NUL-terminated); -1 on any
 * character outside the alphabet or a length no encoder makes. */
static int b64url_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;

	if (n % 4 == 1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int v = b64url_val((unsigned char)s[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= cap)
				return -1;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = 0;
	return (int)o;
}

static int fail(const char **code, const char *c, struct settle_err *err, const char *msg)
{
	*code = c;
	return err_set(err, SETTLE_EX_DATAERR, "%s", msg);
}

/* The key this header asks for, if its alg is that key's. */
static const struct jwtv_key *choose_key(const struct jwt_verifier *v, const char *token, const char **code,
					 struct settle_err *err)
{
	const char *dot = strchr(token, '.');
	char hdr[1024];
	json_t *h;
	const char *alg, *kid = "";
	const struct jwtv_key *k = NULL;
	int n;

	if (!dot || (n = b64url_decode(token, (size_t)(dot - token), hdr, sizeof hdr)) < 0 ||
	    memchr(hdr, 0, (size_t)n)) {
		fail(code, "token_malformed", err, "bearer token: malformed header");
		return NULL;
	}
	h = json_loads(hdr, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(h) || !json_is_string(json_object_get(h, "alg")) ||
	    (json_object_get(h, "kid") && !json_is_string(json_object_get(h, "kid")))) {
		json_decref(h);
		fail(code, "token_malformed", err, "bearer token: header is not a JSON object with an alg");
		return NULL;
	}
	alg = json_string_value(json_object_get(h, "alg"));
	if (json_object_get(h, "kid"))
		kid = json_string_value(json_object_get(h, "kid"));
	for (size_t i = 0; i < v->n && !k; i++)
		if (!strcmp(v->keys[i].kid, kid))
			k = &v->keys[i];
	if (!k) {
		json_decref(h);
		fail(code, "token_key", err, "bearer token: unknown key id");
		return NULL;
	}
	/* Exact, case-sensitive: "none", "None", "HS256" for an RS256 key … */
	if (strcmp(alg, jwt_alg_str((jwt_alg_t)k->alg))) {
		json_decref(h);
		fail(code, "token_algorithm", err, "bearer token: algorithm not the one pinned to its key");
		return NULL;
	}
	json_decref(h);
	return k;
}

static int claims_check(const struct jwt_verifier *v, json_t *c, int64_t now, struct api_principal *out,
			const char **code, struct settle_err *err)
{
	json_t *exp = json_object_get(c, "exp"), *nbf = json_object_get(c, "nbf"), *aud = json_object_get(c, "aud");
	const char *iss = json_string_value(json_object_get(c, "iss"));
	const char *sub = json_string_value(json_object_get(c, "sub"));
	const char *role = json_string_value(json_object_get(c, "role"));
	int aud_ok = 0;

	if (!json_is_integer(exp) || (nbf && !json_is_integer(nbf)))
		return fail(code, "token_claims", err, "bearer token: exp missing or not a number");
	if (now > json_integer_value(exp) + v->skew_s)
		return fail(code, "token_expired", err, "bearer token: expired");
	if (nbf && now + v->skew_s < json_integer_value(nbf))
		return fail(code, "token_not_yet_valid", err, "bearer token: not yet valid");
	if (!iss || strcmp(iss, v->issuer))
		return fail(code, "token_issuer", err, "bearer token: wrong issuer");
	if (json_is_string(aud))
		aud_ok = !strcmp(json_string_value(aud), v->audience);
	else if (json_is_array(aud)) {
		size_t i;
		json_t *a;

		json_array_foreach(aud, i, a)
			if (json_is_string(a) && !strcmp(json_string_value(a), v->audience))
				aud_ok = 1;
	}
	if (!aud_ok)
		return fail(code, "token_audience", err, "bearer token: wrong audience");
	if (!sub || !*sub || strlen(sub) >= sizeof out->sub)
		return fail(code, "token_claims", err, "bearer token: sub missing or too long");
	for (const char *p = sub; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_' || *p == '.'))
			return fail(code, "token_claims", err, "bearer token: sub has a character ids never have");
	out->role = api_role_parse(role);
	if (out->role == API_ROLE_NONE)
		return fail(code, "token_claims", err, "bearer token: role missing or unknown");
	strcpy(out->sub, sub);
	return 0;
}

int jwtv_verify(const struct jwt_verifier *v, const char *token, int64_t now, struct api_principal *out,
		const char **code, struct settle_err *err)
{
	const struct jwtv_key *k;
	jwt_t *j = NULL;
	char *claims;
	json_t *c;
	int rc;

	memset(out, 0, sizeof *out);
	if (strlen(token) > TOKEN_MAX)
		return fail(code, "token_malformed", err, "bearer token: too long");
	for (const char *p = token; *p; p++)
		if (b64url_val((unsigned char)*p) < 0 && *p != '.')
			return fail(code, "token_malformed", err, "bearer token: character outside base64url");
	if (!(k = choose_key(v, token, code, err)))
		return -1;
	if (jwt_decode(&j, token, k->key, (int)k->len) || !j) {
		jwt_free(j);
		return fail(code, "token_signature", err, "bearer token: signature does not verify");
	}
	if (jwt_get_alg(j) != (jwt_alg_t)k->alg) {
		jwt_free(j);
		return fail(code, "token_algorithm", err, "bearer token: algorithm not the one pinned to its key");
	}
	claims = jwt_get_grants_json(j, NULL);
	jwt_free(j);
	c = claims ? json_loads(claims, 0, NULL) : NULL;
	free(claims);
	if (!json_is_object(c)) {
		json_decref(c);
		return fail(code, "token_malformed", err, "bearer token: claims are not a JSON object");
	}
	rc = claims_check(v, c, now, out, code, err);
	json_decref(c);
	return rc;
}
