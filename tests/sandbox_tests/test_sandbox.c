/*
 * test_sandbox.c — settle-sandbox behaves like Toss Payments, NicePay and
 * the Study Service, and its faults do what the control API promises.
 *
 * Rule: every test starts its own sandbox (fixture) and talks to it over
 * real HTTP on loopback, as settle's adapters will.
 */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/sha.h>

#include "lib/sandbox_proc.h"

#define BUF 16384

static struct sandbox_proc sp;

static void start(void)
{
	cr_assert_eq(sandbox_start(&sp, NULL), 0, "settle-sandbox did not start (SETTLE_BIN_DIR?)");
}

static void stop(void)
{
	sandbox_stop(&sp);
}

/* Toss call: POST when body != NULL. idem may be NULL. Returns the HTTP status. */
static long toss(const char *path, const char *idem, const char *body, char *resp)
{
	char ih[400];
	const char *h[3] = {SANDBOX_TOSS_AUTH, NULL, NULL};
	long st = -1;

	if (idem) {
		snprintf(ih, sizeof ih, "Idempotency-Key: %s", idem);
		h[1] = ih;
	}
	cr_assert_eq(sandbox_request(&sp, body ? "POST" : "GET", path, h, body, 0, resp, BUF, &st), 0);
	return st;
}

static long np(const char *path, const char *body, char *resp)
{
	const char *h[] = {SANDBOX_NICEPAY_AUTH, NULL};
	long st = -1;

	cr_assert_eq(sandbox_request(&sp, body ? "POST" : "GET", path, h, body, 0, resp, BUF, &st), 0);
	return st;
}

/* The string at a dotted path ("virtualAccount.accountNumber") of a JSON text; static copy. */
static const char *jstr(const char *text, const char *dotted)
{
	static char out[1024];
	char path[256], *tok, *save;
	json_t *root = json_loads(text, 0, NULL), *v = root;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s", dotted);
	for (tok = strtok_r(path, ".", &save); v && tok; tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	if (json_is_string(v))
		snprintf(out, sizeof out, "%s", json_string_value(v));
	else if (json_is_null(v))
		snprintf(out, sizeof out, "null");
	json_decref(root);
	return out;
}

static long long jint(const char *text, const char *key)
{
	json_t *root = json_loads(text, 0, NULL);
	json_t *v = json_object_get(root, key);
	long long n = json_is_integer(v) ? (long long)json_integer_value(v) : -1;

	json_decref(root);
	return n;
}

static size_t jlen(const char *text, const char *key)
{
	json_t *root = json_loads(text, 0, NULL);
	size_t n = json_array_size(json_object_get(root, key));

	json_decref(root);
	return n;
}

static void toss_confirm_body(char *out, size_t len, const char *key, const char *order, long long amount)
{
	snprintf(out, len, "{\"paymentKey\":\"%s\",\"orderId\":\"%s\",\"amount\":%lld}", key, order, amount);
}

static void sha_hex(const char *s, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), md);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

TestSuite(sandbox, .init = start, .fini = stop, .timeout = 60);

/* ---------------------------------------------------------------- Toss */

