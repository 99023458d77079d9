/* test_config.c — config.h contract: a strictly checked settle.conf whose errors name file, line and key,
 * and secrets that never come from the file itself. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "adapters/config/config.h"

static char conf_path[128], dir_path[128], secret_path[128];

static const char *write_conf(const char *text)
{
	FILE *f;

	snprintf(conf_path, sizeof conf_path, "/tmp/settle-test-config-%d.conf", (int)getpid());
	f = fopen(conf_path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
	return conf_path;
}

static void write_secret(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
	/* A secret file that group or others may read is refused (below). */
	cr_assert_eq(chmod(path, 0600), 0);
}

static const char *secret_file(const char *text)
{
	snprintf(secret_path, sizeof secret_path, "/tmp/settle-test-secret-%d", (int)getpid());
	write_secret(secret_path, text);
	return secret_path;
}

static const char *cred_dir(void)
{
	snprintf(dir_path, sizeof dir_path, "/tmp/settle-test-creds-%d", (int)getpid());
	mkdir(dir_path, 0700);
	return dir_path;
}

static void cleanup(void)
{
	char p[256];

	if (conf_path[0])
		unlink(conf_path);
	if (secret_path[0])
		unlink(secret_path);
	if (dir_path[0]) {
		snprintf(p, sizeof p, "%s/toss.secret_key", dir_path);
		unlink(p);
		rmdir(dir_path);
	}
}

static void setup(void)
{
	unsetenv("SETTLE_CONFIG");
	unsetenv("CREDENTIALS_DIRECTORY");
	unsetenv("SETTLE_TOSS_SECRET_KEY");
}

TestSuite(adapters_config, .init = setup, .fini = cleanup);

static struct config *load_ok(const char *text)
{
	struct config *cfg = NULL;
	struct settle_err err = {0};

	cr_assert_eq(config_load(&cfg, write_conf(text), &err), 0, "%s", err.msg);
	cr_assert_not_null(cfg);
	return cfg;
}

/* The load fails with CONFIG and the message carries "<file>:<line>:" and each needle. */
static void load_refused(const char *text, int line, const char *needle, const char *must_not)
{
	struct config *cfg = (struct config *)1;
	struct settle_err err = {0};
	char where[200];

	cr_assert_eq(config_load(&cfg, write_conf(text), &err), -1, "accepted:\n%s", text);
	cr_assert_null(cfg, "output set on failure");
	cr_assert_eq(err.code, SETTLE_EX_CONFIG, "code %d", err.code);
	snprintf(where, sizeof where, "%s:%d:", conf_path, line);
	cr_assert(strstr(err.msg, where), "message \"%s\" does not say \"%s\"", err.msg, where);
	if (needle)
		cr_assert(strstr(err.msg, needle), "message \"%s\" does not say \"%s\"", err.msg, needle);
	if (must_not)
		cr_assert_null(strstr(err.msg, must_not), "message \"%s\" echoes \"%s\"", err.msg, must_not);
	cr_assert_null(strchr(err.msg, '\n'));
}

/* ---------------------------------------------------------------- load */

Test(adapters_config, good_file_read)
{
	struct config *cfg = load_ok("; settle.conf\n"
				     "# comment\n"
				     "[database]\n"
				     "host = db.internal\n"
				     "port=3306\n"
				     "\n"
				     "[payments]\n"
				     "default_pg = toss ; inline comment\n"
				     "currency =\n");

	cr_assert_str_eq(config_path(cfg), conf_path);
	cr_assert_str_eq(config_get(cfg, "database", "host"), "db.internal");
	cr_assert_str_eq(config_get(cfg, "database", "port"), "3306");
	cr_assert_str_eq(config_get(cfg, "payments", "default_pg"), "toss");
	cr_assert_null(config_get(cfg, "database", "name"));
	cr_assert_str_eq(config_get_or(cfg, "database", "name", "settle"), "settle");
	cr_assert_str_eq(config_get_or(cfg, "payments", "currency", "KRW"), "KRW", "empty value is absent");
	cr_assert_str_eq(config_get_or(cfg, "database", "host", "x"), "db.internal");
	config_free(cfg);
}

Test(adapters_config, unknown_key_names_file_line_and_key)
{
	load_refused("[database]\nhost = x\nhots = y\n", 3, "'hots'", NULL);
}

Test(adapters_config, key_in_wrong_section_is_unknown)
{
	load_refused("[toss]\nbase_url = https://api\n[database]\nbase_url = https://api\n", 4, "base_url", NULL);
}

Test(adapters_config, key_outside_any_section_is_unknown)
{
	load_refused("host = x\n", 1, "host", NULL);
}

Test(adapters_config, repeated_key_names_both_lines)
{
	load_refused("[database]\nhost = a\nport = 1\n\nhost = b\n", 5, "'host'", NULL);
	load_refused("[database]\nhost = a\nport = 1\n\nhost = b\n", 5, "line 2", NULL);
}

