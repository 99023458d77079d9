/*
 * fuzz_inbound.c — what reaches settle unasked: the PGs' webhook bodies
 * (pay-webhookd: parsed, then redacted for storage), bearer tokens (settle-apid), the Study Service's user
 * look-ups (settle-notify's contacts) and the card numbers the PGs return.
 *
 * Where the parser first checks a signature, the harness signs the input
 * itself (byte 0 says whether), so the fuzzer reaches the reading behind
 * the check instead of stopping at a signature it cannot forge.
 */
#include "fuzz/fuzz.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/api/jwt_verify.h"
#include "adapters/notify/contacts.h"
#include "adapters/pg/webhook_parse.h"
#include "adapters/pg/webhook_redact.h"
#include "domain/card_mask.h"

#define PAYOUTS_KEY "5a0bd1e3c4f2a6978b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f40"
#define NOW_US 1764068400000000LL /* 2025-11-25T11:00:00Z */
#define NOW_KST "2025-11-25T20:00:00+09:00"

struct hdrs {
	const char *sig, *time;
};

static const char *hdr(void *arg, const char *name)
{
	const struct hdrs *h = arg;

	if (!strcmp(name, "tosspayments-webhook-signature"))
		return h->sig;
	if (!strcmp(name, "tosspayments-webhook-transmission-time"))
		return h->time;
	return NULL;
}

/* Byte 0: the source (mod 3: toss, nicepay, toss-payouts); for payouts,
 * bit 2 clear signs the body with the key, set leaves it unsigned. */
int fuzz_webhook(const uint8_t *data, size_t size)
{
	static const char *const sources[] = {"toss", "nicepay", "toss-payouts"};
	static const struct webhook_keys keys = {"nicepay-secret", PAYOUTS_KEY, 300};
	struct webhook_event ev;
	struct settle_err err = {0};
	struct hdrs h = {"v1:AAAA", NOW_KST};
	char sig[128], *body;

	if (size < 1)
		return 0;
	body = fuzz_cstr(data + 1, size - 1);
	if (!body)
		return 0;
	if (data[0] % 3 == 2 && !(data[0] & 4) &&
	    webhook_payout_sign(PAYOUTS_KEY, body, size - 1, NOW_KST, sig, sizeof sig) == 0)
		h.sig = sig;
	if (webhook_parse(sources[data[0] % 3], body, size - 1, hdr, &h, &keys, NOW_US, &ev, &err) == 0) {
		char *kept = NULL;

		(void)webhook_redact(body, size - 1, &kept); /* what pay-webhookd stores */
		free(kept);
	}
	free(body);
	return 0;
}

/* base64url without padding, as JWS writes it. */
static void b64url(const unsigned char *in, size_t n, char *out)
{
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (char *p = out; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
}

static const char jwt_secret[] = "a-shared-secret-of-at-least-32-bytes!!";

/* Byte 0 odd: the rest is a claims object, signed HS256 under the
 * configured key (so claims checking is reached); even: the rest is the
 * token as it comes. */
int fuzz_jwt(const uint8_t *data, size_t size)
{
	static struct jwt_verifier v;
	static int ready;
	struct settle_err err = {0};
	struct api_principal p;
	const char *code = NULL;
	char *token = NULL;

	if (size < 1 || size > 8192)
		return 0;
	if (!ready) {
		if (jwtv_add_key(&v, "hs1", "HS256", (const unsigned char *)jwt_secret, sizeof jwt_secret - 1, &err) < 0)
			abort();
		snprintf(v.issuer, sizeof v.issuer, "https://id.example");
		snprintf(v.audience, sizeof v.audience, "settle-api");
		v.skew_s = 60;
		ready = 1;
	}
	if (data[0] & 1) {
		static const char head[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"hs1\"}";
		size_t cap = 4 * (size + sizeof head) / 3 + 128;
		unsigned char mac[EVP_MAX_MD_SIZE];
		unsigned int mac_len = 0;
		size_t at;

		token = malloc(cap);
		if (!token)
			return 0;
		b64url((const unsigned char *)head, sizeof head - 1, token);
		at = strlen(token);
		token[at++] = '.';
		b64url(data + 1, size - 1, token + at);
		at = strlen(token);
		HMAC(EVP_sha256(), jwt_secret, sizeof jwt_secret - 1, (unsigned char *)token, at, mac, &mac_len);
		token[at++] = '.';
		b64url(mac, mac_len, token + at);
	} else {
		token = fuzz_cstr(data + 1, size - 1);
		if (!token)
			return 0;
	}
	(void)jwtv_verify(&v, token, NOW_US / 1000000, &p, &code, &err);
	free(token);
	return 0;
}

/* Byte 0: the HTTP status; the rest the Study Service's user answer. */
int fuzz_contacts(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 404, 400, 401, 500, 503, 0};
	struct settle_err err = {0};
	struct contact c;
	char *body;

	if (size < 1)
		return 0;
	body = fuzz_cstr(data + 1, size - 1);
	if (!body)
		return 0;
	(void)contacts_parse_user(statuses[data[0] % 7], body, size - 1, "u-100", &c, &err);
	free(body);
	return 0;
}

int fuzz_card_mask(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	(void)card_number_keepable(s);
	(void)card_issuer_keepable(s);
	free(s);
	return 0;
}
