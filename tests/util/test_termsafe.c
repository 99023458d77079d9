/* test_termsafe.c — strict UTF-8 (domain/utf8.h) and the terminal-safe
 * escape built on it (util/termsafe.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/utf8.h"
#include "domain/validate.h"
#include "util/termsafe.h"

Test(util_termsafe, decoder_refuses_the_invalid_forms)
{
	static const char *const bad[] = {
		"\x80", "\xbf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3\x28",
	};
	uint32_t cp;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(utf8_decode(bad[i], strlen(bad[i]), &cp), -1, "case %zu accepted", i);
}

Test(util_termsafe, decoder_reads_the_valid_forms)
{
	static const struct {
		const char *s;
		int len;
		uint32_t cp;
	} good[] = {
		{"A", 1, 0x41}, {"\xc2\x80", 2, 0x80}, {"\xdf\xbf", 2, 0x7ff}, {"\xe0\xa0\x80", 3, 0x800},
		{"\xed\x9f\xbf", 3, 0xd7ff}, {"\xee\x80\x80", 3, 0xe000}, {"\xed\x8c\x8c", 3, 0xd30c},
		{"\xf0\x90\x80\x80", 4, 0x10000}, {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		uint32_t cp = 0;

		cr_assert_eq(utf8_decode(good[i].s, strlen(good[i].s), &cp), good[i].len, "case %zu", i);
		cr_assert_eq(cp, good[i].cp, "case %zu: %x", i, cp);
	}
}

Test(util_termsafe, escape_leaves_text_and_escapes_the_rest)
{
	char out[128];

	cr_assert_str_eq(term_escape(out, sizeof out, "pod-algo 101 \xed\x8c\x8c\xeb\x93\x9c"),
			 "pod-algo 101 \xed\x8c\x8c\xeb\x93\x9c");
	cr_assert_str_eq(term_escape(out, sizeof out, "a\x1b[2Jb"), "a\\x1b[2Jb");
	cr_assert_str_eq(term_escape(out, sizeof out, "a\nb\tc\rd"), "a\\x0ab\\x09c\\x0dd");
	cr_assert_str_eq(term_escape(out, sizeof out, "\xff\xc0\xaf"), "\\xff\\xc0\\xaf");
	cr_assert_str_eq(term_escape(out, sizeof out, "x\xc2\x9b" "31m\x7f"), "x\\xc2\\x9b31m\\x7f");
	cr_assert_str_eq(term_escape(out, sizeof out, "\xed\xa0\x80"), "\\xed\\xa0\\x80");
	cr_assert(!term_needs_escape("plain \xc3\xbc text"));
	cr_assert(term_needs_escape("bell\x07"));
	cr_assert_str_eq(term_escape(out, sizeof out, NULL), "");
}

Test(util_termsafe, escape_never_overflows_nor_splits_a_character)
{
	char out[8];

	cr_assert_str_eq(term_escape(out, sizeof out, "abcdefghij"), "abcdefg");
	cr_assert_str_eq(term_escape(out, sizeof out, "ab\x1b\x1b"), "ab\\x1b");
	cr_assert_str_eq(term_escape(out, sizeof out, "abcde\xc3\xbc"), "abcde\xc3\xbc");
	cr_assert_str_eq(term_escape(out, sizeof out, "abcdef\xc3\xbc"), "abcdef");
}

Test(util_termsafe, validate_utf8_text_names_the_field_and_never_echoes)
{
	struct settle_err err = {0};
	static const char *const bad[] = {"ab\xff", "\xc0\xaf", "a\xed\xa0\x80", "a\x1b[1m", "a\xc2\x85", "a\x7f", ""};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(validate_utf8_text("--reason", bad[i], 100, &err), -1, "case %zu accepted", i);
		cr_assert_eq(err.code, SETTLE_EX_DATAERR);
		cr_assert(!strncmp(err.msg, "--reason ", 9), "%s", err.msg);
		cr_assert(!term_needs_escape(err.msg), "case %zu echoed: %s", i, err.msg);
	}
	cr_assert_eq(validate_utf8_text("--reason", "\xed\x99\x98\xeb\xb6\x88 \xec\x9a\x94\xec\xb2\xad", 100, &err), 0);
	cr_assert_eq(validate_utf8_text("--reason", "0123456789", 9, &err), -1);
	cr_assert(strstr(err.msg, "at most 9"), "%s", err.msg);
}
