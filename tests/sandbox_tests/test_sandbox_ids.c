/*
 * test_sandbox_ids.c — the sandbox is as strict about ids as the real
 * services: a Toss orderId outside 6–64 of [A-Za-z0-9_-], a paymentKey
 * outside 1–200 of the same, an Idempotency-Key that is not printable
 * ASCII, a NicePay tid that is not 30 of [A-Za-z0-9] and a NicePay
 * orderId outside 1–64 of [A-Za-z0-9_-] are all refused — so no test can
 * pass here with an id the real API would turn away. Paths are sent
 * percent-encoded, as settle's adapters send them; the sandbox sees them
 * decoded, as the PG would.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lib/sandbox_proc.h"

#define BUF 8192

static struct sandbox_proc sp;

static void start(void)
{
	cr_assert_eq(sandbox_start(&sp, NULL), 0, "settle-sandbox did not start (SETTLE_BIN_DIR?)");
}

static void stop(void)
{
	sandbox_stop(&sp);
}

TestSuite(sandbox_ids, .init = start, .fini = stop, .timeout = 60);

static long call(const char *auth, const char *idem, const char *method, const char *path, const char *body,
		 char *resp)
{
	char ih[512];
	const char *h[3] = {auth, NULL, NULL};
	long st = -1;

	if (idem) {
		snprintf(ih, sizeof ih, "Idempotency-Key: %s", idem);
		h[1] = ih;
	}
	cr_assert_eq(sandbox_request(&sp, method, path, h, body, 0, resp, BUF, &st), 0);
	return st;
}

static const char *field(const char *text, const char *key)
{
	static char out[256];
	json_t *root = json_loads(text, 0, NULL);
	const char *v = json_string_value(json_object_get(root, key));

	snprintf(out, sizeof out, "%s", v ? v : "");
	json_decref(root);
	return out;
}

Test(sandbox_ids, toss_refuses_order_ids_and_keys_outside_its_rules)
{
	static const char *const bad_orders[] = {"abc12", "order.0001", "order%2F0001", "order%200001", "%2E%2E",
						 "ord%25er-01",
						 "x123456789012345678901234567890123456789012345678901234567890123456"};
	static const char *const bad_keys[] = {"%2E", "%2E%2E", "tsbx%25x", "tsbx.x", "tsbx%20x", "tsbx%0Ax"};
	char key[128], path[512], body[512], r[BUF], long_key[202];

	cr_assert_eq(sandbox_checkout(&sp, "toss", "order-0001", 5000, "CARD", key, sizeof key), 0);
	for (size_t i = 0; i < sizeof bad_orders / sizeof bad_orders[0]; i++) {
		snprintf(path, sizeof path, "/v1/payments/orders/%s", bad_orders[i]);
		cr_assert_eq(call(SANDBOX_TOSS_AUTH, NULL, "GET", path, NULL, r), 400, "%s: %s", path, r);
		cr_assert_str_eq(field(r, "code"), "INVALID_REQUEST");
	}
	for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
		snprintf(path, sizeof path, "/v1/payments/%s", bad_keys[i]);
		cr_assert_eq(call(SANDBOX_TOSS_AUTH, NULL, "GET", path, NULL, r), 400, "%s: %s", path, r);
		snprintf(path, sizeof path, "/v1/payments/%s/cancel", bad_keys[i]);
		cr_assert_eq(call(SANDBOX_TOSS_AUTH, "k-1", "POST", path, "{\"cancelReason\":\"x\"}", r), 400, "%s: %s",
			     path, r);
		cr_assert_str_eq(field(r, "code"), "INVALID_REQUEST");
	}
	memset(long_key, 'k', 201);
	long_key[201] = '\0';
	snprintf(path, sizeof path, "/v1/payments/%s", long_key);
	cr_assert_eq(call(SANDBOX_TOSS_AUTH, NULL, "GET", path, NULL, r), 400, "%s", r);
	/* Confirm bodies: a short orderId, a dotted one, a key with a slash. */
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"ord-1\",\"amount\":5000}", key);
	cr_assert_eq(call(SANDBOX_TOSS_AUTH, "c-1", "POST", "/v1/payments/confirm", body, r), 400, "%s", r);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"order.0001\",\"amount\":5000}", key);
	cr_assert_eq(call(SANDBOX_TOSS_AUTH, "c-2", "POST", "/v1/payments/confirm", body, r), 400, "%s", r);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s/x\",\"orderId\":\"order-0001\",\"amount\":5000}", key);
	cr_assert_eq(call(SANDBOX_TOSS_AUTH, "c-3", "POST", "/v1/payments/confirm", body, r), 400, "%s", r);
	/* Nothing was confirmed by any of that; the valid request still works,
	 * but not with an Idempotency-Key that is not printable ASCII. */
	cr_assert_eq(sandbox_stat(&sp, "confirm_executed", "order-0001"), 0);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"order-0001\",\"amount\":5000}", key);
	cr_assert_eq(call(SANDBOX_TOSS_AUTH, "c-\xED\x82\xA4", "POST", "/v1/payments/confirm", body, r), 400, "%s", r);
	cr_assert_str_eq(field(r, "code"), "INVALID_IDEMPOTENCY_KEY");
	cr_assert_eq(call(SANDBOX_TOSS_AUTH, "c-4", "POST", "/v1/payments/confirm", body, r), 200, "%s", r);
	cr_assert_str_eq(field(r, "status"), "DONE");
}