Test(sandbox, toss_checkout_confirm_done)
{
	char key[128], key2[128], body[512], r[BUF];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-card-1", 50000, "CARD", key, sizeof key), 0);
	cr_assert(!strncmp(key, "tsbx_", 5) && strlen(key) == 29, "key %s", key);
	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-card-1", 50000, "CARD", key2, sizeof key2), 0);
	cr_assert_str_eq(key, key2, "checkout of the same orderId must return the same key");
	toss_confirm_body(body, sizeof body, key, "ord-card-1", 50000);
	cr_assert_eq(toss("/v1/payments/confirm", "c-1", body, r), 200, "%s", r);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
	cr_assert_str_eq(jstr(r, "method"), "카드");
	cr_assert_str_eq(jstr(r, "version"), "2022-11-16");
	cr_assert_str_eq(jstr(r, "card.number"), "43301234****123*");
	cr_assert(strstr(jstr(r, "approvedAt"), "+09:00"), "approvedAt %s", jstr(r, "approvedAt"));
	cr_assert_eq(jint(r, "totalAmount"), 50000);
	cr_assert_eq(jint(r, "vat"), 50000 / 11);
	cr_assert_str_eq(jstr(r, "secret"), "null");
	/* The same through the /toss prefix, by key and by order. */
	snprintf(body, sizeof body, "/toss/v1/payments/%s", key);
	cr_assert_eq(toss(body, NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
	cr_assert_eq(toss("/v1/payments/orders/ord-card-1", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "paymentKey"), key);
	cr_assert_eq(toss("/v1/payments/orders/ord-none-1", NULL, NULL, r), 404);
	cr_assert_str_eq(jstr(r, "code"), "NOT_FOUND_PAYMENT");
}

Test(sandbox, toss_idempotent_replay_is_byte_identical)
{
	char key[128], body[512], r1[BUF], r2[BUF], r3[BUF];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-idem-1", 12000, "TRANSFER", key, sizeof key), 0);
	toss_confirm_body(body, sizeof body, key, "ord-idem-1", 12000);
	cr_assert_eq(toss("/v1/payments/confirm", "idem-A", body, r1), 200);
	cr_assert_str_eq(jstr(r1, "method"), "계좌이체");
	cr_assert_str_eq(jstr(r1, "transfer.bankCode"), "88");
	sleep(1); /* a re-execution would carry a new timestamp */
	cr_assert_eq(toss("/v1/payments/confirm", "idem-A", body, r2), 200);
	cr_assert_str_eq(r1, r2, "a replay must return the stored bytes");
	cr_assert_eq(sandbox_stat(&sp, "confirm", "ord-idem-1"), 2);
	cr_assert_eq(sandbox_stat(&sp, "confirm_executed", "ord-idem-1"), 1);
	cr_assert_eq(toss("/v1/payments/confirm", "idem-B", body, r3), 400);
	cr_assert_str_eq(jstr(r3, "code"), "ALREADY_PROCESSED_PAYMENT");
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r3), 400);
	cr_assert_str_eq(jstr(r3, "code"), "ALREADY_PROCESSED_PAYMENT");
}

Test(sandbox, toss_confirm_errors_and_auth)
{
	char key[128], body[512], r[BUF];
	const char *none[] = {NULL};
	const char *bad[] = {"Authorization: Basic !!!", NULL};
	const char *live[] = {"Authorization: Basic bGl2ZV9za194Og==", NULL}; /* live_sk_x: */
	long st;

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-err-1", 1000, "CARD", key, sizeof key), 0);
	toss_confirm_body(body, sizeof body, "tsbx_nope", "ord-err-1", 1000);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 404);
	cr_assert_str_eq(jstr(r, "code"), "NOT_FOUND_PAYMENT_SESSION");
	toss_confirm_body(body, sizeof body, key, "ord-err-1", 999);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 400);
	cr_assert_str_eq(jstr(r, "code"), "INVALID_REQUEST");
	cr_assert(strstr(jstr(r, "message"), "amount"));
	toss_confirm_body(body, sizeof body, key, "ord-err-2", 1000);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 400);
	cr_assert(strstr(jstr(r, "message"), "orderId"));

	cr_assert_eq(sandbox_request(&sp, "POST", "/v1/payments/confirm", none, body, 0, r, BUF, &st), 0);
	cr_assert_eq(st, 401);
	cr_assert_str_eq(jstr(r, "code"), "UNAUTHORIZED_KEY");
	cr_assert_eq(sandbox_request(&sp, "POST", "/v1/payments/confirm", bad, body, 0, r, BUF, &st), 0);
	cr_assert_eq(st, 403);
	cr_assert_str_eq(jstr(r, "code"), "INCORRECT_BASIC_AUTH_FORMAT");
	cr_assert_eq(sandbox_request(&sp, "POST", "/v1/payments/confirm", live, body, 0, r, BUF, &st), 0);
	cr_assert_eq(st, 401);
	/* Nothing above confirmed the payment. */
	cr_assert_eq(toss("/v1/payments/orders/ord-err-1", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "IN_PROGRESS");
	cr_assert_str_eq(jstr(r, "approvedAt"), "null");
}

