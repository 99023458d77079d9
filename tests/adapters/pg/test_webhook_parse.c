/*
 * test_webhook_parse.c — the PGs' notifications read as the fact sheet
 * says (research/pg-apis.md T7, N4): the Toss deposit callback and status
 * change, NicePay's signature, and the payouts v2 HMAC with either of two
 * values, the transmission-time window and the raw bytes (a re-serialised
 * body fails).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/pg/nicepay/nicepay_parse.h"
#include "adapters/pg/webhook_parse.h"

#define KEY "5a0bd1e3c4f2a6978b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f40"
#define NOW_US 1764068400000000LL /* 2025-11-25T11:00:00Z */
#define NOW_KST "2025-11-25T20:00:00+09:00"

struct hdrs {
	const char *sig, *time;
};

static const char *hdr(void *arg, const char *name)
{
	struct hdrs *h = arg;

	if (!strcmp(name, "tosspayments-webhook-signature"))
		return h->sig;
	if (!strcmp(name, "tosspayments-webhook-transmission-time"))
		return h->time;
	return NULL;
}

static const struct webhook_keys keys = {"nicepay-secret", KEY, 300};

Test(adapters_pg_webhook, time_formats)
{
	int64_t us;

	cr_assert_eq(webhook_time_parse(NOW_KST, &us), 0);
	cr_assert_eq(us, NOW_US);
	cr_assert_eq(webhook_time_parse("2025-11-25T11:00:00Z", &us), 0);
	cr_assert_eq(us, NOW_US);
	cr_assert_eq(webhook_time_parse("2025-11-25T11:00:00.123Z", &us), 0);
	cr_assert_eq(webhook_time_parse("2025-11-25T11:00:00", &us), -1, "no zone");
	cr_assert_eq(webhook_time_parse("2025-11-25 11:00:00Z", &us), -1);
	cr_assert_eq(webhook_time_parse("2025-13-25T11:00:00Z", &us), -1);
	cr_assert_eq(webhook_time_parse("2025-11-25T11:00:00+9:00", &us), -1);
	cr_assert_eq(webhook_time_parse("2025-11-25T11:00:00Zjunk", &us), -1);
	cr_assert_eq(webhook_time_parse("", &us), -1);
}