Test(adapters_config, repeated_key_across_reopened_section)
{
	load_refused("[database]\nhost = a\n[toss]\ntimeout_ms = 5\n[database]\nhost = b\n", 6, "host", NULL);
}

Test(adapters_config, malformed_line)
{
	load_refused("[database]\nhost = a\nthis line has no equals sign\nport = 1\n", 3, "malformed", NULL);
}

Test(adapters_config, secret_in_file_refused_without_echo)
{
	load_refused("[toss]\nbase_url = https://api\nsecret_key = sk_live_TOPSECRET\n", 3, "secret_key_file",
		     "TOPSECRET");
	load_refused("[database]\npassword = hunter2hunter2\n", 2, "password_file", "hunter2");
	load_refused("[crypto]\ndata_key = 00112233445566778899\n", 2, "data_key_file", "0011223344");
	load_refused("[study]\ntoken = tok_abcdef\n", 2, "token_file", "tok_abcdef");
}

Test(adapters_config, missing_file)
{
	struct config *cfg = NULL;
	struct settle_err err = {0};

	cr_assert_eq(config_load(&cfg, "/nonexistent/settle.conf", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "/nonexistent/settle.conf"), "%s", err.msg);
}

Test(adapters_config, settle_config_env_used_without_explicit_path)
{
	struct config *cfg = NULL;
	struct settle_err err = {0};

	write_conf("[database]\nname = from_env\n");
	setenv("SETTLE_CONFIG", conf_path, 1);
	cr_assert_eq(config_load(&cfg, NULL, &err), 0, "%s", err.msg);
	cr_assert_str_eq(config_path(cfg), conf_path);
	cr_assert_str_eq(config_get(cfg, "database", "name"), "from_env");
	config_free(cfg);
	cr_assert_eq(config_load(&cfg, "", &err), 0, "empty explicit path: %s", err.msg);
	cr_assert_str_eq(config_path(cfg), conf_path);
	config_free(cfg);
	setenv("SETTLE_CONFIG", "/nonexistent/env.conf", 1);
	cr_assert_eq(config_load(&cfg, conf_path, &err), 0, "explicit path loses to env: %s", err.msg);
	config_free(cfg);
	cr_assert_eq(config_load(&cfg, NULL, &err), -1);
	cr_assert(strstr(err.msg, "/nonexistent/env.conf"), "%s", err.msg);
}

/* ---------------------------------------------------------------- int */

Test(adapters_config, get_int_bounds_and_default)
{
	struct config *cfg = load_ok("[database]\nport = 3306\nconnect_timeout_s = -5\n[payments]\nsweep_batch =\n");
	struct settle_err err = {0};
	int64_t v = 0;

	cr_assert_eq(config_get_int(cfg, "database", "port", 1, 1, 65535, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v, 3306);
	cr_assert_eq(config_get_int(cfg, "database", "port", 1, 3306, 3306, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(config_get_int(cfg, "database", "name", 42, 0, 100, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v, 42, "absent key gives the default");
	cr_assert_eq(config_get_int(cfg, "payments", "sweep_batch", 7, 0, 100, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v, 7, "empty value gives the default");
	cr_assert_eq(config_get_int(cfg, "database", "connect_timeout_s", 1, -10, 10, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v, -5);

	v = 99;
	cr_assert_eq(config_get_int(cfg, "database", "port", 1, 1, 1024, &v, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, ":2:"), "%s", err.msg);
	cr_assert(strstr(err.msg, "port"), "%s", err.msg);
	cr_assert(strstr(err.msg, "1..1024"), "%s", err.msg);
	cr_assert_eq(v, 99, "output written on failure");
	cr_assert_eq(config_get_int(cfg, "database", "connect_timeout_s", 1, 0, 10, &v, &err), -1);
	cr_assert(strstr(err.msg, ":3:"), "%s", err.msg);
	config_free(cfg);
}

Test(adapters_config, get_int_refuses_non_numbers)
{
	const char *bad[] = {"abc", "12abc", "1.5", "+5", "-", "0x10", "1 000", "99999999999999999999"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		struct config *cfg;
		struct settle_err err = {0};
		int64_t v = 99;

		snprintf(text, sizeof text, "[toss]\n\ntimeout_ms = %s\n", bad[i]);
		cfg = load_ok(text);
		cr_assert_eq(config_get_int(cfg, "toss", "timeout_ms", 1, INT64_MIN, INT64_MAX, &v, &err), -1,
			     "\"%s\" accepted", bad[i]);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG);
		cr_assert(strstr(err.msg, ":3:"), "%s", err.msg);
		cr_assert(strstr(err.msg, "timeout_ms"), "%s", err.msg);
		cr_assert_eq(v, 99);
		config_free(cfg);
	}
}

/* ---------------------------------------------------------------- secrets */

Test(adapters_config, secret_from_file_newline_stripped)
{
	char text[256], buf[64];
	struct config *cfg;
	struct settle_err err = {0};

	snprintf(text, sizeof text, "[toss]\nsecret_key_file = %s\n", secret_file("sk_file\n"));
	cfg = load_ok(text);
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 1, "%s", err.msg);
	cr_assert_str_eq(buf, "sk_file");
	config_free(cfg);
	secret_file("sk_crlf\r\n");
	cfg = load_ok(text);
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 1, "%s", err.msg);
	cr_assert_str_eq(buf, "sk_crlf");
	config_free(cfg);
}

Test(adapters_config, secret_lookup_order)
{
	char text[256], cred[256], buf[64];
	struct config *cfg;
	struct settle_err err = {0};

	setenv("SETTLE_TOSS_SECRET_KEY", "sk_env", 1);
	setenv("CREDENTIALS_DIRECTORY", cred_dir(), 1);
	snprintf(cred, sizeof cred, "%s/toss.secret_key", dir_path);
	write_secret(cred, "sk_cred\n");
	snprintf(text, sizeof text, "[toss]\nsecret_key_file = %s\n", secret_file("sk_file\n"));

	cfg = load_ok(text);
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 1, "%s", err.msg);
	cr_assert_str_eq(buf, "sk_file", "<key>_file must win");
	config_free(cfg);

	cfg = load_ok("[toss]\nbase_url = https://api\n");
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 1, "%s", err.msg);
	cr_assert_str_eq(buf, "sk_cred", "credentials directory must beat the environment");
	unlink(cred);
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 1, "%s", err.msg);
	cr_assert_str_eq(buf, "sk_env");
	unsetenv("SETTLE_TOSS_SECRET_KEY");
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 0);
	cr_assert_str_eq(buf, "");
	config_free(cfg);
}

