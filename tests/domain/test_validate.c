/* test_validate.c — validate.h contract: each check accepts good values, refuses bad ones with DATAERR and a one-line reason naming the field. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "domain/validate.h"

static void refused(int rc, const struct settle_err *err, const char *field, const char *what)
{
	cr_assert_eq(rc, -1, "%s was accepted", what);
	cr_assert_eq(err->code, SETTLE_EX_DATAERR, "code %d for %s", err->code, what);
	cr_assert(strstr(err->msg, field), "message \"%s\" does not name field %s", err->msg, field);
	cr_assert_null(strchr(err->msg, '\n'), "message has a newline");
}

static char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* ---------------------------------------------------------------- ref id */

Test(domain_validate, ref_id_good)
{
	const char *good[] = {"a", "pod-1", "user_2.x", "A.b-C_9"};
	struct settle_err err = {0};
	char buf[80];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_assert_eq(validate_ref_id("pod_id", good[i], &err), 0, "\"%s\": %s", good[i], err.msg);
	cr_assert_eq(validate_ref_id("pod_id", repeat(buf, 'x', 64), &err), 0, "%s", err.msg);
}

Test(domain_validate, ref_id_bad)
{
	const char *bad[] = {"", "pod 1", "pod/1", "pod@1", "pöd", "a\n"};
	char buf[80];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct settle_err err = {0};

		refused(validate_ref_id("pod_id", bad[i], &err), &err, "pod_id", bad[i]);
	}
	struct settle_err err = {0};

	refused(validate_ref_id("pod_id", repeat(buf, 'x', 65), &err), &err, "pod_id", "65 chars");
	err = (struct settle_err){0};
	refused(validate_ref_id("pod_id", NULL, &err), &err, "pod_id", "NULL");
}

/* ---------------------------------------------------------------- order id */

Test(domain_validate, order_id_length_6_to_64)
{
	struct settle_err err = {0};
	char buf[80];

	cr_assert_eq(validate_order_id("order_id", repeat(buf, 'a', 6), &err), 0, "%s", err.msg);
	cr_assert_eq(validate_order_id("order_id", repeat(buf, 'Z', 64), &err), 0, "%s", err.msg);
	cr_assert_eq(validate_order_id("order_id", "ord_2026-11-24_X9", &err), 0, "%s", err.msg);
	refused(validate_order_id("order_id", repeat(buf, 'a', 5), &err), &err, "order_id", "5 chars");
	cr_assert(strstr(err.msg, "6–64"), "%s", err.msg);
	err = (struct settle_err){0};
	refused(validate_order_id("order_id", repeat(buf, 'a', 65), &err), &err, "order_id", "65 chars");
	err = (struct settle_err){0};
	refused(validate_order_id("order_id", "", &err), &err, "order_id", "empty");
	err = (struct settle_err){0};
	refused(validate_order_id("order_id", NULL, &err), &err, "order_id", "NULL");
}

Test(domain_validate, order_id_charset)
{
	/* '.' is fine in a ref id but not in a PG order id. */
	const char *bad[] = {"order.123", "order 123", "order+123", "order#123", "주문번호123"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct settle_err err = {0};

		refused(validate_order_id("order_id", bad[i], &err), &err, "order_id", bad[i]);
	}
}

/* ---------------------------------------------------------------- date */

Test(domain_validate, date_good)
{
	const char *good[] = {"2026-11-24", "2028-02-29", "2000-02-29", "1970-01-01", "2026-12-31", "2026-04-30"};
	struct settle_err err = {0};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_assert_eq(validate_date("date", good[i], &err), 0, "\"%s\": %s", good[i], err.msg);
}

Test(domain_validate, date_bad)
{
	const char *bad[] = {"2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
			     "2026-04-31", "2026-1-01",  "2026/01/01", "20260101",   "2026-01-01 ", " 2026-01-01",
			     "2026-0a-01", "",           "1969-12-31", "2026-+1-01", "2026-01-1x"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct settle_err err = {0};

		refused(validate_date("pay_date", bad[i], &err), &err, "pay_date", bad[i]);
	}
	struct settle_err err = {0};

	refused(validate_date("pay_date", NULL, &err), &err, "pay_date", "NULL");
}

/* ---------------------------------------------------------------- text */

Test(domain_validate, text)
{
	struct settle_err err = {0};

	cr_assert_eq(validate_text("title", "스터디 모임 1", 64, &err), 0, "%s", err.msg);
	cr_assert_eq(validate_text("title", "abc", 3, &err), 0, "%s", err.msg);
	refused(validate_text("title", "abcd", 3, &err), &err, "title", "too long");
	err = (struct settle_err){0};
	refused(validate_text("title", "", 3, &err), &err, "title", "empty");
	err = (struct settle_err){0};
	refused(validate_text("title", NULL, 3, &err), &err, "title", "NULL");
	err = (struct settle_err){0};
	refused(validate_text("title", "a\tb", 10, &err), &err, "title", "tab");
	err = (struct settle_err){0};
	refused(validate_text("title", "a\nb", 10, &err), &err, "title", "newline");
	err = (struct settle_err){0};
	refused(validate_text("title", "a\x7f", 10, &err), &err, "title", "DEL");
}

