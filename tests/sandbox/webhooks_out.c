/*
 * webhooks_out.c — the sandbox sends webhooks the way the PGs do
 * (research/pg-apis.md T7, N4), so tests and the demo drive pay-webhookd's
 * real flow:
 *
 *   POST /_sandbox/webhooks/send {"url", "kind", ...} → 200 {"status": the receiver's HTTP status (0: none),
 *        "answer": its body, "sent": the body sent}
 *   kind "deposit"  Toss DEPOSIT_CALLBACK for "orderId": the payment (WAITING_FOR_DEPOSIT) turns DONE
 *                   first unless "move": false; the body carries the payment's secret ("secret" overrides)
 *   kind "cancel"   Toss PAYMENT_STATUS_CHANGED with status CANCELED (the payment is cancelled here first
 *                   unless "move": false): a cancellation seen only at the PG
 *   kind "status"   Toss PAYMENT_STATUS_CHANGED with the payment's current status
 *   kind "nicepay"  NicePay's notification for "orderId" (a "ready" virtual account turns "paid" first unless
 *                   "move": false), signed with the sandbox's NicePay secret ("signature" overrides)
 *   kind "payout.changed"  Toss payouts v2 {"refPayoutId", "status", "eventId"?}, signed with the payouts
 *                   security key over body ":" transmission time ("time" overrides the time, "key" the key)
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/pg/nicepay/nicepay_parse.h"
#include "adapters/pg/webhook_parse.h"
#include "payouts.h"
#include "sandbox.h"

struct buf {
	char *p;
	size_t n;
};

static size_t collect(char *data, size_t sz, size_t nm, void *arg)
{
	struct buf *b = arg;
	size_t n = sz * nm;
	char *p = realloc(b->p, b->n + n + 1);

	if (!p)
		return 0;
	memcpy(p + b->n, data, n);
	b->p = p;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

/* POSTs body to url with the extra headers; the status, 0 when none came. */
static long post(const char *url, const char *body, struct curl_slist *hdrs, struct buf *answer)
{
	CURL *c = curl_easy_init();
	long status = 0;

	if (!c)
		return 0;
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return status;
}

static const char *toss_status(enum pay_status s)
{
	switch (s) {
	case ST_IN_PROGRESS: return "IN_PROGRESS";
	case ST_WAITING_FOR_DEPOSIT: return "WAITING_FOR_DEPOSIT";
	case ST_DONE: return "DONE";
	case ST_CANCELED: return "CANCELED";
	case ST_PARTIAL_CANCELED: return "PARTIAL_CANCELED";
	case ST_ABORTED: return "ABORTED";
	case ST_EXPIRED: return "EXPIRED";
	}
	return "IN_PROGRESS";
}

static const char *np_status(enum pay_status s)
{
	switch (s) {
	case ST_DONE: return "paid";
	case ST_CANCELED: return "cancelled";
	case ST_PARTIAL_CANCELED: return "partialCancelled";
	case ST_ABORTED: return "failed";
	case ST_EXPIRED: return "expired";
	default: return "ready";
	}
}

