/* test_log.c — log.h contract: one key=value line per event on stderr, quoted so it parses back, secrets redacted. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

static char path[128];
static int saved_fd = -1;
static char captured[16384];

static void capture_start(void)
{
	int fd;

	snprintf(path, sizeof path, "/tmp/settle-test-log-%d.txt", (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	cr_assert_geq(fd, 0);
	saved_fd = dup(STDERR_FILENO);
	cr_assert_geq(saved_fd, 0);
	cr_assert_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

/* Restores stderr and returns what was written. */
static const char *capture_end(void)
{
	FILE *f;
	size_t n;

	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	saved_fd = -1;
	f = fopen(path, "r");
	cr_assert_not_null(f);
	n = fread(captured, 1, sizeof captured - 1, f);
	captured[n] = '\0';
	fclose(f);
	unlink(path);
	return captured;
}

static void cleanup(void)
{
	if (saved_fd >= 0) {
		dup2(saved_fd, STDERR_FILENO);
		close(saved_fd);
	}
	if (path[0])
		unlink(path);
}

static void setup(void)
{
	log_init("/usr/bin/settle-test", LOG_INFO);
}

TestSuite(adapters_log, .init = setup, .fini = cleanup);

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(adapters_log, one_line_key_value)
{
	const char *out;

	capture_start();
	log_kv(LOG_INFO, "capture.done", "order_id", "ord_123456", "status", "DONE", NULL);
	out = capture_end();
	cr_assert_eq(count_lines(out), 1, "\"%s\"", out);
	cr_assert_eq(out[strlen(out) - 1], '\n');
	cr_assert_eq(strncmp(out, "ts=", 3), 0, "%s", out);
	cr_assert(strstr(out, " prog=settle-test "), "program name without directory: %s", out);
	cr_assert(strstr(out, " level=info "), "%s", out);
	cr_assert(strstr(out, " event=capture.done order_id=ord_123456 status=DONE\n"), "%s", out);
	char pid[32];

	snprintf(pid, sizeof pid, " pid=%d ", (int)getpid());
	cr_assert(strstr(out, pid), "%s", out);
}

Test(adapters_log, one_line_per_event)
{
	const char *out;

	capture_start();
	log_kv(LOG_INFO, "a", NULL);
	log_kv(LOG_WARN, "b", "k", "v", NULL);
	log_kv(LOG_ERROR, "c", "k", "multi\nline\nvalue", NULL);
	out = capture_end();
	cr_assert_eq(count_lines(out), 3, "\"%s\"", out);
	cr_assert(strstr(out, " level=warn event=b k=v\n"), "%s", out);
	cr_assert(strstr(out, " level=error event=c "), "%s", out);
}

Test(adapters_log, quoting)
{
	const char *out;

	capture_start();
	log_kv(LOG_INFO, "q", "space", "two words", "quote", "say \"hi\"", "nl", "a\nb", "cr", "a\rb", "eq", "a=b",
	       "bs", "c:\\x", "empty", "", "null", NULL, NULL);
	out = capture_end();
	cr_assert_eq(count_lines(out), 1, "\"%s\"", out);
	cr_assert(strstr(out, " space=\"two words\""), "%s", out);
	cr_assert(strstr(out, " quote=\"say \\\"hi\\\"\""), "%s", out);
	cr_assert(strstr(out, " nl=\"a\\nb\""), "%s", out);
	cr_assert_null(strchr(out, '\r'), "raw CR in %s", out);
	cr_assert(strstr(out, " eq=\"a=b\""), "%s", out);
	cr_assert(strstr(out, " bs=\"c:\\\\x\""), "%s", out);
	cr_assert(strstr(out, " empty=\"\""), "%s", out);
	cr_assert(strstr(out, " null=-\n"), "%s", out);
}

Test(adapters_log, event_with_space_is_quoted)
{
	const char *out;

	capture_start();
	log_kv(LOG_INFO, "odd event", NULL);
	out = capture_end();
	cr_assert(strstr(out, " event=\"odd event\"\n"), "%s", out);
}

