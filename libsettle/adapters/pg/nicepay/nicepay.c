/*
 * nicepay.c — the NicePay adapter: requests over http.c, answers sorted
 * by nicepay_parse.c. Its one rule: the secret key is used for the
 * Authorization header and signData only — never printed, wiped on
 * destroy.
 */
#include "adapters/pg/nicepay/nicepay.h"

#include <inttypes.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/http/http.h"
#include "adapters/pg/nicepay/nicepay_parse.h"
#include "adapters/pg/pg_base.h"
#include "adapters/pg/pg_common.h"
#include "adapters/pg/pg_ids.h"

/* reason: String, 100 bytes (pg-apis.md N3). */
#define CANCEL_REASON_MAX 100

struct nicepay {
	struct pg_base base; /* port, HTTP client, Authorization header */
	char *secret;        /* signData key */
};

static void wipe_free(char *s, size_t n)
{
	if (!s)
		return;
	OPENSSL_cleanse(s, n);
	free(s);
}

static void nicepay_destroy(void *self)
{
	struct nicepay *np = self;

	if (!np)
		return;
	pg_base_release(&np->base);
	wipe_free(np->secret, np->secret ? strlen(np->secret) : 0);
	free(np);
}

static int local_fail(struct pg_result *res, const char *code, const char *what)
{
	memset(res, 0, sizeof *res);
	return pg_result_set(res, PG_REFUSED, code, "%s", what);
}

/* POSTs body (or GETs when body is NULL), answer in resp. -1 when the
 * request could not even be built (res filled then). */
static int send_json(struct nicepay *np, const char *method, const char *path, json_t *body,
		     struct http_response *resp, struct pg_result *res)
{
	const char *headers[2] = {np->base.auth_header, NULL};
	char *text = NULL;

	if (body) {
		text = json_dumps(body, JSON_COMPACT);
		if (!text) {
			local_fail(res, "LOCAL_ERROR", "out of memory building the request");
			return -1;
		}
	}
	http_request(np->base.http, method, path, headers, text, resp);
	free(text);
	return 0;
}

/* prefix + escaped(a) + tail; NULL when out of memory. */
static char *make_path(const char *prefix, const char *a, const char *tail)
{
	char *esc = http_path_escape(a), *path;
	size_t n;

	if (!esc)
		return NULL;
	n = strlen(prefix) + strlen(esc) + strlen(tail) + 1;
	path = malloc(n);
	if (path)
		snprintf(path, n, "%s%s%s", prefix, esc, tail);
	free(esc);
	return path;
}

/* The confirm answer was lost after the request went out: NicePay's
 * rule is a net-cancel by orderId, not a blind retry. */
static void net_cancel(struct nicepay *np, const char *order_id, struct pg_result *res)
{
	struct http_response resp = {0};
	char edi[32], sign[65];
	struct pg_result tmp;
	json_t *body;

	nicepay_edi_date(edi, time(NULL));
	if (nicepay_sign_hex(sign, order_id, edi, np->secret, NULL) < 0)
		return; /* res stays PG_IN_DOUBT */
	body = json_pack("{s:s, s:s, s:s}", "orderId", order_id, "ediDate", edi, "signData", sign);
	OPENSSL_cleanse(sign, sizeof sign);
	if (!body)
		return;
	if (send_json(np, "POST", "/v1/payments/netcancel", body, &resp, &tmp) == 0)
		nicepay_after_netcancel(&resp, res);
	json_decref(body);
	http_response_free(&resp);
}

