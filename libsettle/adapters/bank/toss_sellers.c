/*
 * toss_sellers.c — the Toss payouts v2 seller adapter (see toss_sellers.h):
 * an application checked, its body built and encrypted, POST /v2/sellers
 * over toss_client.c, the answer opened by toss_payouts_answer.c.
 */
#include "adapters/bank/toss_sellers.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "adapters/bank/bank_common.h"
#include "adapters/bank/toss_client.h"
#include "adapters/bank/toss_payouts_answer.h"

#define DEFAULT_PAGES 50
/* Stands in the JSON for the account number until the text is final. */
#define ACCOUNT_MARK "@@ACCOUNT_NUMBER@@"

struct toss_sellers {
	struct seller_registry reg;
	struct toss_client c;
	int max_pages;
};

static void set(struct seller_result *r, enum seller_outcome o, enum seller_status st, const char *code,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set(struct seller_result *r, enum seller_outcome o, enum seller_status st, const char *code,
		const char *fmt, ...)
{
	va_list ap;

	r->outcome = o;
	r->status = st;
	snprintf(r->code, sizeof r->code, "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
	/* one line */
	for (char *p = r->message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

static void ts_destroy(void *self)
{
	struct toss_sellers *t = self;

	if (!t)
		return;
	toss_client_free(&t->c);
	free(t);
}

static int digits(const char *s, size_t lo, size_t hi)
{
	size_t n = s ? strlen(s) : 0;

	return n >= lo && n <= hi && strspn(s, "0123456789") == n;
}

/* Names the first field settle cannot send; NULL when all are fine. */
static const char *bad_field(const struct seller_application *a)
{
	int company = a->kind != LEADER_INDIVIDUAL;

	if (!bank_id_ok(a->ref_seller_id))
		return "refSellerId (1..64 of A-Z a-z 0-9 _ -)";
	if (!a->idempotency_key || !*a->idempotency_key || strlen(a->idempotency_key) > 300 ||
	    !bank_text_ok(a->idempotency_key, 300))
		return "Idempotency-Key (1..300 printable characters)";
	if ((unsigned)a->kind >= LEADER_KIND_COUNT)
		return "businessType";
	if (!bank_text_ok(a->name, 100) || !*a->name)
		return "name";
	if (company && (!a->representative_name || !*a->representative_name || !bank_text_ok(a->representative_name, 100)))
		return "representativeName";
	if (company && !digits(a->business_number, 10, 10))
		return "businessRegistrationNumber (10 digits)";
	if (!a->email || !bank_text_ok(a->email, 254) || !strchr(a->email, '@'))
		return "email";
	if (!digits(a->phone, 9, 11))
		return "phone (9..11 digits)";
	if (!digits(a->bank_code, 3, 3))
		return "bankCode (3 digits)";
	if (!digits(a->account, 8, 20))
		return "accountNumber (8..20 digits)";
	if (!a->holder || !*a->holder || !bank_text_ok(a->holder, 100))
		return "holderName";
	if (a->leader_id && *a->leader_id && !bank_text_ok(a->leader_id, 64))
		return "leader id";
	return NULL;
}

/* The plain JSON body, account number included, in a malloc'd buffer the
 * caller wipes (*len bytes). NULL when out of memory. */
static char *body_text(const struct seller_application *a, size_t *len)
{
	static const char *const types[] = {"INDIVIDUAL", "INDIVIDUAL_BUSINESS", "CORPORATE"};
	json_t *o, *who;
	/* With its key: a value cannot forge this (its quotes would be escaped). */
	static const char mark[] = "\"accountNumber\":\"" ACCOUNT_MARK "\"";
	static const char key[] = "\"accountNumber\":";
	char *text, *out, *at;
	size_t tlen, alen = strlen(a->account), mlen = sizeof mark - 1, klen = sizeof key - 1;

	if (a->kind == LEADER_INDIVIDUAL)
		who = json_pack("{s:s, s:s, s:s}", "name", a->name, "email", a->email, "phone", a->phone);
	else
		who = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", a->name, "representativeName",
				a->representative_name, "businessRegistrationNumber", a->business_number, "email",
				a->email, "phone", a->phone);
	if (!who)
		return NULL;
	o = json_pack("{s:s, s:s, s:o, s:{s:s, s:s, s:s}, s:{s:s}}", "refSellerId", a->ref_seller_id, "businessType",
		      types[a->kind], a->kind == LEADER_INDIVIDUAL ? "individual" : "company", who, "account",
		      "bankCode", a->bank_code, "accountNumber", ACCOUNT_MARK, "holderName", a->holder, "metadata",
		      "leaderId", a->leader_id && *a->leader_id ? a->leader_id : a->ref_seller_id);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return NULL;
	at = strstr(text, mark);
	tlen = strlen(text);
	out = at ? malloc(tlen - mlen + klen + alen + 3) : NULL;
	if (out) {
		size_t head = (size_t)(at - text), w = head;

		/* digits only (checked): nothing to escape */
		memcpy(out, text, head);
		memcpy(out + w, key, klen);
		w += klen;
		out[w++] = '"';
		memcpy(out + w, a->account, alen);
		w += alen;
		out[w++] = '"';
		memcpy(out + w, at + mlen, tlen - head - mlen + 1);
		*len = strlen(out);
	}
	free(text);
	return out;
}

static int idempotency_trouble(long status, const char *code)
{
	/* The seller may exist from an earlier request whose answer was lost:
	 * a refusal would be recorded for a seller Toss holds. */
	return status == 409 || status == 422 || !strcmp(code, "IDEMPOTENT_REQUEST_PROCESSING") ||
	       !strcmp(code, "INVALID_IDEMPOTENCY_KEY") || !strncmp(code, "DUPLICATED_", 11) ||
	       !strncmp(code, "ALREADY_", 8);
}

/* A seller object into res: OK with id and status, or IN_DOUBT. */
static void read_seller(json_t *s, const char *want_ref, struct seller_result *res)
{
	const char *id = json_string_value(json_object_get(s, "id"));
	const char *st = json_string_value(json_object_get(s, "status"));
	const char *ref = json_string_value(json_object_get(s, "refSellerId"));
	enum seller_status status;

	if (!json_is_object(s) || !id || !st) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "MALFORMED_RESPONSE", "Toss answered no seller {id, status}");
		return;
	}
	if (!bank_id_ok(id)) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "MALFORMED_RESPONSE",
		    "Toss answered a seller id outside 1..64 of A-Z a-z 0-9 _ -");
		return;
	}
	if (want_ref && ref && strcmp(ref, want_ref)) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "REF_MISMATCH",
		    "seller %s: Toss answered the seller of another refSellerId", want_ref);
		return;
	}
	status = seller_status_parse(st);
	snprintf(res->seller_id, sizeof res->seller_id, "%s", id);
	set(res, SELLER_OK, status, status == SELLER_ST_UNKNOWN ? "UNKNOWN_STATUS" : seller_status_name(status),
	    "seller %s: %.40s", id, st);
}

