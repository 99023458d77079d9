/*
 * fuzz_pg.c — what Toss and NicePay answer about payments, cancels and
 * settlements (adapters/pg/toss, adapters/pg/nicepay): the bodies as the
 * adapters read them off the wire.
 *
 * Input layout for the classifiers: byte 0 picks the operation (confirm,
 * lookup, cancel, net-cancel), byte 1 the HTTP status from a list of the
 * ones that matter, the rest is the body — so one corpus entry covers an
 * answer to each call.
 */
#include "fuzz/fuzz.h"

#include <jansson.h>
#include <stdlib.h>

#include "adapters/pg/nicepay/nicepay_parse.h"
#include "adapters/pg/toss/toss_parse.h"
#include "adapters/pg/toss/toss_settlements.h"

static const long statuses[] = {200, 201, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 0};

/* resp from the input (body NUL-terminated, as http.c leaves it); -1
 * when out of memory or too short. */
static int answer(const uint8_t *data, size_t size, int ops, int *op, struct http_response *resp)
{
	if (size < 2)
		return -1;
	*op = data[0] % ops;
	*resp = (struct http_response){.status = statuses[data[1] % (sizeof statuses / sizeof statuses[0])]};
	resp->body = fuzz_cstr(data + 2, size - 2);
	if (!resp->body)
		return -1;
	resp->body_len = size - 2;
	resp->body_cap = size - 1;
	return 0;
}

int fuzz_toss_payment(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct http_response resp;
	struct pg_payment pay;
	struct pg_result res;
	int op;

	if (answer(data, size, 3, &op, &resp) < 0)
		return 0;
	(void)toss_parse_payment(resp.body, resp.body_len, &pay, &err);
	toss_classify(op, &resp, &res);
	free(resp.body);
	return 0;
}

int fuzz_nicepay_payment(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct http_response resp;
	struct pg_payment pay;
	struct pg_result res;
	int op;

	if (answer(data, size, 4, &op, &resp) < 0)
		return 0;
	(void)nicepay_parse_payment(resp.body, resp.body_len, &pay, &err);
	nicepay_classify(op, &resp, "fuzz-nicepay-secret-key", &res);
	if (op == NICEPAY_OP_NETCANCEL) {
		res = (struct pg_result){.outcome = PG_IN_DOUBT};
		nicepay_after_netcancel(&resp, &res);
	}
	free(resp.body);
	return 0;
}

/* One page of GET /v1/settlements: a JSON array of settlement objects
 * (anything else is refused before toss_settlement_parse, as in
 * toss_settlements.c). */
int fuzz_toss_settlements(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct recon_record r;
	json_t *root, *rec;
	size_t i;

	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!root)
		return 0;
	if (json_is_array(root)) {
		json_array_foreach(root, i, rec) {
			(void)toss_settlement_parse(rec, &r, &err);
		}
	} else {
		(void)toss_settlement_parse(root, &r, &err);
	}
	json_decref(root);
	return 0;
}