Test(sandbox, toss_virtual_account_then_deposit)
{
	char key[128], body[512], r[BUF], path[256];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-va-1", 30000, "VIRTUAL_ACCOUNT", key, sizeof key), 0);
	toss_confirm_body(body, sizeof body, key, "ord-va-1", 30000);
	cr_assert_eq(toss("/v1/payments/confirm", "va-1", body, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "WAITING_FOR_DEPOSIT");
	cr_assert_str_eq(jstr(r, "method"), "가상계좌");
	cr_assert_eq(jstr(r, "virtualAccount.accountNumber")[0], 'X');
	cr_assert_str_eq(jstr(r, "virtualAccount.bankCode"), "88");
	cr_assert_str_eq(jstr(r, "virtualAccount.settlementStatus"), "INCOMPLETED");
	cr_assert_geq(strlen(jstr(r, "secret")), 24);
	cr_assert_str_eq(jstr(r, "approvedAt"), "null");
	/* A partial refund before the deposit is not allowed. */
	snprintf(path, sizeof path, "/v1/payments/%s/cancel", key);
	cr_assert_eq(toss(path, NULL, "{\"cancelReason\":\"x\",\"cancelAmount\":100}", r), 403);
	cr_assert_str_eq(jstr(r, "code"), "NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT");
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/deposit", "{\"orderId\":\"ord-va-1\"}", r, BUF), 200);
	snprintf(path, sizeof path, "/v1/payments/%s", key);
	cr_assert_eq(toss(path, NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
	cr_assert(strstr(jstr(r, "approvedAt"), "+09:00"));
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/deposit", "{\"orderId\":\"ord-va-1\"}", r, BUF), 409);
}

Test(sandbox, toss_expire_virtual_account)
{
	char key[128], body[512], r[BUF];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-va-2", 30000, "VIRTUAL_ACCOUNT", key, sizeof key), 0);
	toss_confirm_body(body, sizeof body, key, "ord-va-2", 30000);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 200);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/expire", "{\"orderId\":\"ord-va-2\"}", r, BUF), 200);
	cr_assert_eq(toss("/v1/payments/orders/ord-va-2", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "EXPIRED");
}

Test(sandbox, toss_partial_then_full_cancel)
{
	char key[128], body[512], r[BUF], path[256];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-cxl-1", 50000, "CARD", key, sizeof key), 0);
	toss_confirm_body(body, sizeof body, key, "ord-cxl-1", 50000);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 200);
	snprintf(path, sizeof path, "/v1/payments/%s/cancel", key);
	cr_assert_eq(toss(path, "cx-1", "{\"cancelAmount\":1000}", r), 400);
	cr_assert_str_eq(jstr(r, "code"), "INVALID_REQUEST");
	cr_assert_eq(toss(path, "cx-2", "{\"cancelReason\":\"part\",\"cancelAmount\":60000}", r), 403);
	cr_assert_str_eq(jstr(r, "code"), "NOT_CANCELABLE_AMOUNT");
	cr_assert_eq(toss(path, "cx-3", "{\"cancelReason\":\"part\",\"cancelAmount\":20000}", r), 200, "%s", r);
	cr_assert_str_eq(jstr(r, "status"), "PARTIAL_CANCELED");
	cr_assert_eq(jint(r, "balanceAmount"), 30000);
	cr_assert_eq(jint(r, "totalAmount"), 50000);
	/* The replay of the partial cancel does not cancel twice. */
	cr_assert_eq(toss(path, "cx-3", "{\"cancelReason\":\"part\",\"cancelAmount\":20000}", r), 200);
	cr_assert_eq(jint(r, "balanceAmount"), 30000);
	cr_assert_eq(toss(path, "cx-4", "{\"cancelReason\":\"rest\"}", r), 200);
	cr_assert_str_eq(jstr(r, "status"), "CANCELED");
	cr_assert_eq(jint(r, "balanceAmount"), 0);
	cr_assert_eq(jlen(r, "cancels"), 2);
	cr_assert_eq(toss(path, "cx-5", "{\"cancelReason\":\"again\"}", r), 403);
	cr_assert_str_eq(jstr(r, "code"), "NOT_CANCELABLE_PAYMENT");
	cr_assert_eq(sandbox_stat(&sp, "cancel_executed", "ord-cxl-1"), 5);
}

/* ---------------------------------------------------------------- NicePay */

