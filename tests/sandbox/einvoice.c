/*
 * einvoice.c — the e-invoice provider in the sandbox, in the shape of
 * Popbill and LinkHub (research/tax.md §8; linkhub-sdk/popbill.py,
 * linkhub-sdk/linkhub.py), as strict as those sources let us be:
 *
 *   POST /linkhub/{ServiceID}/Token  x-lh-version: 1.0, x-lh-date (ISO UTC,
 *        within 5 minutes), Authorization: LINKHUB {LinkID} {HMAC} (see
 *        adapters/einvoice/linkhub.h), body {"access_id": 10 digits, "scope":
 *        [... "110" ...]} → 200 {session_token, serviceID, linkID, expiration,
 *        scope}; a bad signature or LinkID → 401 {code, message}.
 *   POST /popbill/Taxinvoice  X-HTTP-Method-Override: ISSUE, Authorization:
 *        Bearer <token>, x-pb-version: 1.0, JSON registIssue body → 200
 *        {code: 1, message, ntsConfirmNum}; a field missing or malformed, sums
 *        that do not add up, an invoicer that is not the token's corp → 400
 *        {code: -99999999, message}; a mgtKey used before → 400 {code:
 *        -11000009}; no or an unknown token → 401.
 *   GET  /popbill/Taxinvoice/SELL/{mgtKey} → 200 {itemKey, stateCode 300,
 *        ntsconfirmNum}; unknown key → 400 {code: -11000005}.
 *
 * Faults (op "einvoice" = registIssue, "einvoice_get" = getInfo; orderId
 * matches the mgtKey): http500 and refuse change nothing; delay, malformed
 * and drop_after_commit issue the document first.
 *
 * Control (never counted, never faulted):
 *   GET  /_sandbox/einvoice/list   → [{mgtKey, ntsConfirmNum, request}] oldest first
 *   POST /_sandbox/einvoice/reset  documents and tokens forgotten
 */
#include "einvoice.h"

#include "sandbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/einvoice/linkhub.h"

#define MAX_DOCS 4096
#define MAX_TOKENS 256

struct doc {
	char mgt_key[25];
	char confirm[25];
	char *request;
};

