/* test_toss_payouts_answer.c — reading Toss payouts v2 answers: JWE or plain, the envelope, items, status names. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/toss_payouts_answer.h"

static const char KEY_HEX[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static json_t *open_text(struct jwe_key *k, const char *s, enum tpa_open_result *why)
{
	struct settle_err err = {0};

	return tpa_open(k, s, strlen(s), why, &err);
}

Test(adapters_bank_toss_answer, plain_and_jwe_bodies)
{
	struct settle_err err = {0};
	struct jwe_key *k = jwe_key_from_hex(KEY_HEX, &err);
	enum tpa_open_result why;
	char code[64], msg[256], *jwe;
	json_t *root;

	root = open_text(k, " {\"code\":\"UNAUTHORIZED_KEY\",\"message\":\"no\"}", &why);
	cr_assert_not_null(root);
	cr_assert_eq(tpa_error(root, code, sizeof code, msg, sizeof msg), 1);
	cr_assert_str_eq(code, "UNAUTHORIZED_KEY");
	json_decref(root);

	{
		static const char e[] = "{\"entityBody\":null,\"error\":{\"code\":\"FORBIDDEN_SELLER_PAYOUT\",\"message\":\"m\"}}";

		jwe = jwe_encrypt(k, e, sizeof e - 1, NULL, &err);
	}
	cr_assert_not_null(jwe, "%s", err.msg);
	root = open_text(k, jwe, &why);
	cr_assert_not_null(root);
	cr_assert_eq(tpa_error(root, code, sizeof code, msg, sizeof msg), 1);
	cr_assert_str_eq(code, "FORBIDDEN_SELLER_PAYOUT");
	cr_assert_str_eq(msg, "m");
	json_decref(root);
	free(jwe);

	cr_assert_null(open_text(k, "eyJhbGciOiJkaXIifQ..AAAA.BBBB.CCCC", &why));
	cr_assert_eq(why, TPA_UNDECRYPTABLE);
	cr_assert_null(open_text(k, "", &why));
	cr_assert_eq(why, TPA_UNDECRYPTABLE);
	cr_assert_null(open_text(k, "{\"a\":1,\"a\":2}", &why));
	cr_assert_eq(why, TPA_MALFORMED);
	jwe = jwe_encrypt(k, "[1,2", 4, NULL, &err);
	cr_assert_null(open_text(k, jwe, &why));
	cr_assert_eq(why, TPA_MALFORMED);
	free(jwe);
	jwe_key_free(k);
}

Test(adapters_bank_toss_answer, items_and_envelope)
{
	json_t *a = json_loads("{\"entityBody\":[{\"refPayoutId\":\"p1\",\"status\":\"COMPLETED\",\"id\":\"po_1\","
			       "\"amount\":{\"currency\":\"KRW\",\"value\":5},\"error\":null}]}", 0, NULL);
	json_t *b = json_loads("{\"entityBody\":{\"hasNext\":true,\"lastCursor\":\"po_9\",\"items\":[]}}", 0, NULL);
	json_t *bad = json_loads("{\"refPayoutId\":\"p1\",\"status\":\"X\",\"amount\":{\"value\":\"5\"}}", 0, NULL);
	struct settle_err err = {0};
	struct tpa_item it;

	cr_assert_eq(json_array_size(tpa_items(a)), 1);
	cr_assert_eq(tpa_item(json_array_get(tpa_items(a), 0), &it, &err), 0, "%s", err.msg);
	cr_assert_str_eq(it.ref, "p1");
	cr_assert_str_eq(it.id, "po_1");
	cr_assert_eq(it.value, 5);
	cr_assert_str_eq(it.error_code, "");
	cr_assert_not_null(tpa_items(b));
	cr_assert(tpa_has_next(b));
	cr_assert_str_eq(tpa_last_cursor(b), "po_9");
	cr_assert_not(tpa_has_next(a));
	cr_assert_eq(tpa_item(bad, &it, &err), -1);
	cr_assert(strstr(err.msg, "amount"), "%s", err.msg);
	cr_assert_null(tpa_items(bad));
	json_decref(a);
	json_decref(b);
	json_decref(bad);
}

Test(adapters_bank_toss_answer, status_names)
{
	cr_assert_eq(tpa_payout_status("REQUESTED"), BANK_ST_ACCEPTED);
	cr_assert_eq(tpa_payout_status("IN_PROGRESS"), BANK_ST_ACCEPTED);
	cr_assert_eq(tpa_payout_status("COMPLETED"), BANK_ST_PAID);
	cr_assert_eq(tpa_payout_status("FAILED"), BANK_ST_FAILED);
	cr_assert_eq(tpa_payout_status("CANCELED"), BANK_ST_FAILED);
	cr_assert_eq(tpa_payout_status("REJECTED"), BANK_ST_FAILED);
	cr_assert_eq(tpa_payout_status("DELETED"), BANK_ST_UNKNOWN);
	cr_assert_eq(tpa_payout_status(NULL), BANK_ST_UNKNOWN);
	cr_assert_eq(tpa_seller_status("PARTIALLY_APPROVED"), TOSS_SELLER_PARTIALLY_APPROVED);
	cr_assert_eq(tpa_seller_status("approved"), TOSS_SELLER_UNKNOWN);
	cr_assert(toss_seller_may_receive(TOSS_SELLER_PARTIALLY_APPROVED));
	cr_assert_not(toss_seller_may_receive(TOSS_SELLER_APPROVAL_REQUIRED));
	cr_assert_not(toss_seller_may_receive(TOSS_SELLER_NOT_FOUND));
}
