/*
 * test_sandbox_sellers.c — the sandbox's POST /v2/sellers is as strict as
 * the fact sheet (research/pg-apis.md T8): JWE bodies in ENCRYPTION mode,
 * the fields each businessType needs, 3-digit bank codes, a refSellerId
 * used once; GET /v2/sellers pages newest first. Raw HTTP, no adapter.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "adapters/bank/jwe.h"
#include "lib/sandbox_proc.h"
#include "sandbox/payouts.h"

#define BUF 16384

static struct sandbox_proc sp;
static struct jwe_key *key;

static void start(void)
{
	struct settle_err err = {0};

	cr_assert_eq(sandbox_start(&sp, NULL), 0, "settle-sandbox did not start (SETTLE_BIN_DIR?)");
	key = jwe_key_from_hex(SANDBOX_PAYOUTS_SECURITY_KEY, &err);
	cr_assert_not_null(key, "%s", err.msg);
}

static void stop(void)
{
	jwe_key_free(key);
	sandbox_stop(&sp);
}

TestSuite(sandbox_sellers, .init = start, .fini = stop, .timeout = 60);

/* POST /toss/v2/sellers with plain encrypted (unless raw); the answer
 * decrypted into *out (plain JSON when it does not decrypt). */
static long post(const char *plain, const char *idem, int encrypted_mode, const char *ctype, json_t **out)
{
	struct settle_err err = {0};
	char ih[400], resp[BUF], *jwe = jwe_encrypt(key, plain, strlen(plain), NULL, &err), *dec;
	const char *h[6] = {SANDBOX_TOSS_AUTH, NULL, NULL, NULL, NULL, NULL};
	size_t n = 1, len = 0;
	long st = -1;

	cr_assert_not_null(jwe);
	if (encrypted_mode)
		h[n++] = "TossPayments-api-security-mode: ENCRYPTION";
	if (ctype)
		h[n++] = ctype;
	if (idem) {
		snprintf(ih, sizeof ih, "Idempotency-Key: %s", idem);
		h[n++] = ih;
	}
	cr_assert_eq(sandbox_request(&sp, "POST", "/toss/v2/sellers", h, jwe, 0, resp, sizeof resp, &st), 0);
	free(jwe);
	dec = jwe_decrypt(key, resp, strlen(resp), &len, &err);
	*out = json_loads(dec ? dec : resp, 0, NULL);
	free(dec);
	cr_assert_not_null(*out, "%s", resp);
	return st;
}

static const char *code_of(json_t *j)
{
	json_t *e = json_object_get(j, "error");

	return json_string_value(json_object_get(json_is_object(e) ? e : j, "code"));
}

static const char *message_of(json_t *j)
{
	json_t *e = json_object_get(j, "error");

	return json_string_value(json_object_get(json_is_object(e) ? e : j, "message"));
}

#define PERSON(ref, extra)                                                                                    \
	"{\"refSellerId\":\"" ref "\",\"businessType\":\"INDIVIDUAL\",\"individual\":{\"name\":\"Kim\","      \
	"\"email\":\"k@example.com\",\"phone\":\"01012345678\"},\"account\":{\"bankCode\":\"004\","          \
	"\"accountNumber\":\"12345678901\",\"holderName\":\"Kim\"}" extra "}"

Test(sandbox_sellers, registered_listed_and_replayed)
{
	json_t *j, *again;
	char id[80];

	cr_assert_eq(post(PERSON("r-1", ""), "k-1", 1, "Content-Type: text/plain", &j), 200);
	cr_assert_str_eq(json_string_value(json_object_get(j, "entityType")), "seller");
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(json_object_get(j, "entityBody"), "id")));
	cr_assert(!strncmp(id, "seller_", 7), "%s", id);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "entityBody"), "status")),
			 "APPROVAL_REQUIRED");
	{
		char *text = json_dumps(j, 0);

		cr_assert_null(strstr(text, "12345678901"), "the account number is never echoed: %s", text);
		free(text);
	}
	/* same key, same body: the first answer */
	cr_assert_eq(post(PERSON("r-1", ""), "k-1", 1, "Content-Type: text/plain", &again), 200);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(again, "entityBody"), "id")), id);
	json_decref(again);
	/* same key, another body: 422 */
	cr_assert_eq(post(PERSON("r-2", ""), "k-1", 1, "Content-Type: text/plain", &again), 422);
	cr_assert_str_eq(code_of(again), "INVALID_IDEMPOTENCY_KEY");
	json_decref(again);
	/* the refSellerId again under a new key: never reusable */
	cr_assert_eq(post(PERSON("r-1", ""), "k-2", 1, "Content-Type: text/plain", &again), 400);
	cr_assert_str_eq(code_of(again), "DUPLICATED_REF_SELLER_ID");
	json_decref(again);
	cr_assert_eq(sandbox_stat(&sp, "seller_executed", NULL), 1);
	json_decref(j);
}

