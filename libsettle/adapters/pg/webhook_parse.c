/* webhook_parse.c — see webhook_parse.h. */
#include "adapters/pg/webhook_parse.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/bank/toss_payouts_answer.h"
#include "adapters/json/json_read.h"
#include "adapters/pg/nicepay/nicepay_parse.h"

int webhook_time_parse(const char *s, int64_t *us)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	long off = 0;
	const char *p;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return -1;
	p = s + n;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' && !p[1]) {
		off = 0;
	} else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && n == 5 && !p[6] &&
		   oh < 24 && om < 60) {
		off = (*p == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
	} else {
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*us = ((int64_t)t - off) * 1000000;
	return 0;
}

static int str_field(json_t *o, const char *name, char *dst, size_t cap, struct settle_err *err)
{
	return jread_str(o, name, 1, dst, cap, err);
}

static int toss(json_t *root, webhook_header_fn header, void *harg, struct webhook_event *ev, struct settle_err *err)
{
	json_t *type = json_object_get(root, "eventType");
	char tkey[129];

	(void)header; /* Toss's payment webhooks carry no header settle relies on (T7) */
	(void)harg;
	snprintf(ev->source, sizeof ev->source, "toss");
	if (!type) {
		/* DEPOSIT_CALLBACK is the one without an envelope. */
		snprintf(ev->type, sizeof ev->type, "DEPOSIT_CALLBACK");
		ev->kind = WH_DEPOSIT;
		if (str_field(root, "orderId", ev->order_id, sizeof ev->order_id, err) < 0 ||
		    str_field(root, "status", ev->status, sizeof ev->status, err) < 0 ||
		    str_field(root, "transactionKey", tkey, sizeof tkey, err) < 0 ||
		    str_field(root, "secret", ev->secret, sizeof ev->secret, err) < 0)
			return -1;
		snprintf(ev->event_id, sizeof ev->event_id, "DEPOSIT_CALLBACK:%s:%s", tkey, ev->status);
		return 0;
	}
	if (!json_is_string(type) || json_string_length(type) == 0 || json_string_length(type) >= sizeof ev->type)
		return err_set(err, SETTLE_EX_DATAERR, "eventType is not a short string");
	snprintf(ev->type, sizeof ev->type, "%s", json_string_value(type));
	if (!strcmp(ev->type, "PAYMENT_STATUS_CHANGED")) {
		json_t *data = json_object_get(root, "data");
		char *key = ev->payment_key;

		if (!json_is_object(data))
			return err_set(err, SETTLE_EX_DATAERR, "PAYMENT_STATUS_CHANGED without a data object");
		ev->kind = WH_PAYMENT_STATUS;
		if (str_field(data, "orderId", ev->order_id, sizeof ev->order_id, err) < 0 ||
		    str_field(data, "status", ev->status, sizeof ev->status, err) < 0 ||
		    str_field(data, "paymentKey", key, sizeof ev->payment_key, err) < 0)
			return -1;
		/* A redelivery keeps the payment's key and status; two real
		 * changes to the same status are one fact for settle. */
		snprintf(ev->event_id, sizeof ev->event_id, "PAYMENT_STATUS_CHANGED:%.160s:%s", key, ev->status);
		return 0;
	}
	ev->kind = WH_OTHER;
	{
		json_t *c = json_object_get(root, "createdAt");

		snprintf(ev->event_id, sizeof ev->event_id, "%s:%.100s", ev->type,
			 json_is_string(c) ? json_string_value(c) : "");
	}
	return 0;
}

static int nicepay(json_t *root, const struct webhook_keys *k, struct webhook_event *ev, struct settle_err *err)
{
	char tid[65], edi[40], sig[129], want[65];
	int64_t amount;
	char amount_s[24];
	int ok;

	snprintf(ev->source, sizeof ev->source, "nicepay");
	snprintf(ev->type, sizeof ev->type, "NOTIFICATION");
	ev->kind = WH_PAYMENT_STATUS;
	if (!k->nicepay_secret_key)
		return err_set(err, SETTLE_EX_CONFIG, "no [nicepay] secret_key_file: NicePay notifications cannot be verified");
	if (str_field(root, "tid", tid, sizeof tid, err) < 0 ||
	    str_field(root, "orderId", ev->order_id, sizeof ev->order_id, err) < 0 ||
	    str_field(root, "status", ev->status, sizeof ev->status, err) < 0 ||
	    str_field(root, "ediDate", edi, sizeof edi, err) < 0 ||
	    str_field(root, "signature", sig, sizeof sig, err) < 0 ||
	    jread_int(root, "amount", 0, INT64_MAX, &amount, err) < 0)
		return -1;
	snprintf(amount_s, sizeof amount_s, "%" PRId64, amount);
	if (nicepay_sign_hex(want, tid, amount_s, edi, k->nicepay_secret_key, NULL) < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "cannot compute SHA-256");
	ok = nicepay_sig_equal(want, sig);
	OPENSSL_cleanse(want, sizeof want);
	if (!ok)
		return err_set(err, SETTLE_EX_NOPERM, "NicePay notification signature does not verify");
	snprintf(ev->event_id, sizeof ev->event_id, "%s:%s", tid, ev->status);
	snprintf(ev->payment_key, sizeof ev->payment_key, "%s", tid);
	return 0;
}

static int hmac_b64(const char *key, const char *body, size_t len, const char *time, unsigned char mac[32])
{
	/* HMAC over body ":" time without copying the body. */
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = alg ? EVP_MAC_CTX_new(alg) : NULL;
	OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
				OSSL_PARAM_construct_end()};
	size_t out_len = 0;
	int ok = ctx && EVP_MAC_init(ctx, (const unsigned char *)key, strlen(key), params) &&
		 EVP_MAC_update(ctx, (const unsigned char *)body, len) &&
		 EVP_MAC_update(ctx, (const unsigned char *)":", 1) &&
		 EVP_MAC_update(ctx, (const unsigned char *)time, strlen(time)) &&
		 EVP_MAC_final(ctx, mac, &out_len, 32) && out_len == 32;

	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(alg);
	return ok ? 0 : -1;
}

