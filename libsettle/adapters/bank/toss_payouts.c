/*
 * toss_payouts.c — the Toss payouts v2 adapter (see toss_payouts.h):
 * orders checked, the batch encrypted and sent through toss_client.c (the
 * request pieces it shares with the sellers adapter), the answer opened by
 * toss_payouts_answer.c and matched back to the orders.
 */
#include "adapters/bank/toss_payouts.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "adapters/bank/bank_common.h"
#include "adapters/bank/jwe.h"
#include "adapters/bank/toss_client.h"
#include "adapters/bank/toss_payouts_answer.h"
#include "adapters/http/http.h"

#define DESCRIPTION_CHARS 7  /* the seller's statement shows about this much (T8) */
#define MEMO_MAX 200
#define DEFAULT_PAGES 50

struct toss_payouts {
	struct bank_port port;
	struct toss_client c; /* http, security key, auth header */
	int max_pages;
};

static void tp_destroy(void *self)
{
	struct toss_payouts *t = self;

	if (!t)
		return;
	toss_client_free(&t->c);
	free(t);
}

/* The first n code points of s (valid UTF-8, checked before) into out. */
static void cut_chars(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, chars = 0;

	while (s[i] && chars < n) {
		size_t len = 1;

		while ((s[i + len] & 0xc0) == 0x80)
			len++;
		if (i + len >= cap)
			break;
		i += len;
		chars++;
	}
	/* A cut can end on a space; the statement would show nothing there. */
	while (i && s[i - 1] == ' ')
		i--;
	memcpy(out, s, i);
	out[i] = '\0';
}

static int tp_order_ok(const struct payout_order *o, struct bank_result *res)
{
	if (bank_order_check(o, res) < 0)
		return -1;
	if (!bank_id_ok(o->seller_id)) {
		bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
				"payout %s: seller id must be 1..64 of A-Z a-z 0-9 _ -", o->payout_id);
		return -1;
	}
	if (o->memo && !bank_text_ok(o->memo, MEMO_MAX)) {
		bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
				"payout %s: memo must be at most %d bytes of UTF-8 without control characters",
				o->payout_id, MEMO_MAX);
		return -1;
	}
	if (o->leader_id && *o->leader_id && !bank_id_ok(o->leader_id)) {
		bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
				"payout %s: leader id must be 1..64 of A-Z a-z 0-9 _ -", o->payout_id);
		return -1;
	}
	return 0;
}

static int by_payout_id(const void *a, const void *b, void *orders)
{
	const struct payout_order *o = orders;

	return strcmp(o[*(const size_t *)a].payout_id, o[*(const size_t *)b].payout_id);
}

static json_t *item_json(const struct payout_order *o)
{
	char desc[64];
	json_t *item, *meta;

	cut_chars(o->memo ? o->memo : "", DESCRIPTION_CHARS, desc, sizeof desc);
	if (!desc[0])
		snprintf(desc, sizeof desc, "정산");
	meta = o->leader_id && *o->leader_id ? json_pack("{s:s}", "leaderId", o->leader_id) : json_object();
	item = json_pack("{s:s, s:s, s:s, s:{s:s, s:I}, s:s, s:o}", "refPayoutId", o->payout_id, "destination",
			 o->seller_id, "scheduleType", "EXPRESS", "amount", "currency", o->currency, "value",
			 (json_int_t)o->amount, "transactionDescription", desc, "metadata", meta);
	return item;
}

/* "payouts-" + hex SHA-256 of the sorted ids, one per line. */
static void batch_key(const struct payout_order *orders, const size_t *idx, size_t n, char out[8 + 65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int mdlen = 0;

	memcpy(out, "payouts-", 8);
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		out[8] = '\0';
		return;
	}
	for (size_t i = 0; i < n; i++) {
		EVP_DigestUpdate(ctx, orders[idx[i]].payout_id, strlen(orders[idx[i]].payout_id));
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 8 + 2 * i, 3, "%02x", md[i]);
}

static void all_sent(const size_t *idx, size_t n, struct bank_result *results, enum bank_outcome outcome,
		     const char *code, const char *message)
{
	for (size_t i = 0; i < n; i++) {
		struct bank_result *r = &results[idx[i]];

		memset(r, 0, sizeof *r);
		bank_result_set(r, outcome, outcome == BANK_REFUSED ? BANK_ST_FAILED : BANK_ST_UNKNOWN, code,
				"%s", message);
	}
}