Test(sandbox_sellers, strict_fields_and_headers)
{
	static const struct {
		const char *body, *field;
	} bad[] = {
		{PERSON("", ""), "refSellerId"},
		{PERSON("a/b", ""), "refSellerId"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"PERSON\"}", "businessType"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL\",\"account\":{}}", "individual"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"CORPORATE\",\"individual\":{}}", "individual"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"CORPORATE\",\"company\":{\"name\":\"C\",\"email\":\"c@x.kr\","
		 "\"phone\":\"0212345678\",\"businessRegistrationNumber\":\"2208123456\"}}",
		 "representativeName"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL_BUSINESS\",\"company\":{\"name\":\"C\",\"email\":"
		 "\"c@x.kr\",\"phone\":\"0212345678\",\"representativeName\":\"R\",\"businessRegistrationNumber\":\"22\"}}",
		 "businessRegistrationNumber"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL\",\"individual\":{\"name\":\"K\",\"email\":"
		 "\"k@x.kr\"},\"account\":{\"bankCode\":\"004\",\"accountNumber\":\"12345678901\",\"holderName\":\"K\"}}",
		 "phone"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL\",\"individual\":{\"name\":\"K\",\"phone\":"
		 "\"01012345678\"},\"account\":{\"bankCode\":\"004\",\"accountNumber\":\"12345678901\",\"holderName\":\"K\"}}",
		 "email"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL\",\"individual\":{\"name\":\"K\",\"email\":"
		 "\"k@x.kr\",\"phone\":\"01012345678\"},\"account\":{\"bankCode\":\"04\",\"accountNumber\":\"12345678901\","
		 "\"holderName\":\"K\"}}",
		 "bankCode"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL\",\"individual\":{\"name\":\"K\",\"email\":"
		 "\"k@x.kr\",\"phone\":\"01012345678\"},\"account\":{\"bankCode\":\"004\",\"accountNumber\":\"12-34\","
		 "\"holderName\":\"K\"}}",
		 "accountNumber"},
		{"{\"refSellerId\":\"r\",\"businessType\":\"INDIVIDUAL\",\"individual\":{\"name\":\"K\",\"email\":"
		 "\"k@x.kr\",\"phone\":\"01012345678\"},\"account\":{\"bankCode\":\"004\",\"accountNumber\":\"12345678901\"}}",
		 "holderName"},
		{PERSON("r", ",\"metadata\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6}"), "metadata"},
		{"[1]", "seller object"},
	};
	json_t *j;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(post(bad[i].body, NULL, 1, "Content-Type: text/plain", &j), 400, "%zu", i);
		cr_assert_str_eq(code_of(j), "INVALID_REQUEST", "%zu", i);
		cr_assert(strstr(message_of(j), bad[i].field), "%zu: %s", i, message_of(j));
		json_decref(j);
	}
	/* not ENCRYPTION mode, not text/plain */
	cr_assert_eq(post(PERSON("r-h", ""), NULL, 0, "Content-Type: text/plain", &j), 400);
	cr_assert_str_eq(code_of(j), "INVALID_REQUEST");
	json_decref(j);
	cr_assert_eq(post(PERSON("r-h", ""), NULL, 1, "Content-Type: application/json", &j), 400);
	json_decref(j);
	cr_assert_eq(sandbox_stat(&sp, "seller_executed", NULL), 0);
	/* no auth */
	{
		char resp[BUF];
		long st = -1;
		const char *h[] = {"TossPayments-api-security-mode: ENCRYPTION", "Content-Type: text/plain", NULL};

		cr_assert_eq(sandbox_request(&sp, "POST", "/toss/v2/sellers", h, "x", 0, resp, sizeof resp, &st), 0);
		cr_assert_eq(st, 401, "%s", resp);
	}
}

Test(sandbox_sellers, list_pages_newest_first)
{
	char resp[BUF], path[160], *dec;
	const char *h[] = {SANDBOX_TOSS_AUTH, "TossPayments-api-security-mode: ENCRYPTION", NULL};
	struct settle_err err = {0};
	json_t *j, *body;
	size_t len;
	long st;

	for (int i = 0; i < 5; i++) {
		char b[2048], ref[16];

		snprintf(ref, sizeof ref, "p-%d", i);
		snprintf(b, sizeof b, PERSON("%s", ""), ref);
		cr_assert_eq(post(b, NULL, 1, "Content-Type: text/plain", &j), 200);
		json_decref(j);
	}
	cr_assert_eq(sandbox_request(&sp, "GET", "/toss/v2/sellers?limit=3", h, NULL, 0, resp, sizeof resp, &st), 0);
	cr_assert_eq(st, 200, "%s", resp);
	dec = jwe_decrypt(key, resp, strlen(resp), &len, &err);
	cr_assert_not_null(dec, "%s", err.msg);
	j = json_loads(dec, 0, NULL);
	free(dec);
	body = json_object_get(j, "entityBody");
	cr_assert_eq(json_array_size(json_object_get(body, "items")), 3);
	cr_assert(json_is_true(json_object_get(body, "hasNext")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(body, "items"), 0), "refSellerId")),
			 "p-4");
	snprintf(path, sizeof path, "/toss/v2/sellers?limit=3&startingAfter=%s",
		 json_string_value(json_object_get(body, "lastCursor")));
	json_decref(j);
	cr_assert_eq(sandbox_request(&sp, "GET", path, h, NULL, 0, resp, sizeof resp, &st), 0);
	dec = jwe_decrypt(key, resp, strlen(resp), &len, &err);
	cr_assert_not_null(dec, "%s", err.msg);
	j = json_loads(dec, 0, NULL);
	free(dec);
	body = json_object_get(j, "entityBody");
	cr_assert_eq(json_array_size(json_object_get(body, "items")), 2);
	cr_assert(!json_is_true(json_object_get(body, "hasNext")));
	json_decref(j);
	cr_assert_eq(sandbox_request(&sp, "GET", "/toss/v2/sellers?limit=101", h, NULL, 0, resp, sizeof resp, &st), 0);
	cr_assert_eq(st, 400);
	cr_assert_eq(sandbox_request(&sp, "GET", "/toss/v2/sellers?startingAfter=seller_nope", h, NULL, 0, resp,
				     sizeof resp, &st),
		     0);
	cr_assert_eq(st, 400);
}
