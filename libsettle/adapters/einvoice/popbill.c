/* popbill.c — the e-invoice port over a Popbill-shaped HTTP API (see popbill.h). */
#include "adapters/einvoice/popbill.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "adapters/einvoice/linkhub.h"
#include "adapters/http/http.h"

struct popbill {
	struct http_client *api, *auth;
	char service_id[64], link_id[128], secret[256], corp_num[16], user_id[64];
	char token[512];
	time_t token_until;
};

static int copy(char *dst, size_t cap, const char *src, const char *what, struct settle_err *err)
{
	if (!src || !*src || strlen(src) >= cap || !http_header_value_ok(src, cap - 1))
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] %s is missing or malformed", what);
	snprintf(dst, cap, "%s", src);
	return 0;
}

int popbill_new(struct popbill **out, const struct popbill_config *cfg, struct settle_err *err)
{
	struct popbill *p = calloc(1, sizeof *p);

	*out = p;
	if (!p)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (copy(p->service_id, sizeof p->service_id, cfg->service_id, "service_id", err) < 0 ||
	    copy(p->link_id, sizeof p->link_id, cfg->link_id, "link id", err) < 0 ||
	    copy(p->secret, sizeof p->secret, cfg->secret_key, "secret key", err) < 0 ||
	    copy(p->corp_num, sizeof p->corp_num, cfg->corp_num, "corp_num", err) < 0)
		return -1;
	if (cfg->user_id && *cfg->user_id && copy(p->user_id, sizeof p->user_id, cfg->user_id, "user_id", err) < 0)
		return -1;
	p->api = http_client_new(cfg->base_url, cfg->connect_timeout_ms, cfg->timeout_ms, err);
	if (!p->api)
		return err_prefix(err, "[invoice] base_url");
	p->auth = http_client_new(cfg->auth_url, cfg->connect_timeout_ms, cfg->timeout_ms, err);
	if (!p->auth)
		return err_prefix(err, "[invoice] auth_url");
	return 0;
}

void popbill_free(struct popbill *p)
{
	if (!p)
		return;
	http_client_free(p->api);
	http_client_free(p->auth);
	OPENSSL_cleanse(p->secret, sizeof p->secret);
	OPENSSL_cleanse(p->token, sizeof p->token);
	free(p);
}

/* A session token for the platform's corp number, kept while it lasts. */
static int token(struct popbill *p, struct settle_err *err)
{
	struct http_response resp = {0};
	char uri[128], date[32], sig[LINKHUB_SIG_LEN], h_date[64], h_auth[256], *body;
	const char *headers[5];
	time_t now = time(NULL);
	struct tm tm;
	json_t *root;
	const char *tok;
	int rc = -1;

	if (p->token[0] && now < p->token_until)
		return 0;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(uri, sizeof uri, "/%s/Token", p->service_id);
	root = json_pack("{s:s, s:[s,s]}", "access_id", p->corp_num, "scope", "member", "110");
	body = root ? json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(root);
	if (!body)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (linkhub_signature(p->secret, body, date, uri, sig, err) < 0) {
		free(body);
		return -1;
	}
	snprintf(h_date, sizeof h_date, "x-lh-date: %s", date);
	snprintf(h_auth, sizeof h_auth, "Authorization: LINKHUB %s %s", p->link_id, sig);
	headers[0] = h_date;
	headers[1] = "x-lh-version: " LINKHUB_API_VERSION;
	headers[2] = h_auth;
	headers[3] = NULL;
	http_request(p->auth, "POST", uri, headers, body, &resp);
	free(body);
	OPENSSL_cleanse(h_auth, sizeof h_auth);
	if (resp.xerr != HTTP_XERR_NONE || resp.status == 0 || resp.status >= 500) {
		/* no document was sent: the provider is unavailable */
		err_set(err, SETTLE_EX_UNAVAILABLE, "LinkHub token: %s",
			resp.xerr != HTTP_XERR_NONE ? resp.errmsg : "server error");
		goto out;
	}
	if (resp.status != 200) {
		err_set(err, SETTLE_EX_CONFIG, "LinkHub refused the token request (HTTP %ld): check [invoice] link id, "
			"secret key and corp_num", resp.status);
		goto out;
	}
	root = json_loadb(resp.body ? resp.body : "", resp.body_len, 0, NULL);
	tok = root ? json_string_value(json_object_get(root, "session_token")) : NULL;
	if (!tok || !*tok || strlen(tok) >= sizeof p->token || !http_header_value_ok(tok, sizeof p->token - 1)) {
		err_set(err, SETTLE_EX_UNAVAILABLE, "LinkHub token: a malformed answer");
	} else {
		snprintf(p->token, sizeof p->token, "%s", tok);
		/* LinkHub tokens last about an hour; renew well before */
		p->token_until = now + 20 * 60;
		rc = 0;
	}
	json_decref(root);
out:
	http_response_free(&resp);
	return rc;
}

