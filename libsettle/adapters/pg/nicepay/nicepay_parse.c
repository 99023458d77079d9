/*
 * nicepay_parse.c — reading NicePay answers (nicepay_parse.h). Its one
 * rule: success is believed only from a known result code, a payment
 * body that parses and (on confirm always, elsewhere when sent) a
 * signature that verifies.
 */
#include "adapters/pg/nicepay/nicepay_parse.h"

#include <inttypes.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "adapters/json/json_read.h"
#include "adapters/pg/pg_common.h"

int nicepay_sign_hex(char out[65], const char *first, ...)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	va_list ap;
	int ok;

	out[0] = '\0';
	if (!ctx)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	va_start(ap, first);
	for (const char *s = first; ok && s; s = va_arg(ap, const char *))
		ok = EVP_DigestUpdate(ctx, s, strlen(s)) == 1;
	va_end(ap);
	ok = ok && EVP_DigestFinal_ex(ctx, md, &md_len) == 1 && md_len == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (unsigned int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	OPENSSL_cleanse(md, sizeof md);
	return 0;
}

int nicepay_sig_equal(const char *a, const char *b)
{
	unsigned char la[64], lb[64];
	int eq;

	/* The manual does not say which hex case NicePay sends. Length is
	 * not secret; only the digits are compared in constant time. */
	if (!a || !b || strlen(a) != 64 || strlen(b) != 64)
		return 0;
	for (int i = 0; i < 64; i++) {
		la[i] = (unsigned char)(a[i] | 0x20);
		lb[i] = (unsigned char)(b[i] | 0x20);
	}
	eq = CRYPTO_memcmp(la, lb, 64) == 0;
	return eq;
}

void nicepay_edi_date(char out[32], time_t t)
{
	struct tm tm;

	t += 9 * 3600; /* Korea has no daylight saving time */
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

enum pg_status nicepay_status(const char *s)
{
	/* Both spellings of "cancelled" are accepted: the manual uses two
	 * l's, some samples one. */
	if (!strcasecmp(s, "paid"))
		return PG_ST_DONE;
	if (!strcasecmp(s, "ready"))
		return PG_ST_WAITING_FOR_DEPOSIT;
	if (!strcasecmp(s, "failed"))
		return PG_ST_ABORTED;
	if (!strcasecmp(s, "cancelled") || !strcasecmp(s, "canceled"))
		return PG_ST_CANCELED;
	if (!strcasecmp(s, "partialCancelled") || !strcasecmp(s, "partialCanceled"))
		return PG_ST_PARTIAL_CANCELED;
	if (!strcasecmp(s, "expired"))
		return PG_ST_EXPIRED;
	return PG_ST_UNKNOWN;
}

const char *nicepay_method(const char *s)
{
	if (!strcasecmp(s, "card"))
		return "CARD";
	if (!strcasecmp(s, "bank"))
		return "TRANSFER";
	if (!strcasecmp(s, "vbank"))
		return "VIRTUAL_ACCOUNT";
	return *s ? "OTHER" : "";
}

static int in_list(const char *code, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(code, list[i]))
			return 1;
	return 0;
}

int nicepay_code_success(const char *code)
{
	/* 0000 ok, 2001 cancel ok, 2211 refund ok. 3001/4000/4100/A000 are
	 * the per-method "approved" codes of the code table; the new API
	 * answers 0000, but refusing a payment that was taken would be the
	 * worse mistake, so they count as success too. */
	static const char *const ok[] = {"0000", "2001", "2211", "3001", "4000", "4100", "A000"};

	return in_list(code, ok, sizeof ok / sizeof ok[0]);
}

int nicepay_code_in_doubt(const char *code)
{
	/* 2201 already approved, 2156 duplicate request, 2015 cancel
	 * already requested: something happened, ask before deciding. */
	static const char *const doubt[] = {"2201", "2156", "2015"};

	return in_list(code, doubt, sizeof doubt / sizeof doubt[0]);
}

int nicepay_code_not_found(const char *code)
{
	/* A118 "no data". Extend here if the sandbox or live API shows
	 * another definite not-found code. */
	static const char *const nf[] = {"A118"};

	return in_list(code, nf, sizeof nf / sizeof nf[0]);
}

