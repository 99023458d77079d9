/*
 * Every text argument on the command line is checked before anything is
 * opened (issue 7 §4), and what is echoed from it is safe on a terminal
 * (§10). Each program and each of its text options gets the whole class of
 * bad text: invalid UTF-8, overlong forms, surrogates, code points past
 * U+10FFFF, control characters (C0, DEL, C1), too long, wrong charset.
 * Each must be one error line naming the option, the documented exit code,
 * nothing on stdout, the database unchanged — and the same code when the
 * database cannot even be reached, which proves it was never asked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/payfix.h"

static struct payfix f;
static char unreachable[128]; /* a config whose database socket does not exist */

static void setup(void)
{
	FILE *fp;

	payfix_setup(&f, NULL);
	snprintf(unreachable, sizeof unreachable, "/tmp/settle-unreachable-%d.conf", (int)getpid());
	fp = fopen(unreachable, "w");
	cr_assert_not_null(fp);
	fputs("[database]\nsocket = /nonexistent/settle/mysqld.sock\nuser = settle\nname = settle_nowhere\n", fp);
	fclose(fp);
}

static void teardown(void)
{
	unlink(unreachable);
	payfix_teardown(&f);
}

TestSuite(cmd_cli_input, .init = setup, .fini = teardown, .timeout = 120);

struct bad {
	const char *what, *value;
};

/* What no text option accepts. */
static const struct bad bad_text[] = {
	{"invalid byte", "ab\xff" "cd"},
	{"lone continuation", "ab\x80" "cd"},
	{"overlong slash", "ab\xc0\xaf" "cd"},
	{"overlong 3-byte", "ab\xe0\x80\xaf" "cd"},
	{"surrogate", "ab\xed\xa0\x80" "cd"},
	{"past U+10FFFF", "ab\xf4\x90\x80\x80"},
	{"truncated", "ab\xe2\x82"},
	{"escape sequence", "ab\x1b[2Jcd"},
	{"newline", "ab\ncd"},
	{"DEL", "ab\x7f" "cd"},
	{"C1 CSI", "ab\xc2\x9b" "31m"},
	{"empty", ""},
};

struct target {
	const char *prog;
	const char *argv[12]; /* "@" is where the bad value goes */
	const char *name;     /* what the message must name */
	int code;             /* for bad text */
	struct bad wrong[4];  /* well-formed text outside the charset or length */
};

static char long_id[300], long_reason[102];

static void try(const struct target *t, const struct bad *b, int code, const char *before)
{
	const char *argv[12];
	struct run_result r;

	for (size_t i = 0; i < 12; i++)
		argv[i] = t->argv[i] && !strcmp(t->argv[i], "@") ? b->value : t->argv[i];
	run_program(&f.t, argv, NULL, &r);
	cr_assert_eq(r.status, code, "%s %s, %s: %d %s", t->prog, t->name, b->what, r.status, r.err);
	cr_assert(pf_one_line(r.err) && !strncmp(r.err, t->prog, strlen(t->prog)), "%s %s, %s: %s", t->prog, t->name,
		  b->what, r.err);
	cr_assert(strstr(r.err, t->name), "%s, %s: the message does not name %s: %s", t->prog, b->what, t->name, r.err);
	cr_assert(test_terminal_safe(r.err), "%s %s, %s: unsafe bytes echoed: %s", t->prog, t->name, b->what, r.err);
	cr_assert_str_eq(r.out, "", "%s %s, %s", t->prog, t->name, b->what);
	testdb_assert_unchanged(&f.t, before, b->what);
	/* The same refusal with no database to reach: it was never opened. */
	{
		char env[200];

		snprintf(env, sizeof env, "SETTLE_CONFIG=%s", unreachable);
		run_program(NULL, argv, (const char *const[]){env, NULL}, &r);
	}
	cr_assert_eq(r.status, code, "%s %s, %s, no database: %d %s", t->prog, t->name, b->what, r.status, r.err);
}

static char order[80], pid[64];

