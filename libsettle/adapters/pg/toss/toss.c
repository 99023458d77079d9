/*
 * toss.c — the Toss Payments adapter: requests over http.c, answers
 * sorted by toss_parse.c. Its one rule: the secret key lives only inside
 * the Authorization header string, which is wiped on destroy and never
 * printed.
 */
#include "adapters/pg/toss/toss.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http.h"
#include "adapters/pg/pg_base.h"
#include "adapters/pg/pg_common.h"
#include "adapters/pg/pg_ids.h"
#include "adapters/pg/toss/toss_parse.h"

#define IDEMPOTENCY_KEY_MAX 300
/* Toss documents no limit on cancelReason in the facts settle keeps; this
 * bound only keeps a runaway value out of the request. */
#define CANCEL_REASON_MAX 1024

struct toss {
	struct pg_base base; /* port, HTTP client, Authorization header */
};

static void toss_destroy(void *self)
{
	struct toss *t = self;

	if (!t)
		return;
	pg_base_release(&t->base);
	free(t);
}

/* Sends one request and sorts the answer. `idem` may be NULL. */
static int toss_call(struct toss *t, int op, const char *method, const char *path, json_t *body,
		     const char *idem, struct pg_result *res)
{
	struct http_response resp = {0};
	char idem_header[32 + IDEMPOTENCY_KEY_MAX];
	const char *headers[3] = {t->base.auth_header, NULL, NULL};
	char *text = NULL;

	if (idem && *idem) {
		if (!http_header_value_ok(idem, IDEMPOTENCY_KEY_MAX)) {
			memset(res, 0, sizeof *res);
			return pg_result_set(res, PG_REFUSED, "INVALID_REQUEST",
					     "idempotency key is empty, too long or has control characters");
		}
		snprintf(idem_header, sizeof idem_header, "Idempotency-Key: %s", idem);
		headers[1] = idem_header;
	}
	if (body) {
		text = json_dumps(body, JSON_COMPACT);
		if (!text) {
			memset(res, 0, sizeof *res);
			return pg_result_set(res, PG_REFUSED, "LOCAL_ERROR", "out of memory building the request");
		}
	}
	http_request(t->base.http, method, path, headers, text, &resp);
	toss_classify(op, &resp, res);
	http_response_free(&resp);
	free(text);
	return (int)res->outcome;
}

/* "/v1/payments/" + escaped(a) + tail; NULL when out of memory. */
static char *payments_path(const char *mid, const char *a, const char *tail)
{
	char *esc = http_path_escape(a), *path;
	size_t n;

	if (!esc)
		return NULL;
	n = strlen("/v1/payments/") + strlen(mid) + strlen(esc) + strlen(tail) + 1;
	path = malloc(n);
	if (path)
		snprintf(path, n, "/v1/payments/%s%s%s", mid, esc, tail);
	free(esc);
	return path;
}

static int bad_request(struct pg_result *res, const char *what)
{
	memset(res, 0, sizeof *res);
	return pg_result_set(res, PG_REFUSED, "INVALID_REQUEST", "%s", what);
}

static int oom(struct pg_result *res)
{
	memset(res, 0, sizeof *res);
	return pg_result_set(res, PG_REFUSED, "LOCAL_ERROR", "out of memory building the request");
}

static int toss_confirm(void *self, const struct pg_confirm_req *req, struct pg_result *res)
{
	struct toss *t = self;
	json_t *body;

	if (!req || !req->payment_key || !*req->payment_key || !req->order_id || !*req->order_id)
		return bad_request(res, "confirm needs a payment key and an order id");
	if (req->amount <= 0)
		return bad_request(res, "confirm needs a positive amount");
	if (pg_id_refused(res, "toss", &pg_toss_payment_key, req->payment_key) ||
	    pg_id_refused(res, "toss", &pg_toss_order_id, req->order_id))
		return (int)res->outcome;
	body = json_pack("{s:s, s:s, s:I}", "paymentKey", req->payment_key, "orderId", req->order_id,
			 "amount", (json_int_t)req->amount);
	if (!body)
		return oom(res);
	toss_call(t, TOSS_OP_CONFIRM, "POST", "/v1/payments/confirm", body, req->idempotency_key, res);
	json_decref(body);
	/* Toss checks the amount against the payment window; a different
	 * total here means tampering or a bug, and money may have moved. */
	return pg_check_answer(res, req->payment_key, req->order_id, req->amount);
}