Test(adapters_config, secret_absent_everywhere)
{
	struct config *cfg = load_ok("[toss]\n");
	struct settle_err err = {0};
	char buf[16] = "junk";

	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 0);
	cr_assert_str_eq(buf, "");
	config_free(cfg);
}

Test(adapters_config, empty_secret_file_is_an_error)
{
	const char *empties[] = {"", "\n", "\r\n\n"};

	for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
		char text[256], buf[64];
		struct config *cfg;
		struct settle_err err = {0};

		setenv("SETTLE_TOSS_SECRET_KEY", "sk_env", 1);
		snprintf(text, sizeof text, "[toss]\nsecret_key_file = %s\n", secret_file(empties[i]));
		cfg = load_ok(text);
		cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), -1,
			     "empty file #%zu accepted (fell through to the environment?)", i);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG);
		cr_assert(strstr(err.msg, "empty"), "%s", err.msg);
		cr_assert(strstr(err.msg, secret_path), "%s", err.msg);
		config_free(cfg);
	}
}

Test(adapters_config, unreadable_or_long_secret_is_an_error)
{
	char buf[8];
	struct config *cfg;
	struct settle_err err = {0};

	cfg = load_ok("[toss]\nsecret_key_file = /nonexistent/secret\n");
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "/nonexistent/secret"), "%s", err.msg);
	config_free(cfg);

	char text[256];

	snprintf(text, sizeof text, "[toss]\nsecret_key_file = %s\n", secret_file("0123456789\n"));
	cfg = load_ok(text);
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "too long"), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "0123"), "message echoes the secret: %s", err.msg);
	config_free(cfg);

	setenv("SETTLE_TOSS_SECRET_KEY", "0123456789", 1);
	cfg = load_ok("[toss]\n");
	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "SETTLE_TOSS_SECRET_KEY"), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "0123"), "message echoes the secret: %s", err.msg);
	config_free(cfg);
}

/* inih keeps parsing after a bad line, so a later unknown key used to
 * replace the first error: "[database" was reported as "line 2: unknown key
 * 'host' in []". The first bad line is the one reported. */
Test(adapters_config, first_bad_line_is_reported)
{
	load_refused("[database\nhost = a\n", 1, "malformed", NULL);
	load_refused("[database]\nno equals here\nbogus = 1\n", 2, "malformed", NULL);
}

/* The header's rule: an unknown section is an error, even with no keys. */
Test(adapters_config, unknown_section_refused)
{
	load_refused("[database]\nhost = a\n[databse]\n", 3, "[databse]", NULL);
}

/* inih reads at most a fixed number of bytes a line: a longer line was
 * split, its tail parsed as a line of its own, and every later line number
 * was off. The limit is 16 KiB now (issue 7 §8); past it, still refused. */