static void nice_approve_body(char *out, size_t len, const char *tid, long long amount, const char *secret)
{
	char edi[] = "2026-01-02T03:04:05+09:00", buf[512], sig[65];

	snprintf(buf, sizeof buf, "%s%lld%s%s", tid, amount, edi, secret);
	sha_hex(buf, sig);
	snprintf(out, len, "{\"amount\":%lld,\"ediDate\":\"%s\",\"signData\":\"%s\"}", amount, edi, sig);
}

Test(sandbox, nicepay_approve_signature_verifies)
{
	char tid[128], body[512], r[BUF], path[256], buf[512], sig[65];

	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-1", 40000, "CARD", tid, sizeof tid), 0);
	cr_assert(!strncmp(tid, "nictest00m", 10) && strlen(tid) == 30, "tid %s", tid);
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	nice_approve_body(body, sizeof body, tid, 40000, "wrong-secret");
	cr_assert_eq(np(path, body, r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "A101");
	cr_assert_eq(np(path, "{\"amount\":39999}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "A116");
	nice_approve_body(body, sizeof body, tid, 40000, SANDBOX_NICEPAY_SECRET);
	cr_assert_eq(np(path, body, r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "0000", "%s", r);
	cr_assert_str_eq(jstr(r, "status"), "paid");
	cr_assert_str_eq(jstr(r, "payMethod"), "card");
	cr_assert_str_eq(jstr(r, "cancelledTid"), "null");
	cr_assert_str_eq(jstr(r, "card.cardNum"), "536112******1234");
	snprintf(buf, sizeof buf, "%s%lld%s%s", tid, jint(r, "amount"), jstr(r, "ediDate"), SANDBOX_NICEPAY_SECRET);
	sha_hex(buf, sig);
	cr_assert_str_eq(jstr(r, "signature"), sig);
	cr_assert_eq(np(path, body, r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2201");
	/* Lookups. */
	cr_assert_eq(np(path, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "paid");
	cr_assert_eq(np("/nicepay/v1/payments/find/nord-1?orderDate=20260102", NULL, r), 200);
	cr_assert_str_eq(jstr(r, "tid"), tid);
	cr_assert_eq(np("/v1/payments/find/nord-none?orderDate=20260102", NULL, r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "A118");
	cr_assert_eq(np("/v1/payments/nictest00m00000000000000000000", NULL, r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "A118");
}

Test(sandbox, nicepay_auth)
{
	const char *h[] = {"Authorization: Basic UzFfc2FuZGJveDp3cm9uZw==", NULL}; /* S1_sandbox:wrong */
	char r[BUF];
	long st;

	cr_assert_eq(sandbox_request(&sp, "GET", "/nicepay/v1/payments/x", h, NULL, 0, r, BUF, &st), 0);
	cr_assert_eq(st, 401);
	cr_assert_str_eq(jstr(r, "resultCode"), "U104");
}

Test(sandbox, nicepay_partial_then_full_cancel_and_vbank)
{
	char tid[128], r[BUF], path[256], body[512];

	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-2", 50000, "CARD", tid, sizeof tid), 0);
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	cr_assert_eq(np(path, "{\"amount\":50000}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "0000");
	snprintf(path, sizeof path, "/v1/payments/%s/cancel", tid);
	cr_assert_eq(np(path, "{\"reason\":\"r\",\"orderId\":\"nord-2-c1\",\"cancelAmt\":60000}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2032");
	cr_assert_eq(np(path, "{\"reason\":\"r\",\"cancelAmt\":100}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2003");
	cr_assert_eq(np(path, "{\"reason\":\"r\",\"orderId\":\"nord-2-c1\",\"cancelAmt\":10000}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2001", "%s", r);
	cr_assert_str_eq(jstr(r, "status"), "partialCancelled");
	cr_assert_eq(jint(r, "balanceAmt"), 40000);
	cr_assert_str_neq(jstr(r, "cancelledTid"), tid);
	cr_assert_eq(np(path, "{\"reason\":\"r\",\"orderId\":\"nord-2-c1\",\"cancelAmt\":10000}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2156");
	{
		char buf[256], sig[65];

		snprintf(buf, sizeof buf, "%s%s%s", tid, "2026-01-02T03:04:05+09:00", SANDBOX_NICEPAY_SECRET);
		sha_hex(buf, sig);
		snprintf(body, sizeof body, "{\"reason\":\"all\",\"orderId\":\"nord-2-c2\",\"ediDate\":\"2026-01-02T03:04:05+09:00\",\"signData\":\"%s\"}", sig);
	}
	cr_assert_eq(np(path, body, r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2001", "%s", r);
	cr_assert_str_eq(jstr(r, "status"), "cancelled");
	cr_assert_eq(jint(r, "balanceAmt"), 0);
	cr_assert_eq(jlen(r, "cancels"), 2);
	cr_assert_eq(np(path, "{\"reason\":\"r\",\"orderId\":\"nord-2-c3\"}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2013");

	/* Virtual account: ready with vbank, deposit makes it paid. */
	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-3", 7000, "VIRTUAL_ACCOUNT", tid, sizeof tid), 0);
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	cr_assert_eq(np(path, "{\"amount\":7000}", r), 200);
	cr_assert_str_eq(jstr(r, "status"), "ready");
	cr_assert_str_eq(jstr(r, "payMethod"), "vbank");
	cr_assert_eq(strlen(jstr(r, "vbank.vbankNumber")), 14);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/deposit", "{\"orderId\":\"nord-3\",\"pg\":\"nicepay\"}", r, BUF), 200);
	cr_assert_eq(np(path, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "paid");
	cr_assert_str_neq(jstr(r, "paidAt"), "0");
}

Test(sandbox, nicepay_netcancel)
{
	char tid[128], r[BUF], path[256];

	cr_assert_eq(np("/v1/payments/netcancel", "{\"orderId\":\"nord-4\"}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "A118");
	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-4", 9000, "TRANSFER", tid, sizeof tid), 0);
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	cr_assert_eq(np(path, "{\"amount\":9000}", r), 200);
	cr_assert_str_eq(jstr(r, "payMethod"), "bank");
	cr_assert_eq(np("/v1/payments/netcancel", "{\"orderId\":\"nord-4\"}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2001");
	cr_assert_str_eq(jstr(r, "status"), "cancelled");
	cr_assert_eq(sandbox_stat(&sp, "netcancel_executed", "nord-4"), 2);
}

/* ---------------------------------------------------------------- faults */

static void confirmed_toss(const char *order, char *key, size_t len, char *body, size_t blen)
{
	cr_assert_eq(sandbox_checkout(&sp, "toss", order, 10000, "CARD", key, len), 0);
	toss_confirm_body(body, blen, key, order, 10000);
}

Test(sandbox, fault_http500_does_nothing)
{
	char key[128], body[512], r[BUF];

	confirmed_toss("ord-f500", key, sizeof key, body, sizeof body);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"http500\",\"orderId\":\"ord-f500\",\"op\":\"confirm\"}"), 0);
	cr_assert_eq(toss("/v1/payments/confirm", "f5", body, r), 500);
	cr_assert_str_eq(jstr(r, "code"), "FAILED_INTERNAL_SYSTEM_PROCESSING");
	cr_assert_eq(toss("/v1/payments/orders/ord-f500", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "IN_PROGRESS");
	cr_assert_eq(sandbox_stat(&sp, "confirm_executed", "ord-f500"), 0);
	/* The count is spent: the same key now executes. */
	cr_assert_eq(toss("/v1/payments/confirm", "f5", body, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
}

Test(sandbox, fault_delay_commits_then_answers_late)
{
	char key[128], body[512], r[BUF];
	const char *h[] = {SANDBOX_TOSS_AUTH, "Idempotency-Key: d1", NULL};
	long st;

	confirmed_toss("ord-fdelay", key, sizeof key, body, sizeof body);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"delay\",\"orderId\":\"ord-fdelay\",\"delayMs\":1500}"), 0);
	cr_assert_eq(sandbox_request(&sp, "POST", "/v1/payments/confirm", h, body, 300, r, BUF, &st),
		     CURLE_OPERATION_TIMEDOUT);
	cr_assert_eq(toss("/v1/payments/orders/ord-fdelay", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
}

/* Delayed answers hold no server thread: more of them than the pool has
 * threads, and the sandbox still answers at once. */
Test(sandbox, fault_delay_does_not_block_the_server)
{
	char key[128], body[512], r[BUF];
	const char *h[] = {SANDBOX_TOSS_AUTH, NULL};
	long st;

	confirmed_toss("ord-fdelay2", key, sizeof key, body, sizeof body);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"delay\",\"orderId\":\"ord-fdelay2\",\"op\":\"get\",\"count\":-1,\"delayMs\":3000}"), 0);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(sandbox_request(&sp, "GET", "/v1/payments/orders/ord-fdelay2", h, NULL, 150, r, BUF, &st),
			     CURLE_OPERATION_TIMEDOUT);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(sandbox_request(&sp, "POST", "/v1/payments/confirm", h, body, 500, r, BUF, &st), 0,
			     "the server is blocked");
}

Test(sandbox, fault_malformed_commits)
{
	char key[128], body[512], r[BUF];
	json_t *o;

	confirmed_toss("ord-fmal", key, sizeof key, body, sizeof body);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"malformed\",\"op\":\"confirm\"}"), 0);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 200);
	o = json_loads(r, 0, NULL);
	cr_assert_null(o, "body should not parse: %s", r);
	json_decref(o);
	cr_assert_eq(toss("/v1/payments/orders/ord-fmal", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
}

Test(sandbox, fault_refuse_aborts)
{
	char key[128], body[512], r[BUF], tid[128], path[256];

	confirmed_toss("ord-fref", key, sizeof key, body, sizeof body);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"refuse\",\"orderId\":\"ord-fref\",\"code\":\"REJECT_CARD_PAYMENT\",\"message\":\"limit\",\"status\":403}"), 0);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 403);
	cr_assert_str_eq(jstr(r, "code"), "REJECT_CARD_PAYMENT");
	cr_assert_str_eq(jstr(r, "message"), "limit");
	cr_assert_eq(toss("/v1/payments/orders/ord-fref", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "ABORTED");
	cr_assert_str_eq(jstr(r, "failure.code"), "REJECT_CARD_PAYMENT");

	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-fref", 5000, "CARD", tid, sizeof tid), 0);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"refuse\",\"orderId\":\"nord-fref\",\"code\":\"3011\",\"message\":\"no\"}"), 0);
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	cr_assert_eq(np(path, "{\"amount\":5000}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "3011");
	cr_assert_eq(np(path, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "failed");
}

Test(sandbox, fault_drop_after_commit)
{
	char key[128], body[512], r[BUF], r2[BUF];
	const char *h[] = {SANDBOX_TOSS_AUTH, "Idempotency-Key: drop-1", NULL};
	long st;
	int rc;

	confirmed_toss("ord-fdrop", key, sizeof key, body, sizeof body);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"drop_after_commit\",\"orderId\":\"ord-fdrop\",\"op\":\"confirm\"}"), 0);
	rc = sandbox_request(&sp, "POST", "/v1/payments/confirm", h, body, 0, r, BUF, &st);
	cr_assert(rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR, "curl rc %d", rc);
	cr_assert_eq(toss("/v1/payments/orders/ord-fdrop", NULL, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "DONE");
	/* The retry with the same key gets the committed answer. */
	cr_assert_eq(toss("/v1/payments/confirm", "drop-1", body, r2), 200);
	cr_assert_str_eq(jstr(r2, "status"), "DONE");
	cr_assert_eq(sandbox_stat(&sp, "confirm_executed", "ord-fdrop"), 1);
}

Test(sandbox, fault_scoping_and_clear)
{
	char k1[128], k2[128], b1[512], b2[512], r[BUF];

	confirmed_toss("ord-scope-1", k1, sizeof k1, b1, sizeof b1);
	confirmed_toss("ord-scope-2", k2, sizeof k2, b2, sizeof b2);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"http500\",\"orderId\":\"ord-scope-1\",\"count\":-1}"), 0);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, b2, r), 200, "another order is not hit");
	cr_assert_eq(toss("/v1/payments/confirm", NULL, b1, r), 500);
	cr_assert_eq(toss("/v1/payments/orders/ord-scope-1", NULL, NULL, r), 500, "get by order is hit too");
	cr_assert_eq(sandbox_request(&sp, "DELETE", "/_sandbox/faults", NULL, NULL, 0, r, BUF, NULL), 0);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, b1, r), 200);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"bogus\"}"), -1);
}

Test(sandbox, fault_nicepay_drop_and_http500)
{
	char tid[128], r[BUF], path[256];
	const char *h[] = {SANDBOX_NICEPAY_AUTH, NULL};
	long st;
	int rc;

	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-fdrop", 8000, "CARD", tid, sizeof tid), 0);
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"http500\",\"orderId\":\"nord-fdrop\",\"op\":\"confirm\"}"), 0);
	cr_assert_eq(np(path, "{\"amount\":8000}", r), 500);
	cr_assert_eq(np(path, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "ready", "http500 must not approve");
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"drop_after_commit\",\"orderId\":\"nord-fdrop\"}"), 0);
	rc = sandbox_request(&sp, "POST", path, h, "{\"amount\":8000}", 0, r, BUF, &st);
	cr_assert(rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR, "curl rc %d", rc);
	cr_assert_eq(np(path, NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "paid");
	/* The documented answer to a lost approve: net-cancel by orderId. */
	cr_assert_eq(np("/v1/payments/netcancel", "{\"orderId\":\"nord-fdrop\"}", r), 200);
	cr_assert_str_eq(jstr(r, "resultCode"), "2001");
	cr_assert_eq(sandbox_stat(&sp, "confirm", "nord-fdrop"), 2);
	cr_assert_eq(sandbox_stat(&sp, "confirm_executed", "nord-fdrop"), 1);
}

Test(sandbox, control_checkout_rules_expire_and_reset)
{
	char key[128], body[512], r[BUF];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "ord-ctl-1", 1000, "CARD", key, sizeof key), 0);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/checkout",
				  "{\"pg\":\"toss\",\"orderId\":\"ord-ctl-1\",\"amount\":2000,\"method\":\"CARD\"}", r, BUF), 409);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/checkout",
				  "{\"pg\":\"toss\",\"orderId\":\"bad id!\",\"amount\":2000}", r, BUF), 400);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/checkout", "{\"pg\":\"paypal\",\"orderId\":\"ord-ctl-2\",\"amount\":1}", r, BUF), 400);
	/* An authenticated window that times out: confirm finds no session. */
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/expire", "{\"orderId\":\"ord-ctl-1\"}", r, BUF), 200);
	toss_confirm_body(body, sizeof body, key, "ord-ctl-1", 1000);
	cr_assert_eq(toss("/v1/payments/confirm", NULL, body, r), 404);
	cr_assert_str_eq(jstr(r, "code"), "NOT_FOUND_PAYMENT_SESSION");
	cr_assert_eq(sandbox_stat(&sp, "confirm", NULL), 1);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/reset", NULL, r, BUF), 200);
	cr_assert_eq(sandbox_stat(&sp, "confirm", NULL), 0);
	cr_assert_eq(toss("/v1/payments/orders/ord-ctl-1", NULL, NULL, r), 404);
	cr_assert_eq(sandbox_get(&sp, "/_sandbox/health", r, BUF), 200);
}