/* paidAt is an ISO 8601 string, or "0" / 0 before payment. */
static int paid_at(json_t *root, char *dst, size_t cap, struct settle_err *err)
{
	json_t *v = json_object_get(root, "paidAt");

	dst[0] = '\0';
	if (json_is_integer(v) || (json_is_string(v) && !strcmp(json_string_value(v), "0")))
		return 0;
	return jread_str(root, "paidAt", 0, dst, cap, err);
}

int nicepay_parse_payment(const char *body, size_t len, struct pg_payment *out, struct settle_err *err)
{
	char status[32], method[32];
	json_t *root;
	int rc = -1;

	memset(out, 0, sizeof *out);
	root = jread_object_body(body, len, err);
	if (!root)
		return -1;
	if (jread_str(root, "tid", 1, out->payment_key, sizeof out->payment_key, err) < 0 ||
	    jread_str(root, "orderId", 1, out->order_id, sizeof out->order_id, err) < 0 ||
	    jread_str(root, "status", 1, status, sizeof status, err) < 0 ||
	    jread_amount(root, "amount", &out->total_amount, err) < 0 ||
	    jread_amount(root, "balanceAmt", &out->balance_amount, err) < 0 ||
	    jread_str(root, "currency", 0, out->currency, sizeof out->currency, err) < 0 ||
	    jread_str(root, "payMethod", 0, method, sizeof method, err) < 0 ||
	    paid_at(root, out->approved_at, sizeof out->approved_at, err) < 0 ||
	    jread_str(root, "cancelledTid", 0, out->last_transaction_key,
			sizeof out->last_transaction_key, err) < 0)
		goto out;
	out->status = nicepay_status(status);
	snprintf(out->method, sizeof out->method, "%s", nicepay_method(method));

	if (pg_json_virtual_account(root, "vbank", "vbankCode", "vbankNumber", "vbankExpDate", out, err) < 0)
		goto out;
	pg_json_card(root, "card", "cardNum", "cardCode", out);
	/* "ready" without a virtual account is a tid authenticated but not
	 * yet approved: the approve never landed, not a deposit to wait for. */
	if (out->status == PG_ST_WAITING_FOR_DEPOSIT && !out->va_account[0])
		out->status = PG_ST_IN_PROGRESS;
	rc = 0;
out:
	json_decref(root);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* resultCode and resultMsg of an answer; 0 when there is a string code. */
static int parse_result(json_t *root, char *code, size_t code_cap, char *msg, size_t msg_cap)
{
	json_t *c = json_object_get(root, "resultCode"), *m = json_object_get(root, "resultMsg");

	code[0] = msg[0] = '\0';
	if (!json_is_string(c) || json_string_length(c) == 0)
		return -1;
	snprintf(code, code_cap, "%s", json_string_value(c));
	if (json_is_string(m))
		snprintf(msg, msg_cap, "%s", json_string_value(m));
	return 0;
}

/* 1 when the answer's signature is sha256(tid + amount + ediDate +
 * secret). `required`: a missing signature fails too. */
static int signature_ok(json_t *root, const struct pg_payment *p, const char *secret_key, int required,
			const char **why)
{
	json_t *sig = json_object_get(root, "signature"), *edi = json_object_get(root, "ediDate");
	char amount[24], want[65];
	int ok;

	if (!sig || json_is_null(sig)) {
		*why = "answer carries no signature";
		return !required;
	}
	if (!json_is_string(sig) || !json_is_string(edi)) {
		*why = "signature or ediDate is missing or not a string";
		return 0;
	}
	snprintf(amount, sizeof amount, "%" PRId64, p->total_amount);
	if (nicepay_sign_hex(want, p->payment_key, amount, json_string_value(edi), secret_key, NULL) < 0) {
		*why = "cannot compute SHA-256";
		return 0;
	}
	ok = nicepay_sig_equal(want, json_string_value(sig));
	OPENSSL_cleanse(want, sizeof want);
	*why = ok ? "" : "signature does not verify";
	return ok;
}

void nicepay_classify(int op, const struct http_response *resp, const char *secret_key, struct pg_result *res)
{
	struct settle_err err = {0};
	char code[sizeof res->code], msg[sizeof res->message];
	const char *why = "";
	long st = resp->status;
	json_t *root = NULL;

	memset(res, 0, sizeof *res);
	if (resp->xerr != HTTP_XERR_NONE || st == 0) {
		pg_result_transport(res, resp);
		return;
	}
	res->http_status = (int)st;
	if (resp->body && resp->body_len)
		root = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (!root || !json_is_object(root) || parse_result(root, code, sizeof code, msg, sizeof msg) < 0) {
		pg_result_set(res, PG_IN_DOUBT, st >= 500 ? "SERVER_ERROR" : "MALFORMED_RESPONSE",
			      "HTTP %ld without a NicePay resultCode", st);
		goto out;
	}
	if (st >= 500 || st == 408 || st == 429 || nicepay_code_in_doubt(code)) {
		pg_result_set(res, PG_IN_DOUBT, code, "%s", msg);
		goto out;
	}
	if (nicepay_code_success(code)) {
		if (st < 200 || st >= 300) {
			pg_result_set(res, PG_IN_DOUBT, "MALFORMED_RESPONSE", "HTTP %ld with success code %s",
				      st, code);
			goto out;
		}
		if (op == NICEPAY_OP_NETCANCEL) {
			/* Only the cancel codes prove the approval was undone. */
			if (strcmp(code, "0000") && strcmp(code, "2001") && strcmp(code, "2211"))
				pg_result_set(res, PG_IN_DOUBT, code, "%s", msg);
			else
				pg_result_set(res, PG_OK, "", "%s", msg);
			goto out;
		}
		if (nicepay_parse_payment(resp->body, resp->body_len, &res->payment, &err) < 0) {
			pg_result_set(res, PG_IN_DOUBT, "MALFORMED_RESPONSE", "result %s with a bad payment: %s",
				      code, err.msg);
			goto out;
		}
		if (!signature_ok(root, &res->payment, secret_key, op == NICEPAY_OP_CONFIRM, &why)) {
			pg_result_set(res, PG_IN_DOUBT, "BAD_SIGNATURE", "NicePay answer not trusted: %s", why);
			goto out;
		}
		if (res->payment.status == PG_ST_UNKNOWN) {
			pg_result_set(res, PG_IN_DOUBT, "UNKNOWN_STATUS", "NicePay sent an unknown payment status");
			goto out;
		}
		pg_result_set(res, PG_OK, "", "%s", msg);
		goto out;
	}
	if (op == NICEPAY_OP_LOOKUP && nicepay_code_not_found(code)) {
		res->payment.status = PG_ST_NOT_FOUND;
		pg_result_set(res, PG_OK, "", "%s", msg);
		goto out;
	}
	/* A refused approve answers in the payment's shape: its card counts
	 * for settle-watch's card rule as much as a paid one. */
	if (op == NICEPAY_OP_CONFIRM)
		pg_json_card(root, "card", "cardNum", "cardCode", &res->payment);
	pg_result_set(res, PG_REFUSED, code, "%s", msg);
out:
	json_decref(root);
}

void nicepay_after_netcancel(const struct http_response *nc, struct pg_result *res)
{
	struct pg_result ncres;
	char first[sizeof res->message], code[sizeof res->code];

	snprintf(first, sizeof first, "%s", res->message);
	snprintf(code, sizeof code, "%s", res->code);
	nicepay_classify(NICEPAY_OP_NETCANCEL, nc, "", &ncres);
	if (ncres.outcome == PG_OK) {
		memset(&res->payment, 0, sizeof res->payment);
		pg_result_set(res, PG_REFUSED, "NET_CANCELED",
			      "confirm answer lost (%s); net-cancel succeeded, the payment was not taken", first);
		return;
	}
	pg_result_set(res, PG_IN_DOUBT, code, "confirm answer lost (%s); net-cancel failed: %s %s", first,
		      ncres.code, ncres.message);
}
