/*
 * testdb.h — integration-test fixtures: a fresh, migrated database per
 * test on the private MariaDB, a config file pointing at it, and a runner
 * for the programs in $SETTLE_BIN_DIR.
 *
 * Rule: every test gets its own database (settle_t_<pid>_<n>), so tests
 * run in parallel without seeing each other, and it is dropped at the end.
 */
#ifndef SETTLE_TESTS_TESTDB_H
#define SETTLE_TESTS_TESTDB_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct testdb {
	char name[64];
	char config_path[256];   /* a settle.conf for this database */
	char extra_conf[2048];   /* appended to the config (sections for PG, study …) */
	struct db *db;           /* an open connection to it */
};

/* Creates and migrates; aborts the test (cr_assert) on failure. */
void testdb_create(struct testdb *t);
/* Rewrites the config file with t->extra_conf appended. */
void testdb_write_config(struct testdb *t);
void testdb_drop(struct testdb *t);

/* A count from a SQL text without parameters (tests only). */
int64_t testdb_count(struct testdb *t, const char *sql);
/* Runs plain SQL (tests only); returns the server error number or 0. */
unsigned testdb_sql(struct testdb *t, const char *sql);
/* A single string cell; "" when there is no row. */
void testdb_string(struct testdb *t, const char *sql, char *out, size_t len);

/* Every table of t's database with its CHECKSUM TABLE, "name=sum;…" in
 * name order: equal fingerprints mean no row was written. */
void testdb_fingerprint(struct testdb *t, char *out, size_t len);
/* Asserts the fingerprint equals before ("what" names the case). */
void testdb_assert_unchanged(struct testdb *t, const char *before, const char *what);

struct run_result {
	int status;       /* exit status, or 128+signal */
	char out[65536];
	char err[16384];
};

/* Runs $SETTLE_BIN_DIR/<argv[0]> with SETTLE_CONFIG pointing at t's config
 * (t may be NULL) and extra "KEY=VALUE" environment entries (NULL-ended
 * env may be NULL). */
void run_program(struct testdb *t, const char *const *argv, const char *const *env, struct run_result *r);

/* No byte a terminal would act on (a control character other than '\n'),
 * and valid UTF-8 throughout: what every line settle prints must be. */
int test_terminal_safe(const char *s);

/* Path helpers: the repo root (where tests run) and the bin directory. */
const char *test_bin_dir(void);
const char *test_repo_file(const char *rel, char *buf, size_t len);

#endif