static int idempotency_trouble(long status, const char *code)
{
	/* The payout may exist from an earlier request whose answer was lost:
	 * refusing would let settle pay it again. */
	return status == 409 || status == 422 || !strcmp(code, "IDEMPOTENT_REQUEST_PROCESSING") ||
	       !strcmp(code, "INVALID_IDEMPOTENCY_KEY") || !strncmp(code, "DUPLICATED_", 11) ||
	       !strncmp(code, "ALREADY_", 8);
}

/* Matches the items of a 2xx answer back to the orders sent. */
static void match_items(json_t *items, const struct payout_order *orders, const size_t *idx, size_t n,
			struct bank_result *results)
{
	char *answered = calloc(n ? n : 1, 1);
	struct settle_err err = {0};
	size_t k;
	json_t *o;

	if (!answered) {
		all_sent(idx, n, results, BANK_IN_DOUBT, "LOCAL_ERROR", "out of memory reading the answer");
		return;
	}
	json_array_foreach(items, k, o) {
		struct tpa_item it;
		size_t i;

		if (tpa_item(o, &it, &err) < 0) {
			free(answered);
			all_sent(idx, n, results, BANK_IN_DOUBT, "MALFORMED_RESPONSE", err.msg);
			return;
		}
		for (i = 0; i < n && strcmp(orders[idx[i]].payout_id, it.ref); i++)
			;
		if (i == n)
			continue; /* not ours: ignored, ours are checked below */
		{
			const struct payout_order *ord = &orders[idx[i]];
			struct bank_result *r = &results[idx[i]];
			enum bank_status st = tpa_payout_status(it.status);

			answered[i] = 1;
			memset(r, 0, sizeof *r);
			snprintf(r->reference, sizeof r->reference, "%s", it.id);
			if (it.value < 0)
				bank_result_set(r, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "AMOUNT_MISMATCH",
						"payout %s: Toss answered no amount (cannot check it)", ord->payout_id);
			else if (it.value != ord->amount || (*it.currency && strcmp(it.currency, ord->currency)))
				bank_result_set(r, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "AMOUNT_MISMATCH",
						"payout %s: Toss answered %s %lld for %s %lld (possible tampering)",
						ord->payout_id, it.currency, (long long)it.value, ord->currency,
						(long long)ord->amount);
			else if (*it.destination && strcmp(it.destination, ord->seller_id))
				bank_result_set(r, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "DESTINATION_MISMATCH",
						"payout %s: Toss answered another seller (possible tampering)",
						ord->payout_id);
			else if (st == BANK_ST_UNKNOWN)
				bank_result_set(r, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "UNKNOWN_STATUS",
						"payout %s: unknown status '%.40s'", ord->payout_id, it.status);
			else if (st == BANK_ST_FAILED)
				bank_result_set(r, BANK_OK, st, *it.error_code ? it.error_code : it.status,
						"payout %s: %s%s%s", ord->payout_id, it.status,
						*it.error_message ? ": " : "", it.error_message);
			else
				bank_result_set(r, BANK_OK, st, "", "payout %s: %s", ord->payout_id, it.status);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!answered[i]) {
			memset(&results[idx[i]], 0, sizeof results[idx[i]]);
			bank_result_set(&results[idx[i]], BANK_IN_DOUBT, BANK_ST_UNKNOWN, "MISSING_IN_RESPONSE",
					"payout %s: not in Toss's answer", orders[idx[i]].payout_id);
		}
	free(answered);
}

/* Sorts the answer to a POST /v2/payouts into results. */
static void classify_send(struct toss_payouts *t, const struct http_response *resp, const struct payout_order *orders,
			  const size_t *idx, size_t n, struct bank_result *results)
{
	struct settle_err err = {0};
	enum tpa_open_result why;
	char code[64] = "", msg[256] = "", line[320];
	json_t *root, *items;

	if (resp->xerr != HTTP_XERR_NONE) {
		snprintf(line, sizeof line, "Toss payouts: %s", resp->errmsg);
		all_sent(idx, n, results, BANK_IN_DOUBT, toss_transport_code(resp->xerr), line);
		return;
	}
	root = tpa_open(t->c.key, resp->body, resp->body_len, &why, &err);
	if (root && tpa_error(root, code, sizeof code, msg, sizeof msg) && resp->status >= 400) {
		enum bank_outcome o = resp->status >= 500 || resp->status == 408 || resp->status == 429 ||
					      idempotency_trouble(resp->status, code)
					      ? BANK_IN_DOUBT
					      : BANK_REFUSED;

		snprintf(line, sizeof line, "Toss payouts HTTP %ld: %s", resp->status, msg);
		all_sent(idx, n, results, o, code, line);
	} else if (resp->status >= 300 || resp->status < 200) {
		snprintf(line, sizeof line, "Toss payouts HTTP %ld without a Toss error", resp->status);
		snprintf(code, sizeof code, "HTTP_%ld", resp->status);
		all_sent(idx, n, results, BANK_IN_DOUBT, code, line);
	} else if (!root) {
		snprintf(line, sizeof line, "Toss payouts answer: %s", err.msg);
		all_sent(idx, n, results, BANK_IN_DOUBT,
			 why == TPA_UNDECRYPTABLE ? "UNDECRYPTABLE_RESPONSE" : "MALFORMED_RESPONSE", line);
	} else if (!(items = tpa_items(root))) {
		all_sent(idx, n, results, BANK_IN_DOUBT, "MALFORMED_RESPONSE",
			 "Toss payouts answer has no payout items (entityBody)");
	} else {
		match_items(items, orders, idx, n, results);
	}
	json_decref(root);
}

static void tp_send(void *self, const struct payout_order *orders, size_t n, struct bank_result *results)
{
	struct toss_payouts *t = self;
	struct http_response resp = {0};
	struct settle_err err = {0};
	size_t *idx = calloc(n ? n : 1, sizeof *idx), m = 0;
	json_t *arr = NULL;
	char *plain = NULL, *jwe = NULL, key[8 + 65];

	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof results[i]);
		if (n > TOSS_PAYOUTS_MAX_BATCH) {
			bank_result_set(&results[i], BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
					"batch of %zu payouts is larger than Toss's %d", n, TOSS_PAYOUTS_MAX_BATCH);
			continue;
		}
		if (!idx) {
			bank_result_set(&results[i], BANK_REFUSED, BANK_ST_FAILED, "LOCAL_ERROR", "out of memory");
			continue;
		}
		if (tp_order_ok(&orders[i], &results[i]) < 0)
			continue;
		for (size_t j = 0; j < m; j++)
			if (!strcmp(orders[idx[j]].payout_id, orders[i].payout_id)) {
				bank_result_set(&results[i], BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
						"payout %s: appears twice in the batch", orders[i].payout_id);
				goto next;
			}
		idx[m++] = i;
next:;
	}
	if (!m || n > TOSS_PAYOUTS_MAX_BATCH)
		goto out;
	/* Sorted, so the same batch is the same body and the same key. */
	qsort_r(idx, m, sizeof *idx, by_payout_id, (void *)orders);
	batch_key(orders, idx, m, key);
	arr = json_array();
	for (size_t i = 0; arr && i < m; i++)
		if (json_array_append_new(arr, item_json(&orders[idx[i]])) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	plain = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	jwe = plain ? jwe_encrypt(t->c.key, plain, strlen(plain), NULL, &err) : NULL;
	if (!jwe) {
		/* Nothing left settle: a definite no, safe to try again. */
		all_sent(idx, m, results, BANK_REFUSED, "LOCAL_ERROR", err.msg[0] ? err.msg : "out of memory building the request");
		goto out;
	}
	toss_client_call(&t->c, "POST", "/v2/payouts", jwe, key, &resp);
	classify_send(t, &resp, orders, idx, m, results);
out:
	http_response_free(&resp);
	free(jwe);
	free(plain);
	json_decref(arr);
	free(idx);
}