static int nicepay_confirm(void *self, const struct pg_confirm_req *req, struct pg_result *res)
{
	struct nicepay *np = self;
	struct http_response resp = {0};
	char edi[32], sign[65], amount[24];
	json_t *body;
	char *path;

	if (!req || !req->payment_key || !*req->payment_key || !req->order_id || !*req->order_id)
		return local_fail(res, "INVALID_REQUEST", "confirm needs a tid and an order id");
	if (req->amount <= 0)
		return local_fail(res, "INVALID_REQUEST", "confirm needs a positive amount");
	/* The orderId goes out too, in the net-cancel a lost answer triggers. */
	if (pg_id_refused(res, "nicepay", &pg_nicepay_tid, req->payment_key) ||
	    pg_id_refused(res, "nicepay", &pg_nicepay_order_id, req->order_id))
		return (int)res->outcome;
	snprintf(amount, sizeof amount, "%" PRId64, req->amount);
	nicepay_edi_date(edi, time(NULL));
	if (nicepay_sign_hex(sign, req->payment_key, amount, edi, np->secret, NULL) < 0)
		return local_fail(res, "LOCAL_ERROR", "cannot compute signData");
	body = json_pack("{s:I, s:s, s:s}", "amount", (json_int_t)req->amount, "ediDate", edi, "signData", sign);
	OPENSSL_cleanse(sign, sizeof sign);
	path = make_path("/v1/payments/", req->payment_key, "");
	if (!body || !path) {
		json_decref(body);
		free(path);
		return local_fail(res, "LOCAL_ERROR", "out of memory building the request");
	}
	if (send_json(np, "POST", path, body, &resp, res) == 0) {
		nicepay_classify(NICEPAY_OP_CONFIRM, &resp, np->secret, res);
		/* Sent but unanswered (time-out, reset, empty reply): the
		 * approval may exist, so undo it rather than guess. */
		if (resp.xerr == HTTP_XERR_TIMEOUT || resp.xerr == HTTP_XERR_RECV)
			net_cancel(np, req->order_id, res);
	}
	json_decref(body);
	free(path);
	http_response_free(&resp);
	return pg_check_answer(res, req->payment_key, req->order_id, req->amount);
}

static int lookup(struct nicepay *np, const char *path, struct pg_result *res)
{
	struct http_response resp = {0};

	if (send_json(np, "GET", path, NULL, &resp, res) == 0)
		nicepay_classify(NICEPAY_OP_LOOKUP, &resp, np->secret, res);
	http_response_free(&resp);
	return (int)res->outcome;
}