/* ---------------------------------------------------------------- Study */

static long study(const char *method, const char *path, const char *body, char *resp)
{
	const char *h[] = {SANDBOX_STUDY_AUTH, NULL};
	long st = -1;

	cr_assert_eq(sandbox_request(&sp, method, path, h, body, 0, resp, BUF, &st), 0);
	return st;
}

Test(sandbox, study_pod_and_idempotent_participation)
{
	char r[BUF];
	long st;

	cr_assert_eq(sandbox_put_pod(&sp, "{\"podId\":\"pod-1\",\"leaderId\":\"lead-1\",\"title\":\"C, deeply\","
				     "\"fee\":50000,\"currency\":\"KRW\",\"status\":\"OPEN\",\"capacity\":2,"
				     "\"startsOn\":\"2026-01-01\",\"endsOn\":\"2026-02-01\"}"), 0);
	cr_assert_eq(study("GET", "/v1/pods/pod-1", NULL, r), 200);
	cr_assert_str_eq(jstr(r, "title"), "C, deeply");
	cr_assert_eq(jint(r, "participants"), 0);
	cr_assert_str_eq(jstr(r, "completedAt"), "null");
	cr_assert_eq(study("GET", "/v1/pods/pod-x", NULL, r), 404);
	cr_assert_str_eq(jstr(r, "code"), "POD_NOT_FOUND");
	cr_assert_eq(sandbox_request(&sp, "GET", "/v1/pods/pod-1", NULL, NULL, 0, r, BUF, &st), 0);
	cr_assert_eq(st, 401);

	cr_assert_eq(study("POST", "/v1/pods/pod-1/participants", "{\"userId\":\"u1\",\"paymentId\":\"pay-1\"}", r), 200);
	cr_assert_str_eq(jstr(r, "status"), "CONFIRMED");
	cr_assert_eq(study("POST", "/v1/pods/pod-1/participants", "{\"userId\":\"u1\",\"paymentId\":\"pay-1\"}", r), 200);
	cr_assert_str_eq(jstr(r, "paymentId"), "pay-1");
	cr_assert_eq(study("GET", "/v1/pods/pod-1", NULL, r), 200);
	cr_assert_eq(jint(r, "participants"), 1);
	cr_assert_eq(study("POST", "/v1/pods/pod-1/participants", "{\"userId\":\"u2\",\"paymentId\":\"pay-1\"}", r), 409);
	cr_assert_eq(study("POST", "/v1/pods/pod-1/participants", "{\"userId\":\"u2\",\"paymentId\":\"pay-2\"}", r), 200);
	cr_assert_eq(study("GET", "/v1/pods/pod-1", NULL, r), 200);
	cr_assert_str_eq(jstr(r, "status"), "FULL");
	cr_assert_eq(study("POST", "/v1/pods/pod-1/participants", "{\"userId\":\"u3\",\"paymentId\":\"pay-3\"}", r), 409);
	cr_assert_str_eq(jstr(r, "code"), "POD_FULL");
	cr_assert_eq(study("POST", "/v1/pods/pod-x/participants", "{\"userId\":\"u3\",\"paymentId\":\"pay-3\"}", r), 404);
	cr_assert_eq(sandbox_stat(&sp, "study_confirm", "pod-1"), 5);

	/* Faults by podId; reset keeps pods. */
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"http500\",\"podId\":\"pod-1\",\"op\":\"study\"}"), 0);
	cr_assert_eq(study("GET", "/v1/pods/pod-1", NULL, r), 500);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/reset", NULL, r, BUF), 200);
	cr_assert_eq(study("GET", "/v1/pods/pod-1", NULL, r), 200);
	cr_assert_eq(sandbox_stat(&sp, "study_get", NULL), 1);
}

