/* toss_client.c — the request pieces the Toss payouts v2 adapters share (see toss_client.h). */
#include "adapters/bank/toss_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "adapters/bank/bank_common.h"
#include "adapters/bank/toss_payouts_answer.h"

static const char security_header[] = "TossPayments-api-security-mode: ENCRYPTION";

/* "Authorization: Basic " + base64(secret + ":"). */
static char *auth_header(const char *secret, size_t *out_len)
{
	static const char prefix[] = "Authorization: Basic ";
	size_t slen = strlen(secret), raw_len = slen + 1, b64_len = 4 * ((raw_len + 2) / 3);
	unsigned char *raw = malloc(raw_len);
	char *hdr = malloc(sizeof prefix + b64_len + 1);

	if (!raw || !hdr) {
		free(raw);
		free(hdr);
		return NULL;
	}
	memcpy(raw, secret, slen);
	raw[slen] = ':';
	memcpy(hdr, prefix, sizeof prefix - 1);
	EVP_EncodeBlock((unsigned char *)hdr + sizeof prefix - 1, raw, (int)raw_len);
	OPENSSL_cleanse(raw, raw_len);
	free(raw);
	*out_len = sizeof prefix + b64_len + 1;
	return hdr;
}

int toss_client_init(struct toss_client *c, const char *who, const char *base_url, const char *secret_key,
		     const char *security_key, long connect_timeout_ms, long timeout_ms, struct settle_err *err)
{
	memset(c, 0, sizeof *c);
	if (!secret_key || !*secret_key)
		return err_set(err, SETTLE_EX_CONFIG, "%s: secret key is not set", who);
	if (!bank_text_ok(secret_key, 256) || strchr(secret_key, ' '))
		return err_set(err, SETTLE_EX_CONFIG, "%s: secret key has control characters or is too long", who);
	c->key = jwe_key_from_hex(security_key, err);
	if (!c->key)
		return err_prefix(err, "%s", who);
	c->http = http_client_new(base_url, connect_timeout_ms, timeout_ms > 0 ? timeout_ms : 60000, err);
	if (!c->http)
		return err_prefix(err, "%s", who);
	c->auth_header = auth_header(secret_key, &c->auth_len);
	if (!c->auth_header)
		return err_set(err, SETTLE_EX_OSERR, "%s: out of memory", who);
	return 0;
}

void toss_client_free(struct toss_client *c)
{
	http_client_free(c->http);
	jwe_key_free(c->key);
	if (c->auth_header) {
		OPENSSL_cleanse(c->auth_header, c->auth_len);
		free(c->auth_header);
	}
	memset(c, 0, sizeof *c);
}

const char *toss_transport_code(enum http_xerr x)
{
	switch (x) {
	case HTTP_XERR_TIMEOUT: return "TIMEOUT";
	case HTTP_XERR_CONNECT: return "CONNECTION";
	case HTTP_XERR_RECV: return "CONNECTION_LOST";
	default: return "TRANSPORT";
	}
}

int toss_client_call(struct toss_client *c, const char *method, const char *path, const char *body,
		     const char *idem, struct http_response *resp)
{
	char idem_header[400];
	const char *headers[5] = {c->auth_header, security_header, NULL, NULL, NULL};
	size_t h = 2;

	if (body)
		headers[h++] = "Content-Type: text/plain";
	if (idem) {
		snprintf(idem_header, sizeof idem_header, "Idempotency-Key: %s", idem);
		headers[h++] = idem_header;
	}
	return http_request(c->http, method, path, headers, body, resp);
}

enum toss_get_result toss_client_get(struct toss_client *c, const char *path, json_t **root, char *code,
				     size_t code_len, char *msg, size_t msg_len)
{
	struct http_response resp = {0};
	struct settle_err err = {0};
	enum tpa_open_result why;
	enum toss_get_result r = TOSS_GET_IN_DOUBT;
	char tcode[64] = "", tmsg[256] = "";
	json_t *j = NULL;

	*root = NULL;
	if (toss_client_call(c, "GET", path, NULL, NULL, &resp) < 0) {
		snprintf(code, code_len, "%s", toss_transport_code(resp.xerr));
		snprintf(msg, msg_len, "Toss payouts: %s", resp.errmsg);
		goto out;
	}
	j = tpa_open(c->key, resp.body, resp.body_len, &why, &err);
	if (resp.status >= 200 && resp.status < 300 && j) {
		*root = j;
		j = NULL;
		r = TOSS_GET_OK;
	} else if (j && tpa_error(j, tcode, sizeof tcode, tmsg, sizeof tmsg)) {
		snprintf(code, code_len, "%s", tcode);
		if (resp.status == 404) {
			r = TOSS_GET_NOT_FOUND;
			snprintf(msg, msg_len, "%s", tmsg);
		} else {
			snprintf(msg, msg_len, "Toss payouts HTTP %ld: %s", resp.status, tmsg);
		}
	} else if (!j && resp.status >= 200 && resp.status < 300) {
		snprintf(code, code_len, "%s", why == TPA_UNDECRYPTABLE ? "UNDECRYPTABLE_RESPONSE" : "MALFORMED_RESPONSE");
		snprintf(msg, msg_len, "Toss payouts answer: %s", err.msg);
	} else {
		snprintf(code, code_len, "HTTP_ERROR");
		snprintf(msg, msg_len, "Toss payouts HTTP %ld without a Toss error", resp.status);
	}
	json_decref(j);
out:
	http_response_free(&resp);
	return r;
}