static json_t *amount(int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return json_string(buf);
}

char *popbill_issue_body(const struct invoice_doc *d, const char *corp_num)
{
	json_t *o = json_object(), *lines = json_array();
	char *text;

	(void)corp_num;
	for (size_t i = 0; i < d->n_lines; i++) {
		const struct invoice_line *l = &d->lines[i];

		json_array_append_new(lines, json_pack("{s:i, s:s, s:s, s:o, s:o}", "serialNum", l->seq, "purchaseDT",
						       l->date, "itemName", l->name, "supplyCost", amount(l->supply),
						       "tax", amount(l->vat)));
	}
	json_object_set_new(o, "writeDate", json_string(d->write_date));
	json_object_set_new(o, "chargeDirection", json_string("정과금"));
	json_object_set_new(o, "issueType", json_string("정발행"));
	json_object_set_new(o, "purposeType", json_string("영수"));
	json_object_set_new(o, "taxType", json_string("과세"));
	json_object_set_new(o, "invoicerCorpNum", json_string(d->invoicer.brn));
	json_object_set_new(o, "invoicerMgtKey", json_string(d->mgt_key));
	json_object_set_new(o, "invoicerCorpName", json_string(d->invoicer.name));
	json_object_set_new(o, "invoicerCEOName", json_string(d->invoicer.representative));
	json_object_set_new(o, "invoicerAddr", json_string(d->invoicer.address));
	json_object_set_new(o, "invoicerBizType", json_string(d->invoicer.business_type));
	json_object_set_new(o, "invoicerBizClass", json_string(d->invoicer.business_item));
	json_object_set_new(o, "invoiceeType", json_string("사업자"));
	json_object_set_new(o, "invoiceeCorpNum", json_string(d->invoicee.brn));
	json_object_set_new(o, "invoiceeCorpName", json_string(d->invoicee.name));
	json_object_set_new(o, "invoiceeCEOName", json_string(d->invoicee.representative));
	if (d->invoicee.email[0])
		json_object_set_new(o, "invoiceeEmail1", json_string(d->invoicee.email));
	json_object_set_new(o, "supplyCostTotal", amount(d->supply));
	json_object_set_new(o, "taxTotal", amount(d->vat));
	json_object_set_new(o, "totalAmount", amount(d->total));
	if (d->type == INVOICE_AMENDMENT) {
		json_object_set_new(o, "modifyCode", json_integer(atoi(d->amendment_code)));
		json_object_set_new(o, "orgNTSConfirmNum", json_string(d->original_issue_id));
	}
	json_object_set_new(o, "forceIssue", json_boolean(d->late));
	json_object_set_new(o, "detailList", lines);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static void api_headers(struct popbill *p, const char **h, char *auth, size_t alen, char *user, size_t ulen,
			const char *override)
{
	size_t n = 0;

	snprintf(auth, alen, "Authorization: Bearer %s", p->token);
	h[n++] = auth;
	h[n++] = "x-pb-version: 1.0";
	if (p->user_id[0]) {
		snprintf(user, ulen, "x-pb-userid: %s", p->user_id);
		h[n++] = user;
	}
	if (override)
		h[n++] = override;
	h[n] = NULL;
}

/* {code, message} of an error answer; 0 when it has none. */
static long long error_code(const struct http_response *resp, char *msg, size_t len)
{
	json_t *root = json_loadb(resp->body ? resp->body : "", resp->body_len, 0, NULL);
	long long code = 0;

	msg[0] = '\0';
	if (root && json_is_integer(json_object_get(root, "code"))) {
		const char *m = json_string_value(json_object_get(root, "message"));

		code = json_integer_value(json_object_get(root, "code"));
		snprintf(msg, len, "%s", m ? m : "");
	}
	json_decref(root);
	return code;
}

static int in_doubt(const struct http_response *resp, const char *what, struct settle_err *err)
{
	if (resp->xerr == HTTP_XERR_CONNECT)
		return err_set(err, SETTLE_EX_UNAVAILABLE, "e-invoice provider unreachable (%s): %s", what, resp->errmsg);
	if (resp->xerr != HTTP_XERR_NONE)
		return err_set(err, SETTLE_EX_TEMPFAIL, "e-invoice provider: no answer to %s (%s)", what, resp->errmsg);
	return err_set(err, SETTLE_EX_TEMPFAIL, "e-invoice provider answered %s with HTTP %ld", what, resp->status);
}

static int approval_from(const struct http_response *resp, const char *field, struct einvoice_result *res,
			 const char *what, struct settle_err *err)
{
	json_t *root = json_loadb(resp->body ? resp->body : "", resp->body_len, 0, NULL);
	const char *num = root ? json_string_value(json_object_get(root, field)) : NULL;
	int rc = 0;

	if (!root)
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "e-invoice provider: a malformed answer to %s", what);
	else if (!num || strlen(num) >= sizeof res->issue_id)
		rc = 1; /* no approval number in it */
	else
		snprintf(res->issue_id, sizeof res->issue_id, "%s", num);
	json_decref(root);
	return rc;
}