/* Its own sandbox with --pods; the fixture's one is not used. */
Test(sandbox, study_pods_from_csv)
{
	struct sandbox_proc sp2;
	char file[] = "/tmp/settle-pods.XXXXXX", r[BUF];
	const char *extra[] = {"--pods", file, NULL};
	const char *h[] = {SANDBOX_STUDY_AUTH, NULL};
	long st;
	FILE *f;
	int fd = mkstemp(file);

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs("pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n"
	      "pod-a,lead-a,\"Rust, then C\",30000,KRW,8,OPEN,2026-03-01,2026-04-01\n"
	      "pod-b,lead-b,Plain,10000,KRW,4,COMPLETED,2026-01-01,2026-02-01\n", f);
	fclose(f);
	cr_assert_eq(sandbox_start_args(&sp2, NULL, extra), 0);
	cr_assert_eq(sandbox_request(&sp2, "GET", "/v1/pods/pod-a", h, NULL, 0, r, BUF, &st), 0);
	cr_assert_eq(st, 200);
	cr_assert_str_eq(jstr(r, "title"), "Rust, then C");
	cr_assert_eq(jint(r, "fee"), 30000);
	cr_assert_eq(sandbox_request(&sp2, "GET", "/v1/pods/pod-b", h, NULL, 0, r, BUF, &st), 0);
	cr_assert_str_eq(jstr(r, "status"), "COMPLETED");
	sandbox_stop(&sp2);
	cr_assert(WIFEXITED(sp2.exit_status) && WEXITSTATUS(sp2.exit_status) == 0, "exit status %d", sp2.exit_status);
	unlink(file);
}

Test(sandbox, stops_cleanly_on_sigterm)
{
	sandbox_stop(&sp);
	cr_assert(WIFEXITED(sp.exit_status) && WEXITSTATUS(sp.exit_status) == 0, "exit status %d", sp.exit_status);
}
