/* test_webhook.c — secrets compare equal only when whole and non-empty; the cancel words. */
#include <criterion/criterion.h>

#include "domain/webhook.h"

Test(domain_webhook, secrets_equal_only_whole)
{
	cr_assert(webhook_secret_equal("abc123", "abc123"));
	cr_assert_not(webhook_secret_equal("abc123", "abc124"));
	cr_assert_not(webhook_secret_equal("abc123", "abc12"));
	cr_assert_not(webhook_secret_equal("abc12", "abc123"));
	cr_assert_not(webhook_secret_equal("abc123", "ABC123"));
	cr_assert_not(webhook_secret_equal("", ""), "no stored secret never matches");
	cr_assert_not(webhook_secret_equal("", "x"));
	cr_assert_not(webhook_secret_equal("x", ""));
}

Test(domain_webhook, cancel_words)
{
	cr_assert(webhook_status_is_cancel("CANCELED"));
	cr_assert(webhook_status_is_cancel("cancelled"));
	cr_assert(webhook_status_is_cancel("EXPIRED"));
	cr_assert_not(webhook_status_is_cancel("DONE"));
	cr_assert_not(webhook_status_is_cancel("paid"));
	cr_assert_not(webhook_status_is_cancel("WAITING_FOR_DEPOSIT"));
	cr_assert_not(webhook_status_is_cancel(""));
}