Test(adapters_log, secret_keys_redacted)
{
	static const char *const keys[] = {"password", "secret_key", "client_secret", "token", "access_token",
					   "Authorization", "card_number", "card", "account_number",
					   "bank_account_number", "rrn", "RRN", "db_password"};
	char value[64];

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *out;
		char want[96];

		snprintf(value, sizeof value, "SENSITIVE%zu_value with space", i);
		capture_start();
		log_kv(LOG_ERROR, "pg.call", "order_id", "ord_1", keys[i], value, NULL);
		out = capture_end();
		snprintf(want, sizeof want, " %s=[redacted]", keys[i]);
		cr_assert(strstr(out, want), "key %s: %s", keys[i], out);
		cr_assert_null(strstr(out, "SENSITIVE"), "key %s leaked its value: %s", keys[i], out);
		cr_assert_eq(log_key_is_secret(keys[i]), 1, "%s", keys[i]);
	}
}

Test(adapters_log, redaction_even_for_null_and_empty)
{
	const char *out;

	capture_start();
	log_kv(LOG_INFO, "x", "token", NULL, "password", "", NULL);
	out = capture_end();
	cr_assert(strstr(out, " token=[redacted] password=[redacted]\n"), "%s", out);
}

Test(adapters_log, ordinary_keys_not_redacted)
{
	static const char *const keys[] = {"order_id", "amount", "status", "pg", "pod_id", "leader_id"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert_eq(log_key_is_secret(keys[i]), 0, "%s", keys[i]);
}

Test(adapters_log, level_filtering)
{
	const char *out;

	cr_assert_eq(log_get_level(), LOG_INFO);
	capture_start();
	log_kv(LOG_DEBUG, "hidden.debug", NULL);
	log_kv(LOG_INFO, "shown.info", NULL);
	log_kv(LOG_ERROR, "shown.error", NULL);
	log_set_level(LOG_ERROR);
	log_kv(LOG_WARN, "hidden.warn", NULL);
	log_kv(LOG_INFO, "hidden.info", NULL);
	log_kv(LOG_ERROR, "shown.error2", NULL);
	log_set_level(LOG_DEBUG);
	log_kv(LOG_DEBUG, "shown.debug", NULL);
	out = capture_end();
	cr_assert_eq(log_get_level(), LOG_DEBUG);
	cr_assert_eq(count_lines(out), 4, "%s", out);
	cr_assert_null(strstr(out, "hidden"), "%s", out);
	cr_assert(strstr(out, "event=shown.info"), "%s", out);
	cr_assert(strstr(out, "event=shown.error2"), "%s", out);
	cr_assert(strstr(out, "level=debug event=shown.debug"), "%s", out);
}

Test(adapters_log, long_value_still_one_line)
{
	char *big = malloc(10000);
	const char *out;

	cr_assert_not_null(big);
	memset(big, 'x', 9999);
	big[9999] = '\0';
	capture_start();
	log_kv(LOG_INFO, "big", "v", big, "token", "SENSITIVE", NULL);
	log_kv(LOG_INFO, "after", NULL);
	out = capture_end();
	free(big);
	cr_assert_eq(count_lines(out), 2, "%zu bytes", strlen(out));
	cr_assert_null(strstr(out, "SENSITIVE"));
	cr_assert(strstr(out, "event=after\n"), "second line damaged");
}

/* Input echoed in a log value cannot drive the terminal (issue 7 §10):
 * control characters and bytes that are not UTF-8 are written as \xNN,
 * inside quotes; valid UTF-8 text is kept. */
Test(adapters_log, control_and_invalid_bytes_escaped)
{
	const char *out;

	capture_start();
	log_kv(LOG_INFO, "e", "esc", "a\x1b[2Jb", "bad", "x\xff\xc0\xafy", "c1", "m\xc2\x9b" "31m", "tab", "a\tb",
	       "ko", "\xed\x8c\x8c\xeb\x93\x9c", NULL);
	out = capture_end();
	cr_assert_eq(count_lines(out), 1, "%s", out);
	cr_assert(strstr(out, " esc=\"a\\x1b[2Jb\""), "%s", out);
	cr_assert(strstr(out, " bad=\"x\\xff\\xc0\\xafy\""), "%s", out);
	cr_assert(strstr(out, " c1=\"m\\xc2\\x9b31m\""), "%s", out);
	cr_assert(strstr(out, " tab=\"a\\x09b\""), "%s", out);
	cr_assert(strstr(out, " ko=\xed\x8c\x8c\xeb\x93\x9c"), "%s", out);
	for (const char *p = out; *p; p++)
		cr_assert(*p == '\n' || (unsigned char)*p >= 0x20, "raw control 0x%02x in %s", *p, out);
	cr_assert_null(strchr(out, '\x7f'));
}