static struct {
	pthread_mutex_t mu;
	struct doc docs[MAX_DOCS];
	size_t n;
	char tokens[MAX_TOKENS][41];
	char token_corp[MAX_TOKENS][11];
	size_t n_tokens;
	unsigned long serial;
} ev = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void popbill_error(struct sbx_resp *rs, int status, long long code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void popbill_error(struct sbx_resp *rs, int status, long long code, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	resp_json(rs, status, json_pack("{s:I, s:s}", "code", (json_int_t)code, "message", msg));
}

static void count(struct sbx_req *rq, enum sbx_op op, const char *ref, int executed)
{
	pthread_mutex_lock(&rq->sb->st.mu);
	state_count(&rq->sb->st, op, ref, executed);
	pthread_mutex_unlock(&rq->sb->st.mu);
}

static int digits(const char *s, size_t n)
{
	return s && strlen(s) == n && strspn(s, "0123456789") == n;
}

/* "-123" / "456": a whole won amount as Popbill's SDKs send it, a string. */
static int amount_str(const json_t *o, const char *key, long long *out)
{
	const char *s = json_str_field(o, key);
	char *end;

	if (!s || !*s || strlen(s) > 18 || strspn(s + (*s == '-'), "0123456789") != strlen(s + (*s == '-')))
		return -1;
	*out = strtoll(s, &end, 10);
	return 0;
}

/* ---- LinkHub token ---- */

static void token(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *ver = sbx_header(rq, "x-lh-version"), *date = sbx_header(rq, "x-lh-date");
	const char *auth = sbx_header(rq, "Authorization");
	const char *uri = rq->path + strlen("/linkhub");
	char want[LINKHUB_SIG_LEN], link[64], sig[64], tok[41], exp[32];
	struct settle_err err = {0};
	json_t *b = NULL, *scope;
	const char *corp;
	struct tm tm = {0};
	time_t now = time(NULL), at;
	int has_110 = 0;

	rq->op = "token";
	if (!ver || strcmp(ver, "1.0") || !date || !strptime(date, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		popbill_error(rs, 400, -99999999, "x-lh-version 1.0 and x-lh-date are required");
		return;
	}
	at = timegm(&tm);
	if (at < now - 300 || at > now + 300) {
		popbill_error(rs, 401, -99999998, "x-lh-date is more than 5 minutes off");
		return;
	}
	if (!auth || sscanf(auth, "LINKHUB %63s %63s", link, sig) != 2 || strcmp(link, SANDBOX_LINKHUB_LINK_ID) ||
	    linkhub_signature(SANDBOX_LINKHUB_SECRET, rq->body ? rq->body : "", date, uri, want, &err) < 0 ||
	    strcmp(sig, want)) {
		popbill_error(rs, 401, -99999997, "LinkHub authorization failed");
		return;
	}
	b = body_object(rq);
	corp = b ? json_str_field(b, "access_id") : NULL;
	scope = b ? json_object_get(b, "scope") : NULL;
	for (size_t i = 0; json_is_array(scope) && i < json_array_size(scope); i++)
		has_110 |= json_is_string(json_array_get(scope, i)) &&
			   !strcmp(json_string_value(json_array_get(scope, i)), "110");
	if (!digits(corp, 10) || !has_110) {
		popbill_error(rs, 400, -99999999, "access_id must be a corp number and scope must hold 110");
		json_decref(b);
		return;
	}
	rand_hex(tok, 40);
	pthread_mutex_lock(&ev.mu);
	if (ev.n_tokens == MAX_TOKENS)
		ev.n_tokens = 0;
	snprintf(ev.tokens[ev.n_tokens], 41, "%s", tok);
	snprintf(ev.token_corp[ev.n_tokens], 11, "%s", corp);
	ev.n_tokens++;
	pthread_mutex_unlock(&ev.mu);
	gmtime_r(&(time_t){now + 3600}, &tm);
	strftime(exp, sizeof exp, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	resp_json(rs, 200, json_pack("{s:s, s:s, s:s, s:s, s:[s,s]}", "session_token", tok, "serviceID", uri + 1,
				     "linkID", link, "expiration", exp, "scope", "member", "110"));
	json_decref(b);
}

/* The corp number the request's bearer token was issued for; 0 when none. */
static int bearer(struct sbx_req *rq, struct sbx_resp *rs, char corp[11])
{
	const char *auth = sbx_header(rq, "Authorization"), *ver = sbx_header(rq, "x-pb-version");
	int found = 0;

	if (!ver || strcmp(ver, "1.0")) {
		popbill_error(rs, 400, -99999999, "x-pb-version 1.0 is required");
		return 0;
	}
	if (!auth || strncmp(auth, "Bearer ", 7)) {
		popbill_error(rs, 401, -99999996, "no session token");
		return 0;
	}
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < MAX_TOKENS && !found; i++)
		if (ev.tokens[i][0] && !strcmp(ev.tokens[i], auth + 7)) {
			memcpy(corp, ev.token_corp[i], 11);
			found = 1;
		}
	pthread_mutex_unlock(&ev.mu);
	if (!found)
		popbill_error(rs, 401, -99999996, "the session token is unknown or expired");
	return found;
}

/* ---- registIssue ---- */

static const char *check_issue(const json_t *b, const char *corp)
{
	static const char *const text[] = {"invoicerCorpName", "invoicerCEOName", "invoiceeCorpName", "invoiceeCEOName"};
	const char *s, *key = json_str_field(b, "invoicerMgtKey");
	const json_t *lines = json_object_get(b, "detailList"), *mc = json_object_get(b, "modifyCode");
	const json_t *force = json_object_get(b, "forceIssue");
	long long supply, tax, total, ls = 0, lt = 0;

	if (!digits(json_str_field(b, "writeDate"), 8))
		return "writeDate must be YYYYMMDD";
	if (!(s = json_str_field(b, "issueType")) || strcmp(s, "정발행"))
		return "issueType must be 정발행";
	if (!(s = json_str_field(b, "purposeType")) || (strcmp(s, "영수") && strcmp(s, "청구")))
		return "purposeType must be 영수 or 청구";
	if (!(s = json_str_field(b, "taxType")) || (strcmp(s, "과세") && strcmp(s, "영세") && strcmp(s, "면세")))
		return "taxType must be 과세, 영세 or 면세";
	if (!digits(json_str_field(b, "invoicerCorpNum"), 10) || strcmp(json_str_field(b, "invoicerCorpNum"), corp))
		return "invoicerCorpNum must be the token's corp number";
	if (!key || !sbx_id_ok(key, 1, 24, "_-"))
		return "invoicerMgtKey must be 1..24 of [A-Za-z0-9_-]";
	if (!(s = json_str_field(b, "invoiceeType")) || strcmp(s, "사업자"))
		return "invoiceeType must be 사업자 here";
	if (!digits(json_str_field(b, "invoiceeCorpNum"), 10))
		return "invoiceeCorpNum must be 10 digits";
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
		if (!(s = json_str_field(b, text[i])) || !*s || strlen(s) > 200)
			return "a party's name is missing";
	if (amount_str(b, "supplyCostTotal", &supply) < 0 || amount_str(b, "taxTotal", &tax) < 0 ||
	    amount_str(b, "totalAmount", &total) < 0)
		return "supplyCostTotal, taxTotal and totalAmount must be whole won as strings";
	if (total != supply + tax)
		return "totalAmount is not supplyCostTotal + taxTotal";
	if (!json_is_array(lines) || json_array_size(lines) < 1 || json_array_size(lines) > 99)
		return "detailList must hold 1..99 items";
	for (size_t i = 0; i < json_array_size(lines); i++) {
		const json_t *l = json_array_get(lines, i);
		long long a, t;
		int64_t serial;

		if (json_int_field(l, "serialNum", &serial) != 1 || serial != (int64_t)i + 1 ||
		    !digits(json_str_field(l, "purchaseDT"), 8) || amount_str(l, "supplyCost", &a) < 0 ||
		    amount_str(l, "tax", &t) < 0)
			return "a detailList item is malformed";
		ls += a;
		lt += t;
	}
	if (ls != supply || lt != tax)
		return "the detailList does not add up to the totals";
	if (mc) {
		const char *org = json_str_field(b, "orgNTSConfirmNum");

		if (!json_is_integer(mc) || json_integer_value(mc) < 1 || json_integer_value(mc) > 6)
			return "modifyCode must be 1..6";
		if (!org || strlen(org) != 24 || strspn(org, "0123456789abcdefghijklmnopqrstuvwxyz") != 24)
			return "an amendment needs orgNTSConfirmNum";
	}
	if (force && !json_is_boolean(force))
		return "forceIssue must be a boolean";
	return NULL;
}

static void issue(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *ov = sbx_header(rq, "X-HTTP-Method-Override"), *why, *key;
	char corp[11], confirm[25], rnd[9];
	json_t *b;
	struct fault f;
	int hit, dup = 0;

	rq->op = "einvoice";
	if (!ov || strcmp(ov, "ISSUE")) {
		popbill_error(rs, 400, -99999999, "registIssue needs X-HTTP-Method-Override: ISSUE");
		return;
	}
	if (!bearer(rq, rs, corp))
		return;
	b = body_object(rq);
	if (!b) {
		popbill_error(rs, 400, -99999999, "the body is not a JSON object");
		return;
	}
	key = json_str_field(b, "invoicerMgtKey");
	copy_str(rq->order_id, sizeof rq->order_id, key ? key : "");
	count(rq, OP_EINVOICE, rq->order_id, 0);
	hit = faults_take(&rq->sb->faults, OP_EINVOICE, rq->order_id, NULL, &f);
	if (hit && f.kind == FAULT_HTTP500) {
		popbill_error(rs, 500, -99999999, "internal error");
		goto out;
	}
	if (hit && f.kind == FAULT_REFUSE) {
		popbill_error(rs, f.status ? f.status : 400, f.code[0] ? atoll(f.code) : -10000000,
			      "%s", f.message[0] ? f.message : "refused");
		goto out;
	}
	if ((why = check_issue(b, corp))) {
		popbill_error(rs, 400, -99999999, "%s", why);
		goto out;
	}
	json_t *w = json_object_get(b, "writeDate");

	rand_hex(rnd, 8);
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < ev.n && !dup; i++)
		dup = !strcmp(ev.docs[i].mgt_key, key);
	if (!dup && ev.n < MAX_DOCS) {
		struct doc *d = &ev.docs[ev.n++];

		/* 8 of 작성일자 + 8 of the issuing system (41: an ASP) + 8 serial */
		snprintf(confirm, sizeof confirm, "%.8s41%06lu%s", json_string_value(w), ++ev.serial % 1000000, rnd);
		snprintf(d->mgt_key, sizeof d->mgt_key, "%s", key);
		memcpy(d->confirm, confirm, sizeof confirm);
		d->request = strndup(rq->body, rq->body_len);
	}
	pthread_mutex_unlock(&ev.mu);
	if (dup) {
		popbill_error(rs, 400, -11000009, "the document key %s is already in use", key);
		goto out;
	}
	count(rq, OP_EINVOICE, rq->order_id, 1);
	resp_json(rs, 200, json_pack("{s:i, s:s, s:s}", "code", 1, "message", "발행 완료", "ntsConfirmNum", confirm));
	if (hit) {
		rs->fault = f.kind;
		rs->delay_ms = f.delay_ms;
	}
out:
	json_decref(b);
}

static void get_info(struct sbx_req *rq, struct sbx_resp *rs, const char *key)
{
	char corp[11], confirm[25] = "";
	struct fault f;
	int found = 0;

	rq->op = "einvoice_get";
	if (!bearer(rq, rs, corp))
		return;
	copy_str(rq->order_id, sizeof rq->order_id, key);
	count(rq, OP_EINVOICE_GET, key, 0);
	if (faults_take(&rq->sb->faults, OP_EINVOICE_GET, key, NULL, &f)) {
		if (f.kind == FAULT_HTTP500 || f.kind == FAULT_REFUSE) {
			popbill_error(rs, 500, -99999999, "internal error");
			return;
		}
		rs->fault = f.kind;
		rs->delay_ms = f.delay_ms;
	}
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < ev.n && !found; i++)
		if (!strcmp(ev.docs[i].mgt_key, key)) {
			memcpy(confirm, ev.docs[i].confirm, sizeof confirm);
			found = 1;
		}
	pthread_mutex_unlock(&ev.mu);
	count(rq, OP_EINVOICE_GET, key, 1);
	if (!found) {
		rs->fault = FAULT_NONE;
		popbill_error(rs, 400, -11000005, "no document under key %s", key);
		return;
	}
	resp_json(rs, 200, json_pack("{s:s, s:i, s:s, s:s}", "itemKey", confirm + 16, "stateCode", 300, "ntsconfirmNum",
				     confirm, "invoicerMgtKey", key));
}