static int submit(void *self, const struct invoice_doc *d, struct einvoice_result *res, struct settle_err *err)
{
	struct popbill *p = self;
	struct http_response resp = {0};
	char auth[600], user[96], *body;
	const char *h[6];
	long long code;
	int rc = 0;

	memset(res, 0, sizeof res[0]);
	if (token(p, err) < 0)
		return -1;
	body = popbill_issue_body(d, p->corp_num);
	if (!body)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	api_headers(p, h, auth, sizeof auth, user, sizeof user, "X-HTTP-Method-Override: ISSUE");
	http_request(p->api, "POST", "/Taxinvoice", h, body, &resp);
	free(body);
	OPENSSL_cleanse(auth, sizeof auth);
	if (resp.xerr != HTTP_XERR_NONE || resp.status == 0 || resp.status >= 500 || resp.status == 429) {
		rc = in_doubt(&resp, "registIssue", err);
	} else if (resp.status == 200) {
		rc = approval_from(&resp, "ntsConfirmNum", res, "registIssue", err);
		if (rc == 1)
			rc = err_set(err, SETTLE_EX_TEMPFAIL, "e-invoice provider: registIssue answered without an "
				     "approval number");
		else if (rc == 0)
			res->outcome = EINVOICE_ISSUED;
	} else if (resp.status == 401 || resp.status == 403) {
		p->token[0] = '\0';
		rc = err_set(err, SETTLE_EX_CONFIG, "e-invoice provider refused our token (HTTP %ld)", resp.status);
	} else if ((code = error_code(&resp, res->message, sizeof res->message)) == POPBILL_DUPLICATE_KEY) {
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "e-invoice provider already has key %s: look it up", d->mgt_key);
	} else if (code) {
		res->outcome = EINVOICE_REFUSED;
		snprintf(res->code, sizeof res->code, "%lld", code);
	} else {
		rc = in_doubt(&resp, "registIssue", err);
	}
	http_response_free(&resp);
	return rc;
}

static int lookup(void *self, const char *mgt_key, struct einvoice_result *res, struct settle_err *err)
{
	struct popbill *p = self;
	struct http_response resp = {0};
	char auth[600], user[96], path[128], *esc;
	const char *h[6];
	long long code;
	int rc = 0;

	memset(res, 0, sizeof res[0]);
	if (token(p, err) < 0)
		return -1;
	esc = http_path_escape(mgt_key);
	if (!esc)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	snprintf(path, sizeof path, "/Taxinvoice/SELL/%s", esc);
	free(esc);
	api_headers(p, h, auth, sizeof auth, user, sizeof user, NULL);
	http_request(p->api, "GET", path, h, NULL, &resp);
	OPENSSL_cleanse(auth, sizeof auth);
	if (resp.xerr != HTTP_XERR_NONE || resp.status == 0 || resp.status >= 500 || resp.status == 429) {
		rc = in_doubt(&resp, "getInfo", err);
	} else if (resp.status == 200) {
		rc = approval_from(&resp, "ntsconfirmNum", res, "getInfo", err);
		if (rc == 0 && res->issue_id[0]) {
			res->outcome = EINVOICE_ISSUED;
		} else if (rc >= 0) {
			/* the provider holds it, unissued: no approval number */
			rc = 0;
			res->issue_id[0] = '\0';
			res->outcome = EINVOICE_REFUSED;
			snprintf(res->code, sizeof res->code, "NOT_ISSUED");
			snprintf(res->message, sizeof res->message, "the provider holds %s unissued", mgt_key);
		}
	} else if (resp.status == 401 || resp.status == 403) {
		p->token[0] = '\0';
		rc = err_set(err, SETTLE_EX_CONFIG, "e-invoice provider refused our token (HTTP %ld)", resp.status);
	} else if ((code = error_code(&resp, res->message, sizeof res->message)) == POPBILL_NOT_FOUND) {
		res->outcome = EINVOICE_NOT_FOUND;
	} else {
		rc = in_doubt(&resp, "getInfo", err);
	}
	http_response_free(&resp);
	return rc;
}

void popbill_port(struct einvoice_port *out, struct popbill *p)
{
	*out = (struct einvoice_port){.self = p, .submit = submit, .lookup = lookup};
}
