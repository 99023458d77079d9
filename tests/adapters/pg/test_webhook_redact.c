/* What of a webhook body is kept: never a card number that is not
 * truncated, never a deposit callback's secret; everything else as it came. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/pg/webhook_redact.h"

static char *redact(const char *body)
{
	char *out = NULL;

	cr_assert_eq(webhook_redact(body, strlen(body), &out), 0);
	return out;
}

Test(adapters_pg_webhook_redact, a_truncated_card_is_kept_as_it_came)
{
	cr_assert_null(redact("{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"data\":{\"orderId\":\"o1\","
			      "\"card\":{\"number\":\"43301234****123*\",\"issuerCode\":\"61\"}}}"));
	cr_assert_null(redact("{\"resultCode\":\"0000\",\"card\":{\"cardNum\":\"536112******1234\"}}"));
}

Test(adapters_pg_webhook_redact, a_full_card_number_is_not_kept)
{
	char *out = redact("{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"data\":{\"orderId\":\"o1\","
			   "\"card\":{\"number\":\"4330123412341234\",\"issuerCode\":\"61\"}}}");

	cr_assert_not_null(out);
	cr_assert_null(strstr(out, "4330123412341234"), "%s", out);
	cr_assert_not_null(strstr(out, "\"number\":null"), "%s", out);
	cr_assert_not_null(strstr(out, "\"issuerCode\":\"61\""), "%s", out);
	cr_assert_not_null(strstr(out, "\"orderId\":\"o1\""), "%s", out);
	free(out);
	out = redact("{\"tid\":\"t1\",\"card\":{\"cardNum\":\"5361-1234-5678-1234\"}}");
	cr_assert_not_null(out);
	cr_assert_null(strstr(out, "5678"), "%s", out);
	free(out);
}

Test(adapters_pg_webhook_redact, a_deposit_secret_is_not_kept)
{
	char *out = redact("{\"createdAt\":\"2025-11-25T20:00:00.000000\",\"secret\":\"s3cr3t\",\"status\":\"DONE\","
			   "\"transactionKey\":\"tk1\",\"orderId\":\"ord_1\"}");

	cr_assert_not_null(out);
	cr_assert_null(strstr(out, "s3cr3t"), "%s", out);
	cr_assert_not_null(strstr(out, "\"transactionKey\":\"tk1\""), "%s", out);
	free(out);
}

Test(adapters_pg_webhook_redact, other_numbers_and_non_json_are_kept)
{
	cr_assert_null(redact("{\"data\":{\"receipt\":{\"number\":\"12\"},\"totalAmount\":50000}}"));
	cr_assert_null(redact("not json"));
	cr_assert_null(redact("{\"card\":{\"number\":null}}"));
}