static void ts_register(void *self, const struct seller_application *a, struct seller_result *res)
{
	struct toss_sellers *t = self;
	struct http_response resp = {0};
	struct settle_err err = {0};
	enum tpa_open_result why;
	const char *bad;
	char *plain = NULL, *jwe = NULL, code[64] = "", msg[256] = "";
	size_t plen = 0;
	json_t *root = NULL;

	memset(res, 0, sizeof *res);
	bad = a ? bad_field(a) : "application";
	if (bad) {
		set(res, SELLER_REFUSED, SELLER_ST_UNKNOWN, "INVALID_REQUEST", "seller %.64s: %s is missing or malformed",
		    a && a->ref_seller_id ? a->ref_seller_id : "?", bad);
		return;
	}
	plain = body_text(a, &plen);
	jwe = plain ? jwe_encrypt(t->c.key, plain, plen, NULL, &err) : NULL;
	if (plain) {
		OPENSSL_cleanse(plain, plen);
		free(plain);
	}
	if (!jwe) {
		/* Nothing left settle: a definite no, safe to try again. */
		set(res, SELLER_REFUSED, SELLER_ST_UNKNOWN, "LOCAL_ERROR", "%s",
		    err.msg[0] ? err.msg : "out of memory building the request");
		return;
	}
	if (toss_client_call(&t->c, "POST", "/v2/sellers", jwe, a->idempotency_key, &resp) < 0 ||
	    resp.xerr != HTTP_XERR_NONE) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, toss_transport_code(resp.xerr), "Toss sellers: %s",
		    resp.errmsg);
		goto out;
	}
	root = tpa_open(t->c.key, resp.body, resp.body_len, &why, &err);
	if (root && resp.status >= 400 && tpa_error(root, code, sizeof code, msg, sizeof msg)) {
		int doubt = resp.status >= 500 || resp.status == 408 || resp.status == 429 ||
			    idempotency_trouble(resp.status, code);

		set(res, doubt ? SELLER_IN_DOUBT : SELLER_REFUSED, SELLER_ST_UNKNOWN, code, "Toss sellers HTTP %ld: %s",
		    resp.status, msg);
	} else if (resp.status < 200 || resp.status >= 300) {
		snprintf(code, sizeof code, "HTTP_%ld", resp.status);
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, code, "Toss sellers HTTP %ld without a Toss error",
		    resp.status);
	} else if (!root) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN,
		    why == TPA_UNDECRYPTABLE ? "UNDECRYPTABLE_RESPONSE" : "MALFORMED_RESPONSE", "Toss sellers answer: %s",
		    err.msg);
	} else {
		read_seller(tpa_entity(root), a->ref_seller_id, res);
	}
out:
	json_decref(root);
	http_response_free(&resp);
	free(jwe);
}