static int order_date_ok(const char *d)
{
	if (!d || strlen(d) != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		if (d[i] < '0' || d[i] > '9')
			return 0;
	return 1;
}

static int nicepay_get_by_order(void *self, const struct pg_lookup_req *req, struct pg_result *res)
{
	struct nicepay *np = self;
	char tail[32];
	char *path;

	if (!req || !req->order_id || !*req->order_id)
		return local_fail(res, "INVALID_REQUEST", "lookup needs an order id");
	if (!order_date_ok(req->order_date))
		return local_fail(res, "INVALID_REQUEST", "NicePay lookup by order needs order_date as YYYYMMDD");
	if (pg_id_refused(res, "nicepay", &pg_nicepay_order_id, req->order_id))
		return (int)res->outcome;
	snprintf(tail, sizeof tail, "?orderDate=%s", req->order_date);
	path = make_path("/v1/payments/find/", req->order_id, tail);
	if (!path)
		return local_fail(res, "LOCAL_ERROR", "out of memory building the request");
	lookup(np, path, res);
	free(path);
	return pg_check_answer(res, req->payment_key, req->order_id, -1);
}

static int nicepay_get_by_key(void *self, const char *payment_key, struct pg_result *res)
{
	struct nicepay *np = self;
	char *path;

	if (!payment_key || !*payment_key)
		return local_fail(res, "INVALID_REQUEST", "lookup needs a tid");
	if (pg_id_refused(res, "nicepay", &pg_nicepay_tid, payment_key))
		return (int)res->outcome;
	path = make_path("/v1/payments/", payment_key, "");
	if (!path)
		return local_fail(res, "LOCAL_ERROR", "out of memory building the request");
	lookup(np, path, res);
	free(path);
	return pg_check_answer(res, payment_key, NULL, -1);
}

static int nicepay_cancel(void *self, const struct pg_cancel_req *req, struct pg_result *res)
{
	struct nicepay *np = self;
	struct http_response resp = {0};
	const char *order_id;
	char edi[32], sign[65];
	json_t *body;
	char *path;

	if (!req || !req->payment_key || !*req->payment_key)
		return local_fail(res, "INVALID_REQUEST", "cancel needs a tid");
	if (!req->reason || !*req->reason)
		return local_fail(res, "INVALID_REQUEST", "cancel needs a reason");
	if (req->amount < 0)
		return local_fail(res, "INVALID_REQUEST", "cancel amount is negative");
	/* NicePay refuses a repeated orderId on partial cancels, so each
	 * cancel brings a fresh one; a full cancel may reuse the order's. */
	order_id = req->cancel_order_id && *req->cancel_order_id ? req->cancel_order_id : NULL;
	if (!order_id && req->amount == 0)
		order_id = req->order_id;
	if (!order_id || !*order_id)
		return local_fail(res, "INVALID_REQUEST", "a partial cancel needs a fresh cancel_order_id");
	if (pg_id_refused(res, "nicepay", &pg_nicepay_tid, req->payment_key) ||
	    pg_id_refused(res, "nicepay", &pg_nicepay_order_id, order_id) ||
	    pg_text_refused(res, "nicepay", "reason", req->reason, CANCEL_REASON_MAX) ||
	    pg_digits_refused(res, "nicepay", "refundBankCode", req->refund_bank, 3) ||
	    pg_digits_refused(res, "nicepay", "refundAccount", req->refund_account, 20))
		return (int)res->outcome;
	nicepay_edi_date(edi, time(NULL));
	if (nicepay_sign_hex(sign, req->payment_key, edi, np->secret, NULL) < 0)
		return local_fail(res, "LOCAL_ERROR", "cannot compute signData");
	body = json_pack("{s:s, s:s, s:s, s:s}", "reason", req->reason, "orderId", order_id, "ediDate", edi,
			 "signData", sign);
	OPENSSL_cleanse(sign, sizeof sign);
	if (body && req->amount > 0 && json_object_set_new(body, "cancelAmt", json_integer(req->amount)) < 0) {
		json_decref(body);
		body = NULL;
	}
	if (body && req->refund_account && *req->refund_account &&
	    (json_object_set_new(body, "refundAccount", json_string(req->refund_account)) < 0 ||
	     (req->refund_bank && json_object_set_new(body, "refundBankCode", json_string(req->refund_bank)) < 0) ||
	     (req->refund_holder && json_object_set_new(body, "refundHolder", json_string(req->refund_holder)) < 0))) {
		json_decref(body);
		body = NULL;
	}
	path = make_path("/v1/payments/", req->payment_key, "/cancel");
	if (!body || !path) {
		json_decref(body);
		free(path);
		return local_fail(res, "LOCAL_ERROR", "out of memory building the request");
	}
	if (send_json(np, "POST", path, body, &resp, res) == 0)
		nicepay_classify(NICEPAY_OP_CANCEL, &resp, np->secret, res);
	json_decref(body);
	free(path);
	http_response_free(&resp);
	return pg_check_answer(res, req->payment_key, NULL, -1);
}

static const struct pg_port nicepay_ops = {
	.name = "nicepay",
	.confirm = nicepay_confirm,
	.get_by_order = nicepay_get_by_order,
	.get_by_key = nicepay_get_by_key,
	.cancel = nicepay_cancel,
	.destroy = nicepay_destroy,
};

struct pg_port *nicepay_pg_new(const struct nicepay_config *cfg, struct settle_err *err)
{
	struct nicepay *np;

	if (!cfg || !cfg->client_id || !*cfg->client_id || !cfg->secret_key || !*cfg->secret_key) {
		err_set(err, SETTLE_EX_CONFIG, "nicepay: client id or secret key is not set");
		return NULL;
	}
	if (!http_header_value_ok(cfg->client_id, 128) || strchr(cfg->client_id, ':') ||
	    !http_header_value_ok(cfg->secret_key, 256)) {
		err_set(err, SETTLE_EX_CONFIG, "nicepay: client id or secret key has bad characters or is too long");
		return NULL;
	}
	np = calloc(1, sizeof *np);
	if (!np) {
		err_set(err, SETTLE_EX_OSERR, "nicepay: out of memory");
		return NULL;
	}
	/* NicePay: Basic base64(clientKey:secretKey) (N1). */
	if (pg_base_init(&np->base, np, &nicepay_ops, cfg->base_url, cfg->connect_timeout_ms, cfg->timeout_ms,
			 cfg->client_id, cfg->secret_key, err) < 0) {
		free(np);
		return NULL;
	}
	np->secret = strdup(cfg->secret_key);
	if (!np->secret) {
		nicepay_destroy(np);
		err_set(err, SETTLE_EX_OSERR, "nicepay: out of memory");
		return NULL;
	}
	return &np->base.port;
}
