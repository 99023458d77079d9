/* toss_payouts_answer.c — Toss payouts v2 answers to JSON and fields (see toss_payouts_answer.h). */
#include "adapters/bank/toss_payouts_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *tpa_open(const struct jwe_key *k, const char *body, size_t len, enum tpa_open_result *why,
		 struct settle_err *err)
{
	json_error_t jerr;
	json_t *root;
	char *plain = NULL;
	size_t i = 0, plen = len;
	const char *text = body;

	*why = TPA_OK;
	while (body && i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
		i++;
	if (!body || i == len) {
		*why = TPA_UNDECRYPTABLE;
		err_set(err, SETTLE_EX_DATAERR, "empty body where a JWE was expected");
		return NULL;
	}
	if (body[i] != '{') {
		plain = jwe_decrypt(k, body, len, &plen, err);
		if (!plain) {
			*why = TPA_UNDECRYPTABLE;
			return NULL;
		}
		text = plain;
	}
	root = json_loadb(text, plen, JSON_REJECT_DUPLICATES, &jerr);
	free(plain);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		*why = TPA_MALFORMED;
		err_set(err, SETTLE_EX_DATAERR, "answer is not a JSON object%s%s", root ? "" : ": ",
			root ? "" : jerr.text);
		return NULL;
	}
	return root;
}

static const char *str_member(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int tpa_error(json_t *root, char *code, size_t code_len, char *message, size_t message_len)
{
	json_t *e = json_object_get(root, "error");
	const char *c, *m;

	if (!json_is_object(e))
		e = root;
	c = str_member(e, "code");
	m = str_member(e, "message");
	if (!c || !*c)
		return 0;
	snprintf(code, code_len, "%s", c);
	snprintf(message, message_len, "%s", m ? m : "");
	return 1;
}

json_t *tpa_entity(json_t *root)
{
	json_t *b = json_object_get(root, "entityBody");

	return json_is_object(b) ? b : root;
}

json_t *tpa_items(json_t *root)
{
	json_t *b = json_object_get(root, "entityBody"), *items;

	if (json_is_array(b))
		return b;
	items = json_is_object(b) ? json_object_get(b, "items") : NULL;
	return json_is_array(items) ? items : NULL;
}

int tpa_has_next(json_t *root)
{
	return json_is_true(json_object_get(tpa_entity(root), "hasNext"));
}

const char *tpa_last_cursor(json_t *root)
{
	return str_member(tpa_entity(root), "lastCursor");
}

int tpa_item(json_t *o, struct tpa_item *out, struct settle_err *err)
{
	json_t *amount, *e, *v;

	memset(out, 0, sizeof *out);
	if (!json_is_object(o))
		return err_set(err, SETTLE_EX_DATAERR, "a payout item is not an object");
	out->ref = str_member(o, "refPayoutId");
	out->status = str_member(o, "status");
	if (!out->ref || !out->status)
		return err_set(err, SETTLE_EX_DATAERR, "a payout item has no refPayoutId or status string");
	out->id = str_member(o, "id");
	out->destination = str_member(o, "destination");
	out->id = out->id ? out->id : "";
	out->destination = out->destination ? out->destination : "";
	out->value = -1;
	out->currency = "";
	amount = json_object_get(o, "amount");
	if (amount && !json_is_null(amount)) {
		v = json_object_get(amount, "value");
		if (!json_is_object(amount) || !json_is_integer(v) || json_integer_value(v) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "payout %s: amount is not {currency, value}", out->ref);
		out->value = (int64_t)json_integer_value(v);
		out->currency = str_member(amount, "currency") ? str_member(amount, "currency") : "";
	}
	out->error_code = "";
	out->error_message = "";
	e = json_object_get(o, "error");
	if (json_is_object(e)) {
		out->error_code = str_member(e, "code") ? str_member(e, "code") : "";
		out->error_message = str_member(e, "message") ? str_member(e, "message") : "";
	}
	return 0;
}

enum bank_status tpa_payout_status(const char *s)
{
	if (!s)
		return BANK_ST_UNKNOWN;
	if (!strcmp(s, "REQUESTED") || !strcmp(s, "IN_PROGRESS"))
		return BANK_ST_ACCEPTED;
	if (!strcmp(s, "COMPLETED"))
		return BANK_ST_PAID;
	if (!strcmp(s, "FAILED") || !strcmp(s, "CANCELED") || !strcmp(s, "REJECTED"))
		return BANK_ST_FAILED;
	return BANK_ST_UNKNOWN;
}

enum toss_seller_status tpa_seller_status(const char *s)
{
	static const struct {
		const char *name;
		enum toss_seller_status st;
	} map[] = {
		{"APPROVAL_REQUIRED", TOSS_SELLER_APPROVAL_REQUIRED},
		{"PARTIALLY_APPROVED", TOSS_SELLER_PARTIALLY_APPROVED},
		{"KYC_REQUIRED", TOSS_SELLER_KYC_REQUIRED},
		{"APPROVED", TOSS_SELLER_APPROVED},
	};

	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(s, map[i].name))
			return map[i].st;
	return TOSS_SELLER_UNKNOWN;
}
