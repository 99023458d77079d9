/* test_money.c — money.h contract: table, checked arithmetic, strict parse, format. One rule per test. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "domain/money.h"

/* Asserts that parsing fails with DATAERR and that the reason names what
 * was wrong, so an operator can fix the input from the message alone. */
static void parse_refused(const char *text, const char *cur, const char *needle)
{
	struct settle_err err = {0};
	struct money m = {.minor = 12345, .cur = "XXX"};

	cr_assert_eq(money_parse(&m, text, cur, &err), -1, "parse of \"%s\" %s was accepted", text, cur);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR, "code %d for \"%s\"", err.code, text);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not say \"%s\"", err.msg, needle);
	cr_assert_eq(m.minor, 12345, "output written on failure");
	cr_assert_null(strchr(err.msg, '\n'));
}

static int64_t parse_ok(const char *text, const char *cur)
{
	struct settle_err err = {0};
	struct money m = {0};

	cr_assert_eq(money_parse(&m, text, cur, &err), 0, "\"%s\" %s refused: %s", text, cur, err.msg);
	cr_assert_str_eq(m.cur, cur);
	return m.minor;
}

static const char *formatted(struct money m)
{
	static char buf[32];

	cr_assert_geq(money_format(buf, sizeof buf, m), 0);
	return buf;
}

/* ---------------------------------------------------------------- table */

Test(domain_money, exponent_table)
{
	cr_assert_eq(currency_exponent("KRW"), 0);
	cr_assert_eq(currency_exponent("JPY"), 0);
	cr_assert_eq(currency_exponent("USD"), 2);
	cr_assert_eq(currency_exponent("EUR"), 2);
	cr_assert_eq(currency_exponent("CNY"), 2);
	cr_assert_eq(currency_exponent("GBP"), 2);
	cr_assert_eq(currency_exponent("KWD"), 3);
	cr_assert_eq(currency_exponent("BHD"), 3);
}

Test(domain_money, unknown_currencies)
{
	const char *bad[] = {"XXX", "krw", "KR", "KRWX", "", " KRW"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(currency_exponent(bad[i]), -1, "\"%s\"", bad[i]);
		cr_assert_not(currency_known(bad[i]), "\"%s\"", bad[i]);
	}
	cr_assert_eq(currency_exponent(NULL), -1);
	cr_assert(currency_known("KRW"));
}

Test(domain_money, make_accepts_known_and_negative)
{
	struct settle_err err = {0};
	struct money m;

	cr_assert_eq(money_make(&m, -5, "USD", &err), 0);
	cr_assert_eq(m.minor, -5);
	cr_assert_str_eq(m.cur, "USD");
}

Test(domain_money, make_refuses_unknown_currency)
{
	struct settle_err err = {0};
	struct money m;

	cr_assert_eq(money_make(&m, 1, "ZZZ", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "ZZZ"), "%s", err.msg);
	cr_assert_eq(money_make(&m, 1, NULL, &err), -1);
}

/* ---------------------------------------------------------------- arithmetic */

Test(domain_money, i64_helpers_detect_overflow)
{
	int64_t r = 7;

	cr_assert_eq(i64_add(&r, INT64_MAX - 1, 1), 0);
	cr_assert_eq(r, INT64_MAX);
	cr_assert_eq(i64_add(&r, INT64_MAX, 1), -1);
	cr_assert_eq(r, INT64_MAX, "output changed on overflow");
	cr_assert_eq(i64_add(&r, INT64_MIN, -1), -1);
	cr_assert_eq(i64_sub(&r, INT64_MIN, 1), -1);
	cr_assert_eq(i64_sub(&r, 0, INT64_MIN), -1);
	cr_assert_eq(i64_sub(&r, -1, INT64_MIN), 0);
	cr_assert_eq(r, INT64_MAX);
	cr_assert_eq(i64_mul(&r, INT64_MIN, -1), -1);
	cr_assert_eq(i64_mul(&r, (int64_t)1 << 32, (int64_t)1 << 31), -1);
	cr_assert_eq(i64_mul(&r, (int64_t)1 << 31, (int64_t)1 << 31), 0);
	cr_assert_eq(r, (int64_t)1 << 62);
}