int webhook_payout_sign(const char *key, const char *body, size_t len, const char *time, char *out, size_t cap)
{
	unsigned char mac[32];

	if (cap < 3 + 45 || hmac_b64(key, body, len, time, mac) < 0)
		return -1;
	memcpy(out, "v1:", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, 32);
	OPENSSL_cleanse(mac, sizeof mac);
	return 0;
}

/* 1 when one of the comma-separated base64 values after "v1:" is mac. */
static int signature_matches(const char *header, const unsigned char mac[32])
{
	const char *p;
	int found = 0;

	if (strncmp(header, "v1:", 3))
		return 0;
	p = header + 3;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		unsigned char dec[64];

		while (n && *p == ' ')
			p++, n--;
		if (n == 44) { /* 32 bytes in base64 */
			int d = EVP_DecodeBlock(dec, (const unsigned char *)p, 44);

			if (d == 33 && CRYPTO_memcmp(dec, mac, 32) == 0) /* 44 chars decode to 33 with one '=' */
				found = 1;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return found;
}

static int payouts(json_t *root, const char *body, size_t len, webhook_header_fn header, void *harg,
		   const struct webhook_keys *k, int64_t now_us, struct webhook_event *ev, struct settle_err *err)
{
	const char *sig = header ? header(harg, "tosspayments-webhook-signature") : NULL;
	const char *tm = header ? header(harg, "tosspayments-webhook-transmission-time") : NULL;
	unsigned char mac[32];
	int64_t t_us;
	json_t *entity;
	int ok;

	snprintf(ev->source, sizeof ev->source, "toss-payouts");
	if (!k->payouts_security_key)
		return err_set(err, SETTLE_EX_CONFIG,
			       "no [toss-payouts] security_key_file: payout notifications cannot be verified");
	if (!sig || !tm)
		return err_set(err, SETTLE_EX_NOPERM, "payout notification without signature or transmission time");
	if (webhook_time_parse(tm, &t_us) < 0)
		return err_set(err, SETTLE_EX_NOPERM, "transmission time is not an ISO 8601 time with a zone");
	if (t_us < now_us - (int64_t)k->max_skew_s * 1000000 || t_us > now_us + (int64_t)k->max_skew_s * 1000000)
		return err_set(err, SETTLE_EX_NOPERM, "transmission time is outside the %d s window", k->max_skew_s);
	if (hmac_b64(k->payouts_security_key, body, len, tm, mac) < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "cannot compute HMAC-SHA256");
	ok = signature_matches(sig, mac);
	OPENSSL_cleanse(mac, sizeof mac);
	if (!ok)
		return err_set(err, SETTLE_EX_NOPERM, "payout notification signature does not verify");
	if (str_field(root, "eventType", ev->type, sizeof ev->type, err) < 0 ||
	    str_field(root, "eventId", ev->event_id, sizeof ev->event_id, err) < 0)
		return -1;
	entity = json_object_get(root, "entityBody");
	if (!strcmp(ev->type, "payout.changed")) {
		if (!json_is_object(entity))
			return err_set(err, SETTLE_EX_DATAERR, "payout.changed without an entityBody object");
		ev->kind = WH_PAYOUT_STATUS;
		if (str_field(entity, "refPayoutId", ev->payout_ref, sizeof ev->payout_ref, err) < 0 ||
		    str_field(entity, "status", ev->status, sizeof ev->status, err) < 0)
			return -1;
		ev->payout_status = (int)tpa_payout_status(ev->status);
	} else {
		ev->kind = WH_OTHER;
	}
	return 0;
}

int webhook_parse(const char *source, const char *body, size_t len, webhook_header_fn header, void *header_arg,
		  const struct webhook_keys *keys, int64_t now_us, struct webhook_event *ev, struct settle_err *err)
{
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(ev, 0, sizeof *ev);
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return err_set(err, SETTLE_EX_DATAERR, "body is not a JSON object");
	}
	if (!strcmp(source, "toss"))
		rc = toss(root, header, header_arg, ev, err);
	else if (!strcmp(source, "nicepay"))
		rc = nicepay(root, keys, ev, err);
	else if (!strcmp(source, "toss-payouts"))
		rc = payouts(root, body, len, header, header_arg, keys, now_us, ev, err);
	else
		rc = err_set(err, SETTLE_EX_NOINPUT, "no such webhook source");
	json_decref(root);
	if (rc < 0)
		OPENSSL_cleanse(ev->secret, sizeof ev->secret);
	return rc;
}
