/* test_validate_utf8.c — validate_utf8 and validate_id_chars, the checks
 * added for CSV imports and PG ids: every class of ill-formed UTF-8 is
 * refused with the field and the byte named; well-formed text of every
 * sequence length passes. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/validate.h"

static void utf8_refused(const char *bytes, size_t len, const char *why, const char *at)
{
	struct settle_err err = {0};

	cr_assert_eq(validate_utf8("title", bytes, len, &err), -1, "accepted: %s", why);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "title is not valid UTF-8") && strstr(err.msg, why) && strstr(err.msg, at), "%s",
		  err.msg);
}

Test(domain_validate_utf8, well_formed_text_of_every_length_passes)
{
	static const char *good[] = {"", "plain ascii", "스터디 모임", "é ß", "€ 한", "\xF0\x9F\x98\x80 emoji",
				     "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF", "\xEE\x80\x80"};
	struct settle_err err = {0};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_assert_eq(validate_utf8("title", good[i], strlen(good[i]), &err), 0, "%zu: %s", i, err.msg);
}

Test(domain_validate_utf8, overlong_forms_are_refused)
{
	utf8_refused("\xC0\xAF", 2, "overlong", "byte 1");          /* '/' in two bytes */
	utf8_refused("ab\xC1\xBF", 4, "overlong", "byte 3");        /* U+007F in two bytes */
	utf8_refused("\xE0\x80\xAF", 3, "overlong", "byte 1");      /* '/' in three */
	utf8_refused("\xE0\x9F\xBF", 3, "overlong", "byte 1");      /* U+07FF in three */
	utf8_refused("x\xF0\x80\x80\xAF", 5, "overlong", "byte 2"); /* '/' in four */
	utf8_refused("\xF0\x8F\xBF\xBF", 4, "overlong", "byte 1");  /* U+FFFF in four */
}

Test(domain_validate_utf8, surrogates_and_beyond_unicode_are_refused)
{
	utf8_refused("\xED\xA0\x80", 3, "surrogate", "byte 1");      /* U+D800 */
	utf8_refused("ok \xED\xBF\xBF", 6, "surrogate", "byte 4");   /* U+DFFF */
	utf8_refused("\xED\xA0\xBD\xED\xB8\x80", 6, "surrogate", "byte 1"); /* CESU-8 pair */
	utf8_refused("\xF4\x90\x80\x80", 4, "beyond U+10FFFF", "byte 1");
	utf8_refused("\xF5\x80\x80\x80", 4, "never occurs", "byte 1");
	utf8_refused("\xFF", 1, "never occurs", "byte 1");
}

Test(domain_validate_utf8, cut_and_stray_sequences_are_refused)
{
	utf8_refused("\x80", 1, "continuation byte", "byte 1");
	utf8_refused("abc\xBF", 4, "continuation byte", "byte 4");
	utf8_refused("\xE4\xB8", 2, "cut short", "byte 1");
	utf8_refused("\xEC\xA3 x", 4, "cut short", "byte 1");
	utf8_refused("\xF0\x9F\x98", 3, "cut short", "byte 1");
	utf8_refused("\xC3(", 2, "cut short", "byte 1");
	/* The Latin-1 of a spreadsheet export: é as one byte. */
	utf8_refused("caf\xE9 latte", 10, "cut short", "byte 4");
}

Test(domain_validate_utf8, id_chars_name_the_field_and_escape_what_they_echo)
{
	struct settle_err err = {0};
	char long_id[80];

	cr_assert_eq(validate_id_chars("orderId", "order-0001", 6, 64, "_-", "[A-Za-z0-9_-]", &err), 0);
	cr_assert_eq(validate_id_chars("orderId", "", 6, 64, "_-", "[A-Za-z0-9_-]", &err), -1);
	cr_assert(strstr(err.msg, "orderId is empty"), "%s", err.msg);
	cr_assert_eq(validate_id_chars("orderId", "a/../b\n\x1b[2J", 6, 64, "_-", "[A-Za-z0-9_-]", &err), -1);
	cr_assert(strstr(err.msg, "orderId \"a/../b\\x0A\\x1B[2J\" has a character outside [A-Za-z0-9_-] (byte 2)"),
		  "%s", err.msg);
	memset(long_id, 'x', 70);
	long_id[70] = '\0';
	cr_assert_eq(validate_id_chars("orderId", long_id, 6, 64, "_-", "[A-Za-z0-9_-]", &err), -1);
	cr_assert(strstr(err.msg, "is 70 bytes; must be 6–64 of [A-Za-z0-9_-]"), "%s", err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
}
