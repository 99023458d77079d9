/*
 * fuzz_toss_payouts.c — what Toss payouts v2 answers
 * (adapters/bank/toss_payouts_answer.c, adapters/bank/jwe.c): the body
 * opened (JWE or plain JSON), then every reader the payout and seller
 * calls apply to it.
 *
 * Byte 0 picks the mode: even, the rest is the body as received (so the
 * JWE parser and its refusals are fuzzed); odd, the rest is first sealed
 * with the same key, so the fuzzer also reaches the JSON behind a JWE
 * that opens.
 */
#include "fuzz/fuzz.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/toss_payouts_answer.h"

static const char key_hex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void read_answer(json_t *root)
{
	struct settle_err err = {0};
	char code[64], message[256];
	struct tpa_item it;
	json_t *items, *o;
	size_t i;

	(void)tpa_error(root, code, sizeof code, message, sizeof message);
	(void)tpa_has_next(root);
	(void)tpa_last_cursor(root);
	o = tpa_entity(root);
	if (json_is_object(o) && json_is_string(json_object_get(o, "status")))
		(void)tpa_seller_status(json_string_value(json_object_get(o, "status")));
	items = tpa_items(root);
	json_array_foreach(items, i, o) {
		if (tpa_item(o, &it, &err) == 0)
			(void)tpa_payout_status(it.status);
	}
}

int fuzz_toss_payouts(const uint8_t *data, size_t size)
{
	static struct jwe_key *k;
	struct settle_err err = {0};
	enum tpa_open_result why;
	char *sealed = NULL;
	const char *body;
	size_t len;
	json_t *root;

	if (size < 1)
		return 0;
	/* One key for the whole run: it is the parse that is fuzzed. */
	if (!k && !(k = jwe_key_from_hex(key_hex, &err)))
		abort();
	body = (const char *)data + 1;
	len = size - 1;
	if (data[0] & 1) {
		sealed = jwe_encrypt(k, body, len, "2026-01-02T03:04:05+09:00", &err);
		if (!sealed)
			return 0;
		body = sealed;
		len = strlen(sealed);
	}
	root = tpa_open(k, body, len, &why, &err);
	if (root) {
		read_answer(root);
		json_decref(root);
	}
	free(sealed);
	return 0;
}

FUZZ_MAIN(fuzz_toss_payouts)