Test(adapters_pg_webhook, toss_deposit_callback)
{
	const char *b = "{\"createdAt\":\"2025-11-25T20:00:00.000000\",\"secret\":\"s3cr3t\",\"status\":\"DONE\","
			"\"transactionKey\":\"tk1\",\"orderId\":\"ord_1\"}";
	struct webhook_event ev;
	struct settle_err err = {0};

	cr_assert_eq(webhook_parse("toss", b, strlen(b), hdr, &(struct hdrs){0}, &keys, NOW_US, &ev, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(ev.kind, WH_DEPOSIT);
	cr_assert_str_eq(ev.order_id, "ord_1");
	cr_assert_str_eq(ev.secret, "s3cr3t");
	cr_assert_str_eq(ev.status, "DONE");
	cr_assert_str_eq(ev.event_id, "DEPOSIT_CALLBACK:tk1:DONE");
}

Test(adapters_pg_webhook, toss_status_change_and_others)
{
	const char *b = "{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"createdAt\":\"x\",\"data\":{\"paymentKey\":\"pk\","
			"\"orderId\":\"ord_2\",\"status\":\"CANCELED\"}}";
	const char *o = "{\"eventType\":\"METHOD_UPDATED\",\"createdAt\":\"2025\"}";
	struct webhook_event ev;
	struct settle_err err = {0};

	cr_assert_eq(webhook_parse("toss", b, strlen(b), hdr, &(struct hdrs){0}, &keys, NOW_US, &ev, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(ev.kind, WH_PAYMENT_STATUS);
	cr_assert_str_eq(ev.event_id, "PAYMENT_STATUS_CHANGED:pk:CANCELED");
	cr_assert_eq(webhook_parse("toss", o, strlen(o), hdr, &(struct hdrs){0}, &keys, NOW_US, &ev, &err), 0);
	cr_assert_eq(ev.kind, WH_OTHER);
}

Test(adapters_pg_webhook, nicepay_signature)
{
	char sig[65], b[512];
	struct webhook_event ev;
	struct settle_err err = {0};

	cr_assert_eq(nicepay_sign_hex(sig, "tid1", "50000", NOW_KST, "nicepay-secret", NULL), 0);
	snprintf(b, sizeof b,
		 "{\"tid\":\"tid1\",\"orderId\":\"ord_3\",\"amount\":50000,\"ediDate\":\"%s\",\"signature\":\"%s\","
		 "\"status\":\"paid\"}",
		 NOW_KST, sig);
	cr_assert_eq(webhook_parse("nicepay", b, strlen(b), hdr, NULL, &keys, NOW_US, &ev, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ev.event_id, "tid1:paid");
	/* the amount changed in transit */
	snprintf(b, sizeof b,
		 "{\"tid\":\"tid1\",\"orderId\":\"ord_3\",\"amount\":50001,\"ediDate\":\"%s\",\"signature\":\"%s\","
		 "\"status\":\"paid\"}",
		 NOW_KST, sig);
	cr_assert_eq(webhook_parse("nicepay", b, strlen(b), hdr, NULL, &keys, NOW_US, &ev, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_NOPERM);
}

Test(adapters_pg_webhook, payout_signature_window_and_raw_bytes)
{
	const char *b = "{\"eventType\":\"payout.changed\",\"createdAt\":\"x\",\"version\":\"2022-11-16\","
			"\"eventId\":\"ev1\",\"entityType\":\"payout\",\"entityBody\":{\"refPayoutId\":\"po_1\","
			"\"status\":\"COMPLETED\"}}";
	const char *reser = "{\"eventType\": \"payout.changed\", \"createdAt\":\"x\",\"version\":\"2022-11-16\","
			    "\"eventId\":\"ev1\",\"entityType\":\"payout\",\"entityBody\":{\"refPayoutId\":\"po_1\","
			    "\"status\":\"COMPLETED\"}}";
	char sig[64], other[64], two[160];
	struct webhook_event ev;
	struct settle_err err = {0};

	cr_assert_eq(webhook_payout_sign(KEY, b, strlen(b), NOW_KST, sig, sizeof sig), 0);
	cr_assert_eq(webhook_parse("toss-payouts", b, strlen(b), hdr, &(struct hdrs){sig, NOW_KST}, &keys, NOW_US, &ev,
				   &err),
		     0, "%s", err.msg);
	cr_assert_eq(ev.kind, WH_PAYOUT_STATUS);
	cr_assert_str_eq(ev.payout_ref, "po_1");
	cr_assert_str_eq(ev.event_id, "ev1");
	/* either of two values (a key rotation) */
	cr_assert_eq(webhook_payout_sign("old-key", b, strlen(b), NOW_KST, other, sizeof other), 0);
	snprintf(two, sizeof two, "v1:%s,%s", other + 3, sig + 3);
	cr_assert_eq(webhook_parse("toss-payouts", b, strlen(b), hdr, &(struct hdrs){two, NOW_KST}, &keys, NOW_US, &ev,
				   &err),
		     0, "%s", err.msg);
	/* refusals: other key only, re-serialised body, time outside the window, no v1:, no headers */
	struct {
		const char *what, *body, *sig, *time;
	} bad[] = {
		{"other key", b, other, NOW_KST},
		{"re-serialised", reser, sig, NOW_KST},
		{"ten minutes late", b, sig, "2025-11-25T20:10:01+09:00"},
		{"no v1", b, sig + 3, NOW_KST},
		{"no signature", b, NULL, NOW_KST},
		{"no time", b, sig, NULL},
		{"bad time", b, sig, "yesterday"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err.code = 0;
		cr_assert_eq(webhook_parse("toss-payouts", bad[i].body, strlen(bad[i].body), hdr,
					   &(struct hdrs){bad[i].sig, bad[i].time}, &keys, NOW_US, &ev, &err),
			     -1, "%s accepted", bad[i].what);
		cr_assert_eq(err.code, SETTLE_EX_NOPERM, "%s: %s", bad[i].what, err.msg);
	}
	/* without a key nothing verifies: a configuration error */
	{
		struct webhook_keys none = {NULL, NULL, 300};

		cr_assert_eq(webhook_parse("toss-payouts", b, strlen(b), hdr, &(struct hdrs){sig, NOW_KST}, &none, NOW_US,
					   &ev, &err),
			     -1);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	}
}