static void ts_find(void *self, const char *ref, struct seller_result *res)
{
	struct toss_sellers *t = self;
	char path[256], cursor[129] = "", code[64], msg[256];

	memset(res, 0, sizeof *res);
	if (!bank_id_ok(ref)) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "INVALID_REQUEST",
		    "refSellerId must be 1..64 of A-Z a-z 0-9 _ -");
		return;
	}
	for (int page = 0; page < t->max_pages; page++) {
		json_t *root = NULL, *items, *o;
		const char *next;
		size_t k;

		if (cursor[0]) {
			char *esc = http_path_escape(cursor); /* query value: the same unreserved set is safe */

			if (!esc) {
				set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "LOCAL_ERROR", "out of memory");
				return;
			}
			snprintf(path, sizeof path, "/v2/sellers?limit=100&startingAfter=%s", esc);
			free(esc);
		} else {
			snprintf(path, sizeof path, "/v2/sellers?limit=100");
		}
		if (toss_client_get(&t->c, path, &root, code, sizeof code, msg, sizeof msg) != TOSS_GET_OK) {
			/* a 404 on a list is not "no such seller" */
			set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, code, "Toss sellers list: %s", msg);
			return;
		}
		if (!(items = tpa_items(root))) {
			json_decref(root);
			set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "MALFORMED_RESPONSE", "Toss sellers list has no items");
			return;
		}
		json_array_foreach(items, k, o) {
			const char *r = json_string_value(json_object_get(o, "refSellerId"));

			if (!json_is_object(o) || !r) {
				json_decref(root);
				set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "MALFORMED_RESPONSE",
				    "Toss sellers list: an item has no refSellerId");
				return;
			}
			if (strcmp(r, ref))
				continue;
			read_seller(o, ref, res);
			json_decref(root);
			return;
		}
		next = tpa_last_cursor(root);
		if (!tpa_has_next(root)) {
			json_decref(root);
			set(res, SELLER_OK, SELLER_ST_NOT_FOUND, "NOT_FOUND", "refSellerId %s: Toss has no such seller", ref);
			return;
		}
		if (!next || !*next || strlen(next) >= sizeof cursor || !strcmp(next, cursor)) {
			json_decref(root);
			set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "MALFORMED_RESPONSE",
			    "Toss sellers list: hasNext without a new lastCursor");
			return;
		}
		snprintf(cursor, sizeof cursor, "%s", next);
		json_decref(root);
	}
	set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "LOOKUP_INCOMPLETE",
	    "refSellerId %s: not in the newest %d pages of Toss sellers", ref, t->max_pages);
}

static void ts_status(void *self, const char *seller_id, struct seller_result *res)
{
	struct toss_sellers *t = self;
	char path[256], code[64] = "", msg[256] = "", *esc;
	json_t *root = NULL;
	enum toss_get_result r;

	memset(res, 0, sizeof *res);
	if (!bank_id_ok(seller_id)) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "INVALID_REQUEST", "seller id must be 1..64 of A-Z a-z 0-9 _ -");
		return;
	}
	esc = http_path_escape(seller_id);
	if (!esc) {
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "LOCAL_ERROR", "out of memory");
		return;
	}
	snprintf(path, sizeof path, "/v2/sellers/%s", esc);
	free(esc);
	r = toss_client_get(&t->c, path, &root, code, sizeof code, msg, sizeof msg);
	if (r == TOSS_GET_NOT_FOUND)
		set(res, SELLER_OK, SELLER_ST_NOT_FOUND, "NOT_FOUND", "seller %s: not registered at Toss", seller_id);
	else if (r == TOSS_GET_IN_DOUBT)
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, code, "%s", msg);
	else
		read_seller(tpa_entity(root), NULL, res);
	if (res->outcome == SELLER_OK && res->status != SELLER_ST_NOT_FOUND && strcmp(res->seller_id, seller_id))
		set(res, SELLER_IN_DOUBT, SELLER_ST_UNKNOWN, "MALFORMED_RESPONSE", "seller %s: Toss answered another seller",
		    seller_id);
	json_decref(root);
}

struct seller_registry *toss_sellers_new(const struct toss_payouts_config *cfg, struct settle_err *err)
{
	struct toss_sellers *t;

	if (!cfg) {
		err_set(err, SETTLE_EX_CONFIG, "toss-payouts: secret key is not set");
		return NULL;
	}
	t = calloc(1, sizeof *t);
	if (!t) {
		err_set(err, SETTLE_EX_OSERR, "toss-payouts: out of memory");
		return NULL;
	}
	if (toss_client_init(&t->c, "toss-payouts", cfg->base_url, cfg->secret_key, cfg->security_key,
			     cfg->connect_timeout_ms, cfg->timeout_ms, err) < 0) {
		ts_destroy(t);
		return NULL;
	}
	t->max_pages = cfg->max_lookup_pages > 0 ? cfg->max_lookup_pages : DEFAULT_PAGES;
	t->reg = (struct seller_registry){.self = t,
					  .name = "toss-payouts",
					  .register_seller = ts_register,
					  .find = ts_find,
					  .status = ts_status,
					  .destroy = ts_destroy};
	return &t->reg;
}