/* GET path and open the answer. Returns the JSON root, or NULL with res
 * set to BANK_IN_DOUBT (or, for a 404 with a Toss error, NULL with
 * *not_found = 1 and res BANK_OK). */
static json_t *tp_get(struct toss_payouts *t, const char *path, struct bank_result *res, int *not_found)
{
	char code[64] = "", msg[256] = "";
	json_t *root = NULL;
	enum toss_get_result r = toss_client_get(&t->c, path, &root, code, sizeof code, msg, sizeof msg);

	*not_found = r == TOSS_GET_NOT_FOUND;
	memset(res, 0, sizeof *res);
	if (r == TOSS_GET_NOT_FOUND)
		bank_result_set(res, BANK_OK, BANK_ST_NOT_FOUND, code, "%s", msg);
	else if (r == TOSS_GET_IN_DOUBT)
		bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, code, "%s", msg);
	return root;
}

static void tp_status(void *self, const struct payout_order *order, struct bank_result *res)
{
	struct toss_payouts *t = self;
	char path[256], cursor[129] = "", *esc = NULL;
	struct settle_err err = {0};

	memset(res, 0, sizeof *res);
	if (!order || !bank_id_ok(order->payout_id)) {
		bank_result_set(res, BANK_REFUSED, BANK_ST_UNKNOWN, "INVALID_REQUEST",
				"payout id must be 1..64 of A-Z a-z 0-9 _ -");
		return;
	}
	for (int page = 0; page < t->max_pages; page++) {
		int not_found;
		json_t *root, *items, *o;
		const char *next;
		size_t k;

		if (cursor[0]) {
			esc = http_path_escape(cursor); /* query value: the same unreserved set is safe */
			if (!esc) {
				bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "LOCAL_ERROR", "out of memory");
				return;
			}
			snprintf(path, sizeof path, "/v2/payouts?limit=100&startingAfter=%s", esc);
			free(esc);
		} else {
			snprintf(path, sizeof path, "/v2/payouts?limit=100");
		}
		root = tp_get(t, path, res, &not_found);
		if (!root) {
			if (not_found) /* a 404 on a list is not "no such payout" */
				bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, res->code, "Toss payouts list: %s",
						res->message);
			return;
		}
		if (!(items = tpa_items(root))) {
			json_decref(root);
			bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "MALFORMED_RESPONSE",
					"Toss payouts list has no items");
			return;
		}
		json_array_foreach(items, k, o) {
			struct tpa_item it;

			if (tpa_item(o, &it, &err) < 0) {
				bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "MALFORMED_RESPONSE",
						"Toss payouts list: %s", err.msg);
				json_decref(root);
				return;
			}
			if (strcmp(it.ref, order->payout_id))
				continue;
			snprintf(res->reference, sizeof res->reference, "%s", it.id);
			if (order->amount > 0 && it.value >= 0 && it.value != order->amount)
				bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "AMOUNT_MISMATCH",
						"payout %s: Toss has %lld, settle %lld (possible tampering)",
						order->payout_id, (long long)it.value, (long long)order->amount);
			else if (tpa_payout_status(it.status) == BANK_ST_UNKNOWN)
				bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "UNKNOWN_STATUS",
						"payout %s: unknown status '%.40s'", order->payout_id, it.status);
			else
				bank_result_set(res, BANK_OK, tpa_payout_status(it.status),
						tpa_payout_status(it.status) == BANK_ST_FAILED && *it.error_code
							? it.error_code
							: "",
						"payout %s: %s", order->payout_id, it.status);
			json_decref(root);
			return;
		}
		next = tpa_last_cursor(root);
		if (!tpa_has_next(root)) {
			json_decref(root);
			bank_result_set(res, BANK_OK, BANK_ST_NOT_FOUND, "NOT_FOUND",
					"payout %s: Toss has no such payout", order->payout_id);
			return;
		}
		if (!next || !*next || strlen(next) >= sizeof cursor || !strcmp(next, cursor)) {
			json_decref(root);
			bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "MALFORMED_RESPONSE",
					"Toss payouts list: hasNext without a new lastCursor");
			return;
		}
		snprintf(cursor, sizeof cursor, "%s", next);
		json_decref(root);
	}
	bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "LOOKUP_INCOMPLETE",
			"payout %s: not in the newest %d pages of Toss payouts", order->payout_id, t->max_pages);
}

