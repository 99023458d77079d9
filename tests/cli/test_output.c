/* test_output.c — what cmd/ prints: tables escaped for a terminal, JSON
 * through jansson with the keys tests and scripts read. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/output.h"
#include "cli/print_payment.h"
#include "lib/testdb.h"

static struct payment_rec hostile(void)
{
	struct payment_rec p = {0};

	snprintf(p.public_id, sizeof p.public_id, "pay_x");
	snprintf(p.order_id, sizeof p.order_id, "ord\x1b[2J");
	snprintf(p.pod_id, sizeof p.pod_id, "pod\xc2\x9b" "31m");
	snprintf(p.user_id, sizeof p.user_id, "user\xff");
	snprintf(p.currency, sizeof p.currency, "KRW");
	snprintf(p.method, sizeof p.method, "CARD");
	snprintf(p.pg, sizeof p.pg, "toss");
	snprintf(p.pg_message, sizeof p.pg_message, "bell\x07 and \xed\x8c\x8c\xeb\x93\x9c");
	p.amount = 50000;
	return p;
}

Test(cli_output, table_row_is_terminal_safe)
{
	struct payment_rec p = hostile();
	char buf[2048] = "";
	FILE *out = fmemopen(buf, sizeof buf - 1, "w");

	cr_assert_not_null(out);
	print_payment_row(out, &p);
	fclose(out);
	cr_assert(test_terminal_safe(buf), "%s", buf);
	cr_assert(strstr(buf, "ord\\x1b[2J"), "%s", buf);
	cr_assert(strstr(buf, "pod\\xc2\\x9b31m"), "%s", buf);
	cr_assert(strstr(buf, "user\\xff"), "%s", buf);
}

Test(cli_output, payment_json_keeps_keys_and_escapes)
{
	struct payment_rec p = hostile();
	json_t *j = payment_json(&p);
	char *text;

	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(json_object_get(j, "paymentId")), "pay_x");
	cr_assert_eq(json_integer_value(json_object_get(j, "amount")), 50000);
	cr_assert(json_is_null(json_object_get(j, "paymentKey")), "empty text is null");
	cr_assert_null(json_object_get(j, "escrow"), "no escrow object before capture");
	/* not UTF-8: shown as a terminal would show it, still a JSON string */
	cr_assert_str_eq(json_string_value(json_object_get(j, "userId")), "user\\xff");
	text = json_dumps(j, JSON_COMPACT);
	cr_assert(strstr(text, "\"amount\":50000,\"refunded\":0,"), "%s", text);
	cr_assert(strstr(text, "\\u001b[2J") || strstr(text, "\\u001B[2J"), "%s", text);
	free(text);
	json_decref(j);
}

Test(cli_output, json_text_and_str)
{
	json_t *a = cli_json_text(""), *b = cli_json_str(""), *c = cli_json_text(NULL);

	cr_assert(json_is_null(a) && json_is_string(b) && json_is_null(c));
	json_decref(a);
	json_decref(b);
	json_decref(c);
}