static int toss_get_by_order(void *self, const struct pg_lookup_req *req, struct pg_result *res)
{
	struct toss *t = self;
	char *path;

	if (!req || !req->order_id || !*req->order_id)
		return bad_request(res, "lookup needs an order id");
	if (pg_id_refused(res, "toss", &pg_toss_order_id, req->order_id))
		return (int)res->outcome;
	path = payments_path("orders/", req->order_id, "");
	if (!path)
		return oom(res);
	toss_call(t, TOSS_OP_LOOKUP, "GET", path, NULL, NULL, res);
	free(path);
	return pg_check_answer(res, req->payment_key, req->order_id, -1);
}

static int toss_get_by_key(void *self, const char *payment_key, struct pg_result *res)
{
	struct toss *t = self;
	char *path;

	if (!payment_key || !*payment_key)
		return bad_request(res, "lookup needs a payment key");
	if (pg_id_refused(res, "toss", &pg_toss_payment_key, payment_key))
		return (int)res->outcome;
	path = payments_path("", payment_key, "");
	if (!path)
		return oom(res);
	toss_call(t, TOSS_OP_LOOKUP, "GET", path, NULL, NULL, res);
	free(path);
	return pg_check_answer(res, payment_key, NULL, -1);
}

static int toss_cancel(void *self, const struct pg_cancel_req *req, struct pg_result *res)
{
	struct toss *t = self;
	json_t *body;
	char *path;

	if (!req || !req->payment_key || !*req->payment_key)
		return bad_request(res, "cancel needs a payment key");
	if (!req->reason || !*req->reason)
		return bad_request(res, "cancel needs a reason");
	if (req->amount < 0)
		return bad_request(res, "cancel amount is negative");
	if (pg_id_refused(res, "toss", &pg_toss_payment_key, req->payment_key) ||
	    pg_text_refused(res, "toss", "cancelReason", req->reason, CANCEL_REASON_MAX) ||
	    pg_digits_refused(res, "toss", "refundReceiveAccount.bank", req->refund_bank, 3) ||
	    pg_digits_refused(res, "toss", "refundReceiveAccount.accountNumber", req->refund_account, 20))
		return (int)res->outcome;
	body = json_pack("{s:s}", "cancelReason", req->reason);
	if (!body)
		return oom(res);
	/* cancelAmount left out = cancel what remains (Toss T4). */
	if (req->amount > 0 && json_object_set_new(body, "cancelAmount", json_integer(req->amount)) < 0) {
		json_decref(body);
		return oom(res);
	}
	if (req->refund_account && *req->refund_account &&
	    json_object_set_new(body, "refundReceiveAccount",
				json_pack("{s:s*, s:s, s:s*}", "bank", req->refund_bank, "accountNumber",
					  req->refund_account, "holderName", req->refund_holder)) < 0) {
		json_decref(body);
		return oom(res);
	}
	path = payments_path("", req->payment_key, "/cancel");
	if (!path) {
		json_decref(body);
		return oom(res);
	}
	toss_call(t, TOSS_OP_CANCEL, "POST", path, body, req->idempotency_key, res);
	free(path);
	json_decref(body);
	return pg_check_answer(res, req->payment_key, req->order_id, -1);
}

static const struct pg_port toss_ops = {
	.name = "toss",
	.confirm = toss_confirm,
	.get_by_order = toss_get_by_order,
	.get_by_key = toss_get_by_key,
	.cancel = toss_cancel,
	.destroy = toss_destroy,
};

struct pg_port *toss_pg_new(const struct toss_config *cfg, struct settle_err *err)
{
	struct toss *t;

	if (!cfg || !cfg->secret_key || !*cfg->secret_key) {
		err_set(err, SETTLE_EX_CONFIG, "toss: secret key is not set");
		return NULL;
	}
	if (!http_header_value_ok(cfg->secret_key, 256)) {
		err_set(err, SETTLE_EX_CONFIG, "toss: secret key has control characters or is too long");
		return NULL;
	}
	t = calloc(1, sizeof *t);
	if (!t) {
		err_set(err, SETTLE_EX_OSERR, "toss: out of memory");
		return NULL;
	}
	/* Toss: the secret key is the user name, the password is empty (T1). */
	if (pg_base_init(&t->base, t, &toss_ops, cfg->base_url, cfg->connect_timeout_ms, cfg->timeout_ms,
			 cfg->secret_key, "", err) < 0) {
		free(t);
		return NULL;
	}
	return &t->base.port;
}