/* ---- control ---- */

static void ctl_list(struct sbx_resp *rs)
{
	json_t *a = json_array();

	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < ev.n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "mgtKey", ev.docs[i].mgt_key, "ntsConfirmNum",
						   ev.docs[i].confirm, "request", ev.docs[i].request ? ev.docs[i].request : ""));
	pthread_mutex_unlock(&ev.mu);
	resp_json(rs, 200, a);
}

static void ctl_reset(struct sbx_resp *rs)
{
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < ev.n; i++)
		free(ev.docs[i].request);
	ev.n = 0;
	memset(ev.tokens, 0, sizeof ev.tokens);
	ev.n_tokens = 0;
	pthread_mutex_unlock(&ev.mu);
	resp_json(rs, 200, json_pack("{s:b}", "reset", 1));
}

void einvoice_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *p = rq->path;

	if (!strcmp(p, "/_sandbox/einvoice/list") && !strcmp(rq->method, "GET"))
		ctl_list(rs);
	else if (!strcmp(p, "/_sandbox/einvoice/reset") && !strcmp(rq->method, "POST"))
		ctl_reset(rs);
	else if (!strncmp(p, "/linkhub/", 9) && strlen(p) > 15 && !strcmp(p + strlen(p) - 6, "/Token") &&
		 !strcmp(rq->method, "POST"))
		token(rq, rs);
	else if (!strcmp(p, "/popbill/Taxinvoice") && !strcmp(rq->method, "POST"))
		issue(rq, rs);
	else if (!strncmp(p, "/popbill/Taxinvoice/SELL/", 25) && p[25] && !strchr(p + 25, '/') &&
		 !strcmp(rq->method, "GET"))
		get_info(rq, rs, p + 25);
	else
		popbill_error(rs, 404, -99999999, "no such API: %s %s", rq->method, p);
}