Test(adapters_config, over_long_line_refused_with_its_number)
{
	static char text[20000];

	snprintf(text, sizeof text, "[toss]\nbase_url = https://example.com/%017000d\ntimeout_ms = 5\n", 7);
	load_refused(text, 2, "long", NULL);
}

/* A long path or URL (≥ 4 KiB) is an ordinary line. */
Test(adapters_config, long_line_of_a_url_is_read_whole)
{
	static char text[12000];
	struct config *cfg;

	snprintf(text, sizeof text, "[toss]\nbase_url = https://example.com/%08000d\ntimeout_ms = 5\n", 7);
	cfg = load_ok(text);
	cr_assert_eq(strlen(config_get(cfg, "toss", "base_url")), strlen("https://example.com/") + 8000);
	cr_assert_str_eq(config_get(cfg, "toss", "timeout_ms"), "5", "the line after it was misread");
	config_free(cfg);
}

/* A secret file others may read has leaked already: refused, as ssh
 * refuses an open private key, naming the file and its mode. */
Test(adapters_config, secret_file_readable_by_others_refused)
{
	static const unsigned modes[] = {0644, 0640, 0604, 0660, 0606, 0666, 0777};
	char text[256], buf[64], want[16];

	snprintf(text, sizeof text, "[toss]\nsecret_key_file = %s\n", secret_file("sk_open\n"));
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		struct config *cfg = load_ok(text);
		struct settle_err err = {0};

		cr_assert_eq(chmod(secret_path, modes[i]), 0);
		cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), -1, "mode %o accepted",
			     modes[i]);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG);
		snprintf(want, sizeof want, "%04o", modes[i]);
		cr_assert(strstr(err.msg, secret_path) && strstr(err.msg, want), "%s", err.msg);
		cr_assert_null(strstr(err.msg, "sk_open"), "%s", err.msg);
		config_free(cfg);
	}
	/* the owner's alone: read */
	for (unsigned m = 0400; m <= 0600; m += 0200) {
		struct config *cfg = load_ok(text);
		struct settle_err err = {0};

		cr_assert_eq(chmod(secret_path, m), 0);
		cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), 1, "mode %o: %s", m,
			     err.msg);
		cr_assert_str_eq(buf, "sk_open");
		config_free(cfg);
	}
}

Test(adapters_config, secret_file_that_is_a_directory_says_so)
{
	struct config *cfg = load_ok("[toss]\nsecret_key_file = /tmp\n");
	struct settle_err err = {0};
	char buf[64];

	cr_assert_eq(config_secret(cfg, "toss", "secret_key", buf, sizeof buf, &err), -1);
	cr_assert(strstr(err.msg, "/tmp") && strstr(err.msg, "directory"), "%s", err.msg);
	config_free(cfg);
}

/* A directory, a pipe or a device where the config file is expected says
 * so (a directory once failed later as a read error). */
Test(adapters_config, config_path_not_a_regular_file)
{
	char fifo[128];
	struct config *cfg = NULL;
	struct settle_err err = {0};

	cr_assert_eq(config_load(&cfg, "/tmp", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "/tmp") && strstr(err.msg, "is a directory"), "%s", err.msg);
	cr_assert_null(cfg);
	cr_assert_eq(config_load(&cfg, "/dev/null", &err), -1);
	cr_assert(strstr(err.msg, "/dev/null") && strstr(err.msg, "not a regular file"), "%s", err.msg);
	snprintf(fifo, sizeof fifo, "/tmp/settle-test-fifo-%d", (int)getpid());
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	/* O_NONBLOCK is not needed: fopen of a FIFO for reading waits for a
	 * writer, so open one first. */
	{
		FILE *w;
		int fd = open(fifo, O_RDWR);

		cr_assert_geq(fd, 0);
		w = fdopen(fd, "w");
		cr_assert_eq(config_load(&cfg, fifo, &err), -1);
		cr_assert(strstr(err.msg, "not a regular file"), "%s", err.msg);
		fclose(w);
	}
	unlink(fifo);
}

Test(adapters_config, line_numbers_after_a_199_byte_line)
{
	char text[600];

	/* "base_url = " is 11 bytes; 188 more make a line of exactly 199. */
	snprintf(text, sizeof text, "[toss]\nbase_url = %0188d\nbogus = 1\n", 7);
	load_refused(text, 3, "bogus", NULL);
}

/* An unreadable file says so (root reads everything: skipped there). */
Test(adapters_config, unreadable_config_says_so)
{
	struct config *cfg = NULL;
	struct settle_err err = {0};

	if (geteuid() == 0)
		cr_skip_test("root can read a mode 000 file");
	write_conf("[database]\nhost = x\n");
	cr_assert_eq(chmod(conf_path, 0), 0);
	cr_assert_eq(config_load(&cfg, conf_path, &err), -1);
	cr_assert(strstr(err.msg, conf_path) && strstr(err.msg, "Permission denied"), "%s", err.msg);
}