const char *toss_seller_status_name(enum toss_seller_status s)
{
	switch (s) {
	case TOSS_SELLER_APPROVAL_REQUIRED: return "APPROVAL_REQUIRED";
	case TOSS_SELLER_PARTIALLY_APPROVED: return "PARTIALLY_APPROVED";
	case TOSS_SELLER_KYC_REQUIRED: return "KYC_REQUIRED";
	case TOSS_SELLER_APPROVED: return "APPROVED";
	case TOSS_SELLER_NOT_FOUND: return "NOT_FOUND";
	default: return "UNKNOWN";
	}
}

int toss_seller_may_receive(enum toss_seller_status s)
{
	return s == TOSS_SELLER_PARTIALLY_APPROVED || s == TOSS_SELLER_APPROVED;
}

int toss_seller_status(const struct bank_port *port, const char *seller_id, enum toss_seller_status *out,
		       struct bank_result *res)
{
	struct toss_payouts *t;
	char path[256], *esc;
	json_t *root, *seller;
	const char *st;
	int not_found;

	*out = TOSS_SELLER_UNKNOWN;
	memset(res, 0, sizeof *res);
	if (!port || port->send != tp_send)
		return bank_result_set(res, BANK_REFUSED, BANK_ST_UNKNOWN, "INVALID_REQUEST",
				       "seller status needs a toss-payouts port");
	if (!bank_id_ok(seller_id))
		return bank_result_set(res, BANK_REFUSED, BANK_ST_UNKNOWN, "INVALID_REQUEST",
				       "seller id must be 1..64 of A-Z a-z 0-9 _ -");
	t = port->self;
	esc = http_path_escape(seller_id);
	if (!esc)
		return bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "LOCAL_ERROR", "out of memory");
	snprintf(path, sizeof path, "/v2/sellers/%s", esc);
	free(esc);
	root = tp_get(t, path, res, &not_found);
	if (!root) {
		if (not_found) {
			*out = TOSS_SELLER_NOT_FOUND;
			return bank_result_set(res, BANK_OK, BANK_ST_UNKNOWN, "NOT_FOUND", "seller %s: not registered at Toss",
					       seller_id);
		}
		return (int)res->outcome;
	}
	seller = tpa_entity(root);
	st = json_string_value(json_object_get(seller, "status"));
	if (!st) {
		json_decref(root);
		return bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "MALFORMED_RESPONSE",
				       "seller %s: answer has no status", seller_id);
	}
	*out = tpa_seller_status(st);
	if (*out == TOSS_SELLER_UNKNOWN)
		bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "UNKNOWN_STATUS", "seller %s: unknown status '%.40s'",
				seller_id, st);
	else
		bank_result_set(res, BANK_OK, BANK_ST_UNKNOWN, toss_seller_status_name(*out), "seller %s: %s", seller_id,
				st);
	json_decref(root);
	return (int)res->outcome;
}