static const struct target targets[] = {
	{"pay-order", {"pay-order", "--pod", "@", "--user", "user-ana", NULL}, "--pod", 65,
	 {{"space", "pod algo"}, {"hangul", "\xed\x8c\x8c\xeb\x93\x9c"}, {"too long", long_id}}},
	{"pay-order", {"pay-order", "--pod", "pod-algo-101", "--user", "@", NULL}, "--user", 65,
	 {{"slash", "user/ana"}, {"too long", long_id}}},
	{"pay-order", {"pay-order", "--pod", "pod-algo-101", "--user", "u1", "--method", "@", NULL}, "--method", 64,
	 {{"lower case", "card"}, {"unknown", "CASH"}}},
	{"pay-order", {"pay-order", "--pod", "pod-algo-101", "--user", "u1", "--pg", "@", NULL}, "--pg", 64,
	 {{"upper case", "Toss"}, {"dot segment", "../toss"}, {"too long", long_id}}},
	{"pay-capture", {"pay-capture", "--order", "@", "--payment-key", "tsbx_k", "--amount", "50000", NULL},
	 "--order", 65, {{"too short", "ord1"}, {"dot", "ord_1.2345"}, {"too long", long_id}}},
	{"pay-capture", {"pay-capture", "--order", order, "--payment-key", "@", "--amount", "50000", NULL},
	 "--payment-key", 65, {{"path", "../../v1/payments"}, {"query", "k?x=1"}, {"too long", long_id}}},
	{"pay-capture", {"pay-capture", "--order", order, "--payment-key", "tsbx_k", "--amount", "@", NULL},
	 "--amount", 65, {{"sign", "+5"}, {"two dots", "1.2.3"}, {"full-width digit", "\xef\xbc\x95"}}},
	{"pay-refund", {"pay-refund", "@", "--reason", "x", NULL}, "PAYMENT_ID", 65,
	 {{"space", "pay 1"}, {"too long", long_id}}},
	{"pay-refund", {"pay-refund", pid, "--reason", "@", NULL}, "--reason", 65, {{"too long", long_reason}}},
	{"pay-refund", {"pay-refund", pid, "--reason", "x", "--amount", "@", NULL}, "--amount", 65,
	 {{"negative", "-5"}}},
	{"pay-show", {"pay-show", "@", NULL}, "PAYMENT_ID", 65, {{"quote", "pay'1"}}},
	{"pay-show", {"pay-show", "--order", "@", NULL}, "--order", 65, {{"percent", "ord_%25abc"}}},
	{"pay-show", {"pay-show", "--user", "@", NULL}, "--user", 65, {{"too long", long_id}}},
	{"pay-show", {"pay-show", "--pod", "@", NULL}, "--pod", 65, {{"space", "pod 1"}}},
	{"settle-db", {"settle-db", "load-pods", "@", NULL}, "FILE", 64, {{0}}},
	{"settle-db", {"settle-db", "--schema-dir", "@", "status", NULL}, "--schema-dir", 64, {{0}}},
	{"ledger-check", {"ledger-check", "--config", "@", NULL}, "--config", 64, {{0}}},
	{"pay-order", {"pay-order", "--config", "@", "--pod", "p", "--user", "u", NULL}, "--config", 64, {{0}}},
	{"escrow-release", {"escrow-release", "--pod", "@", NULL}, "--pod", 65,
	 {{"space", "pod algo"}, {"hangul", "\xed\x8c\x8c\xeb\x93\x9c"}, {"too long", long_id}}},
	{"escrow-release", {"escrow-release", "--pod", "pod-algo-101", "--pod", "@", "--now", NULL}, "--pod", 65,
	 {{"slash", "pod/1"}}},
	{"settle-run", {"settle-run", "--pod", "@", "--dry-run", NULL}, "--pod", 65,
	 {{"quote", "pod'1"}, {"too long", long_id}}},
	{"payout-send", {"payout-send", "--import-result", "@", NULL}, "--import-result", 64, {{0}}},
};

/* Runs targets [from, to) against a fresh order and payment. */
static void run_targets(size_t from, size_t to)
{
	char before[4096];

	memset(long_id, 'a', sizeof long_id - 1);
	memset(long_reason, 'r', sizeof long_reason - 1);
	pf_order(&f, "pod-algo-101", "user-ana", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	testdb_fingerprint(&f.t, before, sizeof before);
	for (size_t i = from; i < to; i++) {
		for (size_t j = 0; j < sizeof bad_text / sizeof bad_text[0]; j++)
			try(&targets[i], &bad_text[j], targets[i].code, before);
		for (size_t j = 0; j < 4 && targets[i].wrong[j].what; j++)
			try(&targets[i], &targets[i].wrong[j], targets[i].code, before);
	}
	cr_assert_eq(sandbox_stat(&f.sp, "confirm", NULL), 0, "a confirm was sent");
	cr_assert_eq(sandbox_stat(&f.sp, "cancel", NULL), 0, "a cancel was sent");
}

Test(cmd_cli_input, pay_order_and_capture_check_every_text_argument_first)
{
	run_targets(0, 7);
}

Test(cmd_cli_input, pay_refund_and_show_check_every_text_argument_first)
{
	run_targets(7, 14);
}

Test(cmd_cli_input, settle_db_ledger_check_and_config_check_every_text_argument_first)
{
	run_targets(14, 18);
}

Test(cmd_cli_input, escrow_release_settle_run_and_payout_send_check_every_text_argument_first)
{
	run_targets(18, sizeof targets / sizeof targets[0]);
}