/* ---------------------------------------------------------------- digits */

Test(domain_validate, digits)
{
	struct settle_err err = {0};

	cr_assert_eq(validate_digits("bank_code", "004", 3, 3, &err), 0, "%s", err.msg);
	cr_assert_eq(validate_digits("account", "0012345678", 6, 16, &err), 0, "%s", err.msg);
	refused(validate_digits("bank_code", "04", 3, 3, &err), &err, "bank_code", "too short");
	err = (struct settle_err){0};
	refused(validate_digits("bank_code", "0044", 3, 3, &err), &err, "bank_code", "too long");
	err = (struct settle_err){0};
	refused(validate_digits("bank_code", "0a4", 3, 3, &err), &err, "bank_code", "letter");
	err = (struct settle_err){0};
	refused(validate_digits("bank_code", "-04", 3, 3, &err), &err, "bank_code", "sign");
	err = (struct settle_err){0};
	refused(validate_digits("bank_code", NULL, 3, 3, &err), &err, "bank_code", "NULL");
}

/* ---------------------------------------------------------------- int */

Test(domain_validate, int_good)
{
	struct settle_err err = {0};
	long long v = -1;

	cr_assert_eq(validate_int("n", "0", 0, 10, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v, 0);
	cr_assert_eq(validate_int("n", "10", 0, 10, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(validate_int("n", "9223372036854775807", 0, LLONG_MAX, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v, LLONG_MAX);
}

Test(domain_validate, int_bad_leaves_output)
{
	const char *bad[] = {"", "00", "01", "-1", "+1", " 1", "1 ", "1.0", "1e3", "x",
			     "9223372036854775808", "99999999999999999999999"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct settle_err err = {0};
		long long v = 777;

		refused(validate_int("count", bad[i], 0, LLONG_MAX, &v, &err), &err, "count", bad[i]);
		cr_assert_eq(v, 777, "output written for \"%s\"", bad[i]);
	}
}

Test(domain_validate, int_bounds)
{
	struct settle_err err = {0};
	long long v = 777;

	refused(validate_int("n", "11", 0, 10, &v, &err), &err, "n", "above max");
	cr_assert(strstr(err.msg, "0..10"), "%s", err.msg);
	err = (struct settle_err){0};
	refused(validate_int("n", "4", 5, 10, &v, &err), &err, "n", "below min");
	cr_assert_eq(v, 777);
	err = (struct settle_err){0};
	refused(validate_int("n", "01", 0, 10, &v, &err), &err, "n", "leading zero");
	cr_assert(strstr(err.msg, "leading zero"), "%s", err.msg);
	err = (struct settle_err){0};
	refused(validate_int("n", "9223372036854775808", 0, LLONG_MAX, &v, &err), &err, "n", "overflow");
	cr_assert(strstr(err.msg, "too large"), "%s", err.msg);
}

/* ---------------------------------------------------------------- enum */

Test(domain_validate, enum_words)
{
	static const char *const words[] = {"toss", "nicepay", NULL};
	struct settle_err err = {0};

	cr_assert_eq(validate_enum("pg", "toss", words, &err), 0, "%s", err.msg);
	cr_assert_eq(validate_enum("pg", "nicepay", words, &err), 0, "%s", err.msg);
	refused(validate_enum("pg", "Toss", words, &err), &err, "pg", "case");
	cr_assert(strstr(err.msg, "toss, nicepay"), "message \"%s\" does not list the words", err.msg);
	err = (struct settle_err){0};
	refused(validate_enum("pg", "tos", words, &err), &err, "pg", "prefix");
	err = (struct settle_err){0};
	refused(validate_enum("pg", "", words, &err), &err, "pg", "empty");
	err = (struct settle_err){0};
	refused(validate_enum("pg", NULL, words, &err), &err, "pg", "NULL");
}

/* ---------------------------------------------------------------- email */

Test(domain_validate, email_good)
{
	const char *good[] = {"a@b.co", "leader.kim+pods@example.co.kr", "x_y-z@sub.domain.org"};
	struct settle_err err = {0};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_assert_eq(validate_email("email", good[i], &err), 0, "\"%s\": %s", good[i], err.msg);
}

Test(domain_validate, email_bad)
{
	const char *bad[] = {"",        "plain",     "@b.co",     "a@",         "a@b",     "a@.co",  "a@b.",
			     "a@@b.co", "a@b@c.co",  "a b@c.co",  "a@b.co,c@d.e", "<a@b.co>", "a;b@c.d", "a\t@b.co",
			     "a\n@b.co"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct settle_err err = {0};

		refused(validate_email("email", bad[i], &err), &err, "email", bad[i]);
	}
	struct settle_err err = {0};
	char buf[300];

	memset(buf, 'a', 250);
	strcpy(buf + 250, "@b.co"); /* 255 bytes: one over the limit */
	refused(validate_email("email", buf, &err), &err, "email", "255 bytes");
}
