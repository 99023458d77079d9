/*
 * test_sandbox_settlements.c — the sandbox's GET /v1/settlements is as
 * strict as Toss's: Basic auth with the secret key (401/403 in Toss's
 * error shape), startDate and endDate required and calendar dates, start
 * not after end, dateType soldDate|paidOutDate, page >= 1, size 1..5000 —
 * each refused 400 INVALID_REQUEST {code, message}; and its control calls
 * plant the differences reconciliation must find.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

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

TestSuite(sandbox_settlements, .init = start, .fini = stop, .timeout = 60);

static long get(const char *auth, const char *path, char *resp)
{
	const char *h[2] = {auth, NULL};
	long st = -1;

	cr_assert_eq(sandbox_request(&sp, "GET", path, auth ? h : NULL, NULL, 0, resp, BUF, &st), 0);
	return st;
}

static const char *code_of(const char *text)
{
	static char out[128];
	json_t *root = json_loads(text, 0, NULL);
	const char *v = json_string_value(json_object_get(root, "code"));

	snprintf(out, sizeof out, "%s", v ? v : "");
	cr_assert(json_is_string(json_object_get(root, "message")), "%s", text);
	json_decref(root);
	return out;
}

static void today(char out[11])
{
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

Test(sandbox_settlements, refuses_what_toss_refuses)
{
	static const char *const bad_queries[] = {
		"",
		"?startDate=2026-11-01",
		"?endDate=2026-11-30",
		"?startDate=2026-11-01&endDate=2026-02-30",
		"?startDate=2026-13-01&endDate=2026-11-30",
		"?startDate=20261101&endDate=2026-11-30",
		"?startDate=2026-11-01T25:00:00&endDate=2026-11-30",
		"?startDate=2026-11-30&endDate=2026-11-01",
		"?startDate=2026-11-01&endDate=2026-11-30&dateType=approvedAt",
		"?startDate=2026-11-01&endDate=2026-11-30&page=0",
		"?startDate=2026-11-01&endDate=2026-11-30&page=-1",
		"?startDate=2026-11-01&endDate=2026-11-30&page=x",
		"?startDate=2026-11-01&endDate=2026-11-30&size=0",
		"?startDate=2026-11-01&endDate=2026-11-30&size=5001",
		"?startDate=2026-11-01&endDate=2026-11-30&size=",
	};
	char resp[BUF], path[256];

	for (size_t i = 0; i < sizeof bad_queries / sizeof bad_queries[0]; i++) {
		snprintf(path, sizeof path, "/toss/v1/settlements%s", bad_queries[i]);
		cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 400, "%s: %s", path, resp);
		cr_assert_str_eq(code_of(resp), "INVALID_REQUEST", "%s", path);
	}
	snprintf(path, sizeof path, "/toss/v1/settlements?startDate=2026-11-01&endDate=2026-11-30");
	cr_assert_eq(get(NULL, path, resp), 401, "%s", resp);
	cr_assert_str_eq(code_of(resp), "UNAUTHORIZED_KEY");
	cr_assert_eq(get("Authorization: Basic bGl2ZV9za19zYW5kYm94Og==", path, resp), 401, "%s", resp); /* live_sk_ */
	cr_assert_eq(get("Authorization: Bearer x", path, resp), 403, "%s", resp);
	cr_assert_str_eq(code_of(resp), "INCORRECT_BASIC_AUTH_FORMAT");
	/* the good ones: an empty month, and the date-time form */
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	cr_assert_str_eq(resp, "[]");
	cr_assert_eq(get(SANDBOX_TOSS_AUTH,
			 "/v1/settlements?startDate=2026-11-01T00:00:00&endDate=2026-11-30T00:00:00&dateType=paidOutDate"
			 "&page=3&size=5000",
			 resp),
		     200, "%s", resp);
}

Test(sandbox_settlements, records_of_captures_and_cancels_and_plants)
{
	char key[128], resp[BUF], body[512], path[256], day[11];
	json_t *arr;
	long st = 0;

	today(day);
	cr_assert_eq(sandbox_checkout(&sp, "toss", "order-p-0001", 34000, "CARD", key, sizeof key), 0);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"order-p-0001\",\"amount\":34000}", key);
	cr_assert_eq(sandbox_request(&sp, "POST", "/toss/v1/payments/confirm",
				     (const char *const[]){SANDBOX_TOSS_AUTH, "Content-Type: application/json", NULL},
				     body, 0, resp, sizeof resp, &st), 0);
	cr_assert_eq(st, 200, "%s", resp);
	snprintf(path, sizeof path, "/toss/v1/settlements?startDate=%s&endDate=%s", day, day);
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	arr = json_loads(resp, 0, NULL);
	cr_assert_eq(json_array_size(arr), 1, "%s", resp);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(arr, 0), "amount")), 34000);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(arr, 0), "payOutAmount")), 34000 - 799);
	json_decref(arr);

	/* paidOutDate is two days later: today by paidOutDate has nothing */
	snprintf(path, sizeof path, "/toss/v1/settlements?startDate=%s&endDate=%s&dateType=paidOutDate", day, day);
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	cr_assert_str_eq(resp, "[]");

	snprintf(body, sizeof body, "{\"kind\":\"amount\",\"paymentKey\":\"%s\",\"delta\":-1000}", key);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant", body, resp, sizeof resp), 200, "%s", resp);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant", "{\"kind\":\"extra\",\"amount\":777}", resp,
				  sizeof resp), 200, "%s", resp);
	snprintf(path, sizeof path, "/toss/v1/settlements?startDate=%s&endDate=%s", day, day);
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	cr_assert(strstr(resp, "\"amount\":33000") || strstr(resp, "\"amount\": 33000"), "%s", resp);
	cr_assert(strstr(resp, "\"amount\":777") || strstr(resp, "\"amount\": 777"), "%s", resp);

	snprintf(body, sizeof body, "{\"kind\":\"missing\",\"paymentKey\":\"%s\"}", key);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant", body, resp, sizeof resp), 200, "%s", resp);
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	arr = json_loads(resp, 0, NULL);
	cr_assert_eq(json_array_size(arr), 1, "%s", resp); /* only the extra one */
	json_decref(arr);


	/* a record as given (the PG's memory of another process's capture) */
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant",
				  "{\"kind\":\"record\",\"paymentKey\":\"pk_given\",\"transactionKey\":\"tx_given\","
				  "\"orderId\":\"order-given\",\"amount\":4321}",
				  resp, sizeof resp), 200, "%s", resp);
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	cr_assert(strstr(resp, "tx_given") && strstr(resp, "order-given"), "%s", resp);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant",
				  "{\"kind\":\"record\",\"paymentKey\":\"pk_given\",\"amount\":1}", resp, sizeof resp),
		     400, "a record needs its transaction key");

	/* bad control calls are refused */
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant", "{\"kind\":\"amount\"}", resp, sizeof resp), 400);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/plant", "{\"kind\":\"odd\"}", resp, sizeof resp), 400);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/knobs", "{\"variant\":\"v9\"}", resp, sizeof resp), 400);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/knobs", "{\"lagDays\":31}", resp, sizeof resp), 400);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/reset", "{}", resp, sizeof resp), 200);
	cr_assert_eq(get(SANDBOX_TOSS_AUTH, path, resp), 200, "%s", resp);
	arr = json_loads(resp, 0, NULL);
	cr_assert_eq(json_array_size(arr), 1, "%s", resp); /* the payment again, as it is */
	json_decref(arr);
}
