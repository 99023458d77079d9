/* test_json_read.c — json_read.h contract: a field is read whole or
 * refused with a one-line reason naming it; nothing is cut to fit. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "adapters/json/json_read.h"

static json_t *body(const char *text)
{
	struct settle_err err = {0};
	json_t *o = jread_object_body(text, strlen(text), &err);

	cr_assert_not_null(o, "%s", err.msg);
	return o;
}

Test(adapters_json, object_body_refuses_what_is_not_one_object)
{
	static const char *const bad[] = {"", "[1]", "\"s\"", "{\"a\":1", "{\"a\":1,\"a\":2}", "{} {}"};
	struct settle_err err = {0};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_null(jread_object_body(bad[i], strlen(bad[i]), &err), "%s", bad[i]);
		cr_assert_eq(err.code, SETTLE_EX_DATAERR);
		cr_assert_null(strchr(err.msg, '\n'));
	}
}

Test(adapters_json, strings_are_read_whole_or_refused)
{
	json_t *o = body("{\"id\":\"pod-1\",\"long\":\"0123456789\",\"num\":5,\"empty\":\"\"}");
	struct settle_err err = {0};
	char small[10], buf[64];

	/* jansson refuses \u0000 in a body it parses; a value built in memory
	 * can still hold a NUL, and is refused here too. */
	cr_assert_eq(json_object_set_new(o, "nul", json_stringn("a\0b", 3)), 0);

	cr_assert_eq(jread_str(o, "id", 1, buf, sizeof buf, &err), 0);
	cr_assert_str_eq(buf, "pod-1");
	cr_assert_eq(jread_str(o, "long", 1, small, sizeof small, &err), -1);
	cr_assert(strstr(err.msg, "field long is longer than 9 bytes"), "%s", err.msg);
	cr_assert_eq(jread_str(o, "nul", 1, buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "field nul contains a NUL byte"), "%s", err.msg);
	cr_assert_eq(jread_str(o, "num", 0, buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "field num is not a string"), "%s", err.msg);
	cr_assert_eq(jread_str(o, "empty", 1, buf, sizeof buf, &err), -1);
	cr_assert_eq(jread_str(o, "absent", 1, buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "field absent is missing"), "%s", err.msg);
	cr_assert_eq(jread_str(o, "absent", 0, buf, sizeof buf, &err), 0);
	cr_assert_str_eq(buf, "");
	json_decref(o);
}

Test(adapters_json, integers_in_range_only)
{
	json_t *o = body("{\"a\":5000,\"neg\":-1,\"big\":1000001,\"f\":1.5,\"s\":\"5\"}");
	struct settle_err err = {0};
	int64_t n = 0;

	cr_assert_eq(jread_amount(o, "a", &n, &err), 0);
	cr_assert_eq(n, 5000);
	cr_assert_eq(jread_amount(o, "neg", &n, &err), -1);
	cr_assert(strstr(err.msg, "field neg is negative"), "%s", err.msg);
	cr_assert_eq(jread_int(o, "big", 0, 1000000, &n, &err), -1);
	cr_assert(strstr(err.msg, "field big is out of range (0..1000000)"), "%s", err.msg);
	cr_assert_eq(jread_amount(o, "f", &n, &err), -1);
	cr_assert(strstr(err.msg, "not an integer"), "%s", err.msg);
	cr_assert_eq(jread_amount(o, "s", &n, &err), -1);
	cr_assert_eq(jread_amount(o, "absent", &n, &err), -1);
	cr_assert_eq(n, 5000, "a refused read leaves the output alone");
	json_decref(o);
}