/* The body for a payment event, built under the state lock; NULL with why. */
static char *payment_body(struct sbx_req *rq, json_t *b, const char *kind, const char **why)
{
	struct state *st = &rq->sb->st;
	const char *order = json_str_field(b, "orderId");
	json_t *mv = json_object_get(b, "move");
	int move = !json_is_false(mv);
	int nice = !strcmp(kind, "nicepay");
	struct payment *p;
	char now[40], *out = NULL;
	json_t *j = NULL;

	if (!order) {
		*why = "orderId is required";
		return NULL;
	}
	pthread_mutex_lock(&st->mu);
	p = state_payment_by_order(st, nice ? PGK_NICEPAY : PGK_TOSS, order);
	if (!p) {
		*why = "no payment for orderId";
		goto out;
	}
	time_kst(now, sizeof now, 0);
	if (move && (!strcmp(kind, "deposit") || nice) && p->status == ST_WAITING_FOR_DEPOSIT) {
		p->status = ST_DONE;
		snprintf(p->approved_at, sizeof p->approved_at, "%s", now);
		if (!nice)
			rand_hex(p->last_tx, 32);
	}
	if (move && !strcmp(kind, "cancel") && p->status != ST_CANCELED) {
		p->status = ST_CANCELED;
		p->balance = 0;
	}
	if (!strcmp(kind, "deposit")) {
		const char *sec = json_str_field(b, "secret");

		j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "createdAt", now, "secret", sec ? sec : p->secret, "status",
			      toss_status(p->status), "transactionKey", p->last_tx[0] ? p->last_tx : p->key, "orderId",
			      p->order_id);
	} else if (nice) {
		char amount[24], sig[65];
		const char *forced = json_str_field(b, "signature");

		snprintf(amount, sizeof amount, "%" PRId64, p->total);
		if (nicepay_sign_hex(sig, p->key, amount, now, rq->sb->cfg.nicepay_secret, NULL) < 0) {
			*why = "cannot sign";
			goto out;
		}
		j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "resultCode", "0000", "resultMsg",
			      "정상 처리되었습니다.", "tid", p->key, "orderId", p->order_id, "amount", (json_int_t)p->total,
			      "balanceAmt", (json_int_t)p->balance, "ediDate", now, "signature", forced ? forced : sig,
			      "status", np_status(p->status));
	} else {
		j = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:I, s:I, s:s}}", "eventType", "PAYMENT_STATUS_CHANGED",
			      "createdAt", now, "data", "paymentKey", p->key, "orderId", p->order_id, "status",
			      toss_status(p->status), "totalAmount", (json_int_t)p->total, "balanceAmount",
			      (json_int_t)p->balance, "method", p->method == METHOD_VA ? "가상계좌" : "카드");
	}
	out = j ? json_dumps(j, JSON_COMPACT) : NULL;
	if (!out)
		*why = "out of memory";
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(j);
	return out;
}

void webhooks_send(struct sbx_req *rq, struct sbx_resp *rs, json_t *b)
{
	const char *url = json_str_field(b, "url"), *kind = json_str_field(b, "kind"), *why = NULL;
	struct curl_slist *hdrs = NULL;
	struct buf answer = {0};
	char *body = NULL;
	long status;

	if (!url || strncmp(url, "http://127.", 11) || !kind) {
		resp_error(rs, 400, "INVALID_REQUEST", "url (http://127.x loopback) and kind are required");
		return;
	}
	if (!strcmp(kind, "payout.changed")) {
		const char *ref = json_str_field(b, "refPayoutId"), *st = json_str_field(b, "status");
		const char *ev = json_str_field(b, "eventId"), *tm = json_str_field(b, "time");
		const char *key = json_str_field(b, "key");
		char now[40], evid[40], sig[64], line[200];
		json_t *j;

		if (!ref || !st) {
			resp_error(rs, 400, "INVALID_REQUEST", "refPayoutId and status are required");
			return;
		}
		time_kst(now, sizeof now, 0);
		if (!ev) {
			rand_hex(evid, 24);
			ev = evid;
		}
		j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "eventType", "payout.changed", "createdAt", now,
			      "version", "2022-11-16", "eventId", ev, "entityType", "payout", "entityBody",
			      "refPayoutId", ref, "status", st);
		body = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		if (!body || webhook_payout_sign(key ? key : SANDBOX_PAYOUTS_SECURITY_KEY, body, strlen(body),
						 tm ? tm : now, sig, sizeof sig) < 0) {
			free(body);
			resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "cannot sign");
			return;
		}
		snprintf(line, sizeof line, "tosspayments-webhook-signature: %s", sig);
		hdrs = curl_slist_append(hdrs, line);
		snprintf(line, sizeof line, "tosspayments-webhook-transmission-time: %s", tm ? tm : now);
		hdrs = curl_slist_append(hdrs, line);
	} else if (!strcmp(kind, "deposit") || !strcmp(kind, "cancel") || !strcmp(kind, "status") ||
		   !strcmp(kind, "nicepay")) {
		body = payment_body(rq, b, kind, &why);
		if (!body) {
			resp_error(rs, 404, "NOT_FOUND_PAYMENT", "%s", why);
			return;
		}
	} else {
		resp_error(rs, 400, "INVALID_REQUEST", "kind is deposit, cancel, status, nicepay or payout.changed");
		return;
	}
	status = post(url, body, hdrs, &answer);
	resp_json(rs, 200, json_pack("{s:i, s:s, s:s}", "status", (int)status, "answer", answer.p ? answer.p : "",
				     "sent", body));
	free(answer.p);
	free(body);
}
