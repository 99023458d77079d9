/* test_kinds.c — each command-line kind's rule and exit code, and how exit
 * codes fold into a program's documented list. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"

static void ok(const struct cli_kind *k, const char *v)
{
	struct settle_err err = {0};

	cr_assert_eq(k->check(k, "--x", v, &err), 0, "%s \"%s\": %s", k->name, v, err.msg);
}

static void refused(const struct cli_kind *k, const char *v, int code)
{
	struct settle_err err = {0};

	cr_assert_eq(k->check(k, "--x", v, &err), -1, "%s accepted \"%s\"", k->name, v);
	cr_assert_eq(err.code, code, "%s \"%s\": code %d", k->name, v, err.code);
	cr_assert(!strncmp(err.msg, "--x", 3), "%s", err.msg);
}

Test(cli_kinds, each_kind_its_rule_and_code)
{
	ok(&cli_kind_ref_id, "pod-algo_1.2");
	refused(&cli_kind_ref_id, "pod algo", 65);
	refused(&cli_kind_ref_id, "pod\xc3\xbc", 65);
	ok(&cli_kind_order_id, "ord-abc_123");
	refused(&cli_kind_order_id, "ord1", 65);
	refused(&cli_kind_order_id, "ord.abc.1", 65);
	ok(&cli_kind_payment_key, "tsbx_0123abcd");
	refused(&cli_kind_payment_key, "../v1/payments", 65);
	ok(&cli_kind_amount, "50000");
	ok(&cli_kind_amount, "12.50");
	refused(&cli_kind_amount, "1.2.3", 65);
	refused(&cli_kind_amount, "-1", 65);
	ok(&cli_kind_reason, "\xed\x99\x98\xeb\xb6\x88 please");
	refused(&cli_kind_reason, "tab\there", 65);
	ok(&cli_kind_method, "VIRTUAL_ACCOUNT");
	refused(&cli_kind_method, "card", 64);
	ok(&cli_kind_pg_name, "nicepay");
	refused(&cli_kind_pg_name, "Toss", 64);
	refused(&cli_kind_pg_name, "\xff", 64);
	ok(&cli_kind_config_path, "/etc/settle/settle.conf");
	refused(&cli_kind_config_path, "", 64);
	ok(&cli_kind_input_file, "Makefile");
	refused(&cli_kind_input_file, "/nonexistent/file", 66);
	refused(&cli_kind_input_file, "/tmp", 66);
	refused(&cli_kind_input_file, "/dev/null", 66);
	refused(&cli_kind_input_file, "bad\x1b", 64);
	ok(&cli_kind_input_dir, "/tmp");
	refused(&cli_kind_input_dir, "Makefile", 66);
}

Test(cli_kinds, exit_codes_fold_into_the_documented_ones)
{
	const struct cli_spec reader = {.name = "r", .exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1}};
	const struct cli_spec pay = {.name = "p", .exit_codes = (const int[]){0, 64, 65, 69, 70, 75, 78, -1}};
	const struct cli_spec files = {.name = "f", .exit_codes = (const int[]){0, 64, 65, 66, 69, 70, 78, -1}};

	cr_assert_eq(cli_exit_code(&reader, 75), 69, "nothing in doubt: unavailable");
	cr_assert_eq(cli_exit_code(&pay, 75), 75);
	cr_assert_eq(cli_exit_code(&reader, 66), 65);
	cr_assert_eq(cli_exit_code(&files, 66), 66);
	cr_assert_eq(cli_exit_code(&files, 74), 66, "a read error is a missing input");
	cr_assert_eq(cli_exit_code(&reader, 74), 65);
	cr_assert_eq(cli_exit_code(&reader, 71), 70);
	cr_assert_eq(cli_exit_code(&reader, 77), 70);
	cr_assert_eq(cli_exit_code(&reader, 1), 70);
	for (const int *c = pay.exit_codes; *c >= 0; c++)
		cr_assert_eq(cli_exit_code(&pay, *c), *c);
}