Test(domain_money, add_and_sub_same_currency)
{
	struct settle_err err = {0};
	struct money a = {100, "KRW"}, b = {30, "KRW"}, r;

	cr_assert_eq(money_add(&r, a, b, &err), 0);
	cr_assert_eq(r.minor, 130);
	cr_assert_str_eq(r.cur, "KRW");
	cr_assert_eq(money_sub(&r, b, a, &err), 0);
	cr_assert_eq(r.minor, -70);
}

Test(domain_money, add_refuses_currency_mismatch)
{
	struct settle_err err = {0};
	struct money a = {100, "KRW"}, b = {30, "USD"}, r = {0};

	cr_assert_eq(money_add(&r, a, b, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "KRW") && strstr(err.msg, "USD"), "%s", err.msg);
	cr_assert(strstr(err.msg, "mismatch"), "%s", err.msg);
	cr_assert_eq(money_sub(&r, a, b, &err), -1);
	cr_assert(strstr(err.msg, "KRW") && strstr(err.msg, "USD"), "%s", err.msg);
}

Test(domain_money, add_refuses_unknown_currency)
{
	struct settle_err err = {0};
	struct money a = {1, "QQQ"}, b = {1, "QQQ"}, r;

	cr_assert_eq(money_add(&r, a, b, &err), -1);
	cr_assert(strstr(err.msg, "QQQ"), "%s", err.msg);
}

Test(domain_money, add_and_sub_refuse_overflow)
{
	struct settle_err err = {0};
	struct money max = {INT64_MAX, "KRW"}, one = {1, "KRW"}, min = {INT64_MIN, "KRW"}, r = {0};

	cr_assert_eq(money_add(&r, max, one, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "overflow"), "%s", err.msg);
	cr_assert_eq(money_sub(&r, min, one, &err), -1);
	cr_assert(strstr(err.msg, "overflow"), "%s", err.msg);
	cr_assert_eq(r.minor, 0);
}

Test(domain_money, mul_ratio_floors)
{
	struct settle_err err = {0};
	int64_t r;

	cr_assert_eq(money_mul_ratio(&r, 2156880, 300, 10000, &err), 0);
	cr_assert_eq(r, 64706);
	cr_assert_eq(money_mul_ratio(&r, 20000, 1000, 11000, &err), 0);
	cr_assert_eq(r, 1818);
	cr_assert_eq(money_mul_ratio(&r, 0, 5, 3, &err), 0);
	cr_assert_eq(r, 0);
}

Test(domain_money, mul_ratio_has_no_intermediate_overflow)
{
	struct settle_err err = {0};
	int64_t r;

	cr_assert_eq(money_mul_ratio(&r, INT64_MAX, INT64_MAX, INT64_MAX, &err), 0);
	cr_assert_eq(r, INT64_MAX);
	cr_assert_eq(money_mul_ratio(&r, INT64_MAX, 9999, 10000, &err), 0);
	cr_assert_eq(r, (int64_t)(((unsigned __int128)INT64_MAX * 9999) / 10000));
}

Test(domain_money, mul_ratio_refuses_result_above_max)
{
	struct settle_err err = {0};
	int64_t r = 3;

	cr_assert_eq(money_mul_ratio(&r, INT64_MAX, 10001, 10000, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "exceeds"), "%s", err.msg);
	cr_assert_eq(r, 3);
}

Test(domain_money, mul_ratio_refuses_bad_operands)
{
	struct settle_err err = {0};
	int64_t r;

	cr_assert_eq(money_mul_ratio(&r, -1, 1, 1, &err), -1);
	cr_assert(strstr(err.msg, "negative amount"), "%s", err.msg);
	cr_assert_eq(money_mul_ratio(&r, 1, -1, 1, &err), -1);
	cr_assert(strstr(err.msg, "negative numerator"), "%s", err.msg);
	cr_assert_eq(money_mul_ratio(&r, 1, 1, 0, &err), -1);
	cr_assert(strstr(err.msg, "denominator"), "%s", err.msg);
	cr_assert_eq(money_mul_ratio(&r, 1, 1, -3, &err), -1);
	cr_assert(strstr(err.msg, "denominator"), "%s", err.msg);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
}

