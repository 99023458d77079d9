/* testdb.c — per-test databases and a program runner for integration tests. */
#include "lib/testdb.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/migrate.h"
#include "domain/utf8.h"

static const char *base_config(void)
{
	const char *p = getenv("SETTLE_TEST_CONFIG");

	return p && *p ? p : "var/settle.conf";
}

const char *test_bin_dir(void)
{
	const char *p = getenv("SETTLE_BIN_DIR");

	return p && *p ? p : "build/check/bin";
}

const char *test_repo_file(const char *rel, char *buf, size_t len)
{
	char cwd[1024];

	if (!getcwd(cwd, sizeof cwd))
		cwd[0] = '\0';
	snprintf(buf, len, "%s/%s", cwd, rel);
	return buf;
}

void testdb_write_config(struct testdb *t)
{
	struct config *cfg;
	struct settle_err err = {0};
	FILE *f;

	cr_assert_eq(config_load(&cfg, base_config(), &err), 0, "base config: %s", err.msg);
	f = fopen(t->config_path, "w");
	cr_assert_not_null(f);
	fprintf(f, "[database]\nsocket = %s\nuser = %s\npassword_file = %s\nname = %s\n\n[crypto]\ndata_key_file = %s\n\n%s",
		config_get(cfg, "database", "socket"), config_get(cfg, "database", "user"),
		config_get(cfg, "database", "password_file"), t->name, config_get(cfg, "crypto", "data_key_file"),
		t->extra_conf);
	fclose(f);
	config_free(cfg);
}

void testdb_create(struct testdb *t)
{
	static int counter;
	struct config *cfg;
	struct db *admin;
	struct settle_err err = {0};
	char sql[128], now[27], schema[1024];
	size_t applied;

	memset(t->name, 0, sizeof t->name);
	snprintf(t->name, sizeof t->name, "settle_t_%d_%d", (int)getpid(), counter++);
	snprintf(t->config_path, sizeof t->config_path, "/tmp/%s.conf", t->name);
	cr_assert_eq(config_load(&cfg, base_config(), &err), 0, "base config: %s (is the private DB up?)", err.msg);
	cr_assert_eq(db_open_config(&admin, cfg, "settle", true, &err), 0, "%s", err.msg);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", t->name);
	cr_assert_eq(db_simple(admin, sql, &err), 0, "%s", err.msg);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", t->name);
	cr_assert_eq(db_simple(admin, sql, &err), 0, "%s", err.msg);
	db_close(admin);
	cr_assert_eq(db_open_config(&t->db, cfg, t->name, true, &err), 0, "%s", err.msg);
	config_free(cfg);
	clock_now_sql(clock_system(), now);
	cr_assert_eq(migrate_apply(t->db, test_repo_file("schema", schema, sizeof schema), now, false, &applied, &err),
		     0, "migrate: %s", err.msg);
	testdb_write_config(t);
}

void testdb_drop(struct testdb *t)
{
	struct settle_err err = {0};
	char sql[128];

	if (!t->db)
		return;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", t->name);
	db_simple(t->db, sql, &err);
	db_close(t->db);
	t->db = NULL;
	unlink(t->config_path);
}

int64_t testdb_count(struct testdb *t, const char *sql)
{
	struct settle_err err = {0};
	int64_t n = -1;

	cr_assert_eq(db_query_one(t->db, sql, DB_NOPARAMS, DB_COLS(DC_I(&n)), &err), 1, "%s: %s", sql, err.msg);
	return n;
}

unsigned testdb_sql(struct testdb *t, const char *sql)
{
	struct settle_err err = {0};

	if (db_simple(t->db, sql, &err) < 0)
		return db_last_errno(t->db) ? db_last_errno(t->db) : 1;
	return 0;
}

void testdb_string(struct testdb *t, const char *sql, char *out, size_t len)
{
	struct settle_err err = {0};
	char buf[1024] = "";
	int rc = db_query_one(t->db, sql, DB_NOPARAMS, DB_COLS(DC_S(buf)), &err);

	cr_assert_geq(rc, 0, "%s: %s", sql, err.msg);
	snprintf(out, len, "%s", rc == 1 ? buf : "");
}

static void drain(int fd, char *buf, size_t cap)
{
	size_t used = 0;
	ssize_t n;

	while (used < cap - 1 && (n = read(fd, buf + used, cap - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
}

void run_program(struct testdb *t, const char *const *argv, const char *const *env, struct run_result *r)
{
	char path[1024], outf[] = "/tmp/settle-run-out-XXXXXX", errf[] = "/tmp/settle-run-err-XXXXXX";
	int ofd = mkstemp(outf), efd = mkstemp(errf), status;
	pid_t pid;

	cr_assert(ofd >= 0 && efd >= 0);
	snprintf(path, sizeof path, "%s/%s", test_bin_dir(), argv[0]);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		if (t)
			setenv("SETTLE_CONFIG", t->config_path, 1);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)(uintptr_t)env[i]);
		execv(path, (char *const *)(uintptr_t)argv);
		fprintf(stderr, "exec %s failed\n", path);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	drain(ofd, r->out, sizeof r->out);
	drain(efd, r->err, sizeof r->err);
	close(ofd);
	close(efd);
	unlink(outf);
	unlink(errf);
}

void testdb_fingerprint(struct testdb *t, char *out, size_t len)
{
	struct settle_err err = {0};
	struct db_cursor *c;
	char names[64][65], name[65], sql[160];
	size_t n = 0, used = 0;
	int rc;

	cr_assert_eq(db_query(t->db, &c,
			      "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
			      "AND table_type = 'BASE TABLE' ORDER BY table_name",
			      DB_PARAMS(DB_S(t->name)), DB_COLS(DC_S(name)), &err),
		     0, "%s", err.msg);
	while ((rc = db_fetch(c, &err)) == 1) {
		cr_assert_lt(n, 64, "more tables than the fingerprint holds");
		snprintf(names[n++], sizeof names[0], "%s", name);
	}
	db_cursor_close(c);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_gt(n, 0);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char tbl[200];
		int64_t sum = 0;

		snprintf(sql, sizeof sql, "CHECKSUM TABLE `%s`", names[i]);
		cr_assert_eq(db_query_one(t->db, sql, DB_NOPARAMS, DB_COLS(DC_S(tbl), DC_I(&sum)), &err), 1, "%s: %s",
			     sql, err.msg);
		rc = snprintf(out + used, len - used, "%s=%lld;", names[i], (long long)sum);
		cr_assert(rc > 0 && (size_t)rc < len - used, "fingerprint buffer too small");
		used += (size_t)rc;
	}
}

void testdb_assert_unchanged(struct testdb *t, const char *before, const char *what)
{
	char now[4096];

	testdb_fingerprint(t, now, sizeof now);
	cr_assert_str_eq(now, before, "%s: the database changed", what);
}

int test_terminal_safe(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);

		if (len < 0 || (utf8_is_control(cp) && cp != '\n'))
			return 0;
		i += (size_t)len;
	}
	return 1;
}