static int tp_payee_ready(void *self, const struct payout_order *order, struct bank_result *res)
{
	struct toss_payouts *t = self;
	enum toss_seller_status st;

	if (toss_seller_status(&t->port, order->seller_id, &st, res) != BANK_OK)
		return res->outcome == BANK_REFUSED ? 0 : -1;
	if (toss_seller_may_receive(st))
		return 1;
	bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "FORBIDDEN_SELLER_PAYOUT",
			"seller %s is %s at Toss; payouts need PARTIALLY_APPROVED or APPROVED", order->seller_id,
			toss_seller_status_name(st));
	return 0;
}

struct bank_port *toss_payouts_new(const struct toss_payouts_config *cfg, struct settle_err *err)
{
	struct toss_payouts *t;

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
		tp_destroy(t);
		return NULL;
	}
	t->max_pages = cfg->max_lookup_pages > 0 ? cfg->max_lookup_pages : DEFAULT_PAGES;
	t->port.self = t;
	t->port.name = "toss-payouts";
	t->port.max_batch = TOSS_PAYOUTS_MAX_BATCH;
	t->port.source_account = "pg_clearing:toss"; /* Toss pays sellers out of the merchant's balance */
	t->port.needs_account = 0;
	t->port.send = tp_send;
	t->port.status = tp_status;
	t->port.payee_ready = tp_payee_ready;
	t->port.destroy = tp_destroy;
	return &t->port;
}