/* ---------------------------------------------------------------- parse: accepted */

Test(domain_money, parse_accepts_plain_amounts)
{
	cr_assert_eq(parse_ok("50000", "KRW"), 50000);
	cr_assert_eq(parse_ok("0", "KRW"), 0);
	cr_assert_eq(parse_ok("12.50", "USD"), 1250);
	cr_assert_eq(parse_ok("12", "USD"), 1200);
	cr_assert_eq(parse_ok("0.01", "USD"), 1);
	cr_assert_eq(parse_ok("0.00", "USD"), 0);
	cr_assert_eq(parse_ok("1.234", "KWD"), 1234);
	cr_assert_eq(parse_ok("7", "JPY"), 7);
}

Test(domain_money, parse_accepts_fewer_decimals_than_currency)
{
	cr_assert_eq(parse_ok("12.5", "USD"), 1250);
	cr_assert_eq(parse_ok("1.2", "BHD"), 1200);
}

Test(domain_money, parse_accepts_int64_max_minor_units)
{
	cr_assert_eq(parse_ok("9223372036854775807", "KRW"), INT64_MAX);
	cr_assert_eq(parse_ok("92233720368547758.07", "USD"), INT64_MAX);
	cr_assert_eq(parse_ok("9223372036854775.807", "KWD"), INT64_MAX);
}

/* ---------------------------------------------------------------- parse: refused */

Test(domain_money, parse_rejects_empty)
{
	parse_refused("", "KRW", "empty");
}

Test(domain_money, parse_rejects_null_text)
{
	parse_refused(NULL, "KRW", "missing");
}

Test(domain_money, parse_rejects_unknown_currency)
{
	parse_refused("100", "ABC", "unknown currency \"ABC\"");
	parse_refused("100", "krw", "unknown currency \"krw\"");
}

Test(domain_money, parse_rejects_leading_space)
{
	parse_refused(" 100", "KRW", "leading whitespace");
	parse_refused("\t100", "KRW", "leading whitespace");
}

Test(domain_money, parse_rejects_trailing_space)
{
	parse_refused("100 ", "KRW", "trailing whitespace");
	parse_refused("100\n", "KRW", "trailing whitespace");
}

Test(domain_money, parse_rejects_minus_sign)
{
	parse_refused("-1", "KRW", "\"-1\" has a sign");
}

Test(domain_money, parse_rejects_plus_sign)
{
	parse_refused("+1", "KRW", "\"+1\" has a sign");
}

Test(domain_money, parse_rejects_exponent)
{
	parse_refused("1e3", "KRW", "\"1e3\" has an exponent");
	parse_refused("1E3", "KRW", "exponent");
	parse_refused("1.5e2", "USD", "exponent");
}

Test(domain_money, parse_rejects_too_many_decimals)
{
	parse_refused("12.5", "KRW", "amount \"12.5\" has 1 decimal place(s); KRW has 0");
	parse_refused("12.505", "USD", "has 3 decimal place(s); USD has 2");
	parse_refused("1.0001", "KWD", "has 4 decimal place(s); KWD has 3");
}

Test(domain_money, parse_rejects_bare_point)
{
	parse_refused(".", "USD", "bare decimal point");
}

Test(domain_money, parse_rejects_trailing_point)
{
	parse_refused("1.", "USD", "no digits after the decimal point");
	parse_refused("1.", "KRW", "no digits after the decimal point");
}

Test(domain_money, parse_rejects_missing_integer_part)
{
	parse_refused(".5", "USD", "no digits before the decimal point");
}

Test(domain_money, parse_rejects_two_points)
{
	parse_refused("1.2.3", "USD", "more than one decimal point");
}

Test(domain_money, parse_rejects_leading_zeros)
{
	parse_refused("007", "KRW", "\"007\" has leading zeros");
	parse_refused("00", "KRW", "leading zeros");
	parse_refused("00.50", "USD", "leading zeros");
}