Test(sandbox_ids, nicepay_refuses_tids_and_order_ids_outside_its_rules)
{
	static const char *const bad_tids[] = {"%2E%2E", "nictest00m0101", "nictest00m01012401011200001234x",
					       "nictest00m010124010112000%2F34", "nictest00m0101240101120000_34"};
	static const char *const bad_orders[] = {"ORD.1", "ORD%2F1", "%2E%2E", "ORD%201",
						 "x12345678901234567890123456789012345678901234567890123456789012345"};
	char tid[128], path[512], body[512], r[BUF];

	cr_assert_eq(sandbox_checkout(&sp, "nicepay", "nord-ids", 4000, "CARD", tid, sizeof tid), 0);
	for (size_t i = 0; i < sizeof bad_tids / sizeof bad_tids[0]; i++) {
		snprintf(path, sizeof path, "/v1/payments/%s", bad_tids[i]);
		cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "GET", path, NULL, r), 200, "%s", r);
		cr_assert_str_eq(field(r, "resultCode"), "A115", "%s: %s", path, r);
		cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "POST", path, "{\"amount\":4000}", r), 200, "%s", r);
		cr_assert_str_eq(field(r, "resultCode"), "A115", "%s: %s", path, r);
	}
	for (size_t i = 0; i < sizeof bad_orders / sizeof bad_orders[0]; i++) {
		snprintf(path, sizeof path, "/v1/payments/find/%s?orderDate=20260101", bad_orders[i]);
		cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "GET", path, NULL, r), 200, "%s", r);
		cr_assert_str_eq(field(r, "resultCode"), "A118", "%s: %s", path, r);
	}
	/* A cancel whose (fresh) orderId breaks the rule, or whose reason is
	 * over 100 bytes, is refused; a net-cancel by a bad orderId too. */
	snprintf(path, sizeof path, "/v1/payments/%s/cancel", tid);
	cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "POST", path, "{\"reason\":\"x\",\"orderId\":\"nord.c1\"}", r), 200);
	cr_assert_str_eq(field(r, "resultCode"), "2003", "%s", r);
	snprintf(body, sizeof body, "{\"reason\":\"%0101d\",\"orderId\":\"nord-c1\"}", 0);
	cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "POST", path, body, r), 200);
	cr_assert_str_eq(field(r, "resultCode"), "2003", "%s", r);
	cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "POST", "/v1/payments/netcancel", "{\"orderId\":\"../nord-ids\"}", r),
		     200);
	cr_assert_str_eq(field(r, "resultCode"), "2003", "%s", r);
	/* The payment was never cancelled by any of them. */
	snprintf(path, sizeof path, "/v1/payments/%s", tid);
	cr_assert_eq(call(SANDBOX_NICEPAY_AUTH, NULL, "GET", path, NULL, r), 200);
	cr_assert_null(strstr(r, "\"cancelled\""), "%s", r);
	cr_assert_null(strstr(r, "nord-c1"), "%s", r);
	/* The sandbox's own checkout follows the same rule. */
	cr_assert_neq(sandbox_checkout(&sp, "nicepay", "nord/../x", 4000, "CARD", tid, sizeof tid), 0);
}