Test(domain_money, parse_rejects_above_int64_max)
{
	parse_refused("9223372036854775808", "KRW", "\"9223372036854775808\" KRW exceeds the largest amount");
	parse_refused("92233720368547758.08", "USD", "exceeds the largest amount");
	parse_refused("92233720368547759", "USD", "exceeds the largest amount");
	parse_refused("99999999999999999999999999999", "KRW", "exceeds the largest amount");
}

Test(domain_money, parse_rejects_other_characters)
{
	parse_refused("1,000", "KRW", "invalid character ','");
	parse_refused("12a", "KRW", "invalid character 'a' at 2");
	parse_refused("0x10", "KRW", "invalid character 'x'");
	parse_refused("1 000", "KRW", "invalid character byte 0x20 at 1");
	parse_refused("\xef\xbc\x91", "KRW", "invalid character byte 0xef at 0");
	parse_refused("1-2", "KRW", "invalid character '-'");
	parse_refused("inf", "KRW", "invalid character 'i'");
	parse_refused("\xe2\x82\xa9" "100", "KRW", "invalid character byte 0xe2");
}

Test(domain_money, parse_quotes_long_input_bounded)
{
	char text[400];

	memset(text, '1', sizeof text - 2);
	text[sizeof text - 2] = 'x';
	text[sizeof text - 1] = '\0';
	parse_refused(text, "KRW", "...");
	parse_refused(text, "KRW", "invalid character 'x' at 398");
}

/* ---------------------------------------------------------------- format */

Test(domain_money, format_uses_currency_decimals)
{
	cr_assert_str_eq(formatted((struct money){50000, "KRW"}), "50000");
	cr_assert_str_eq(formatted((struct money){1250, "USD"}), "12.50");
	cr_assert_str_eq(formatted((struct money){5, "USD"}), "0.05");
	cr_assert_str_eq(formatted((struct money){0, "USD"}), "0.00");
	cr_assert_str_eq(formatted((struct money){1001, "KWD"}), "1.001");
	cr_assert_str_eq(formatted((struct money){-1250, "EUR"}), "-12.50");
	cr_assert_str_eq(formatted((struct money){-7, "USD"}), "-0.07");
	cr_assert_str_eq(formatted((struct money){-7, "JPY"}), "-7");
}

Test(domain_money, format_extremes_fit_32_bytes)
{
	char buf[32];

	cr_assert_eq(money_format(buf, sizeof buf, (struct money){INT64_MIN, "KRW"}), 20);
	cr_assert_str_eq(buf, "-9223372036854775808");
	cr_assert_eq(money_format(buf, sizeof buf, (struct money){INT64_MIN, "USD"}), 21);
	cr_assert_str_eq(buf, "-92233720368547758.08");
	cr_assert_eq(money_format(buf, sizeof buf, (struct money){INT64_MAX, "KWD"}), 20);
	cr_assert_str_eq(buf, "9223372036854775.807");
}

Test(domain_money, format_refuses_small_buffer)
{
	char buf[5];

	cr_assert_eq(money_format(buf, sizeof buf, (struct money){125, "USD"}), 4);
	cr_assert_str_eq(buf, "1.25");
	cr_assert_eq(money_format(buf, sizeof buf, (struct money){1250, "USD"}), -1);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(money_format(buf, 0, (struct money){1, "KRW"}), -1);
}

Test(domain_money, format_refuses_unknown_currency)
{
	char buf[32];

	cr_assert_eq(money_format(buf, sizeof buf, (struct money){1, "QQQ"}), -1);
	cr_assert_str_eq(buf, "");
}

Test(domain_money, format_then_parse_round_trips)
{
	const char *curs[] = {"KRW", "USD", "KWD"};
	const int64_t amounts[] = {0, 1, 9, 10, 99, 100, 101, 123456789, INT64_MAX};

	for (size_t c = 0; c < 3; c++) {
		for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
			struct money m = {.minor = amounts[i]};

			memcpy(m.cur, curs[c], 4);
			cr_assert_eq(parse_ok(formatted(m), curs[c]), amounts[i], "%s %s", formatted(m), curs[c]);
		}
	}
}
