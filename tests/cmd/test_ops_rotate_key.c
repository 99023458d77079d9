/* settle-db rotate-key: every leader's secrets re-sealed under the new key
 * id, batch by batch; killed half-way and run again, nothing is lost and
 * nothing is sealed twice (issue 11). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/crypto/crypto.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/payees.h"
#include "lib/testdb.h"

#define NEW_KEY "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static struct testdb t;
static char rotate_conf[128], new_key[128], old_key_path[256];

/* t's config with [crypto] replaced by crypto (the base key's path is
 * kept in old_key_path). */
static void write_conf(const char *path, const char *crypto)
{
	FILE *in = fopen(t.config_path, "r"), *out = fopen(path, "w");
	char line[1024];
	int skip = 0;

	cr_assert(in && out);
	while (fgets(line, sizeof line, in)) {
		if (!strncmp(line, "data_key_file = ", 16)) {
			snprintf(old_key_path, sizeof old_key_path, "%s", line + 16);
			old_key_path[strcspn(old_key_path, "\n")] = '\0';
		}
		if (line[0] == '[')
			skip = !strcmp(line, "[crypto]\n");
		if (!skip)
			fputs(line, out);
	}
	fprintf(out, "\n[crypto]\n%s", crypto);
	fclose(in);
	fclose(out);
	chmod(path, 0600);
}

static void setup(void)
{
	struct run_result r;
	char fx[512], crypto[1024];
	FILE *f;

	testdb_create(&t);
	run_program(&t, (const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", fx, sizeof fx), NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(new_key, sizeof new_key, "/tmp/settle-newkey-%d", (int)getpid());
	f = fopen(new_key, "w");
	cr_assert_not_null(f);
	fputs(NEW_KEY "\n", f);
	fclose(f);
	chmod(new_key, 0600);
	snprintf(rotate_conf, sizeof rotate_conf, "/tmp/settle-rotate-%d.conf", (int)getpid());
	write_conf(rotate_conf, "");
	snprintf(crypto, sizeof crypto,
		 "data_key_file = %s\nkey_id = 2\nprevious_data_key_file = %s\nprevious_key_id = 1\n", new_key,
		 old_key_path);
	write_conf(rotate_conf, crypto);
}

static void teardown(void)
{
	unlink(rotate_conf);
	unlink(new_key);
	testdb_drop(&t);
}

TestSuite(cmd_ops_rotate_key, .init = setup, .fini = teardown, .timeout = 60);

static void run_rotate(const char *const *argv, const char *const *env, struct run_result *r)
{
	const char *full[16] = {"settle-db", "--config", rotate_conf};
	size_t n = 3;

	for (size_t i = 0; argv[i]; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	run_program(NULL, full, env, r);
}

/* Every sealed column of every leader opens with key, with its own column
 * name as the additional data. */
static void assert_all_open_with(const char *hex_key)
{
	struct data_key key;
	struct settle_err err = {0};
	struct db_cursor *c;
	char id[65], acc[600], rrn[600];
	int rc, rows = 0;

	cr_assert_eq(crypto_key_from_hex(hex_key, &key, &err), 0);
	cr_assert_eq(db_query(t.db, &c, "SELECT leader_id, COALESCE(HEX(account_enc), ''), COALESCE(HEX(rrn_enc), '') FROM leaders",
			      DB_NOPARAMS, DB_COLS(DC_S(id), DC_S(acc), DC_S(rrn)), &err),
		     0, "%s", err.msg);
	while ((rc = db_fetch(c, &err)) == 1) {
		const char *cols[2] = {acc, rrn}, *aad[2] = {"leaders.account_enc", "leaders.rrn_enc"};

		for (int k = 0; k < 2; k++) {
			unsigned char sealed[300];
			char plain[300];
			size_t n = strlen(cols[k]) / 2, got = 0;

			if (!n)
				continue;
			for (size_t i = 0; i < n; i++) {
				unsigned v;

				sscanf(cols[k] + 2 * i, "%2x", &v);
				sealed[i] = (unsigned char)v;
			}
			cr_assert_eq(crypto_open(&key, aad[k], sealed, n, plain, &got, &err), 0, "%s %s: %s", id, aad[k],
				     err.msg);
			cr_assert_gt(got, 0);
		}
		rows++;
	}
	db_cursor_close(c);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(rows, 4);
}

Test(cmd_ops_rotate_key, killed_half_way_and_run_again_reseals_each_row_once)
{
	struct run_result r;
	char first[600], after[600];

	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 1"), 4);
	/* killed after the first batch of one row has committed */
	run_rotate((const char *[]){"rotate-key", "--batch", "1", NULL},
		   (const char *[]){"SETTLE_FAILPOINT=rotate_key.after_batch", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 2"), 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 1"), 3);
	testdb_string(&t, "SELECT HEX(account_enc) FROM leaders WHERE key_id = 2", first, sizeof first);
	cr_assert(first[0]);

	/* the dry run counts what is left and writes nothing */
	run_rotate((const char *[]){"--dry-run", "rotate-key", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "would re-seal 3 leader(s)"), "%s", r.out);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 1"), 3);

	/* run again: the rest, and the row already done is left alone */
	run_rotate((const char *[]){"rotate-key", "--batch", "2", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "re-sealed 3 leader(s) in 2 batch(es)"), "%s", r.out);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 2"), 4);
	testdb_string(&t, "SELECT HEX(account_enc) FROM leaders WHERE id = (SELECT MIN(id) FROM leaders)", after,
		      sizeof after);
	cr_assert_str_eq(after, first, "the row re-sealed by the first run was sealed again");
	assert_all_open_with(NEW_KEY);

	/* a third run has nothing to do */
	run_rotate((const char *[]){"rotate-key", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "re-sealed 0 leader(s)"), "%s", r.out);
}

Test(cmd_ops_rotate_key, a_row_under_an_unknown_key_id_stops_and_changes_nothing)
{
	struct run_result r;
	char before[4096];

	cr_assert_eq(testdb_sql(&t, "UPDATE leaders SET key_id = 7 WHERE leader_id = 'leader-lee'"), 0);
	testdb_fingerprint(&t, before, sizeof before);
	run_rotate((const char *[]){"rotate-key", "--batch", "100", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "leader leader-lee is sealed under key id 7"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	testdb_assert_unchanged(&t, before, "unknown key id");
}

Test(cmd_ops_rotate_key, bad_configuration_and_usage_are_refused)
{
	struct run_result r;
	char crypto[1024];

	/* the previous key's id is the current one */
	snprintf(crypto, sizeof crypto, "data_key_file = %s\nkey_id = 1\nprevious_data_key_file = %s\nprevious_key_id = 1\n",
		 new_key, old_key_path);
	write_conf(rotate_conf, crypto);
	run_rotate((const char *[]){"rotate-key", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "previous_key_id is key_id"), "%s", r.err);
	/* a previous key file that does not exist */
	snprintf(crypto, sizeof crypto,
		 "data_key_file = %s\nkey_id = 2\nprevious_data_key_file = /nonexistent/old-key\nprevious_key_id = 1\n",
		 new_key);
	write_conf(rotate_conf, crypto);
	run_rotate((const char *[]){"rotate-key", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "/nonexistent/old-key"), "%s", r.err);
	/* --batch out of range, --batch with another verb */
	run_rotate((const char *[]){"rotate-key", "--batch", "0", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	run_rotate((const char *[]){"status", "--batch", "5", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 1"), 4);
}

/* Half-way through a rotation the payouts still read every account: each
 * row opens with the key of its key_id (adapters/mysql/payees.c). */
Test(cmd_ops_rotate_key, accounts_open_during_a_rotation)
{
	static const char *const leaders[][2] = {{"leader-kim", "12345678901234"}, {"leader-lee", "110123456789"},
						 {"leader-park", "1002345678901"}, {"leader-choi", "35791113151719"}};
	struct run_result r;
	struct data_keyring ring = {0};
	struct settle_err err = {0};
	struct payees_port *p;
	char old_hex[80] = "";
	FILE *f = fopen(old_key_path, "r");

	cr_assert_not_null(f, "%s", old_key_path);
	cr_assert_not_null(fgets(old_hex, sizeof old_hex, f));
	fclose(f);
	old_hex[strcspn(old_hex, "\n")] = '\0';
	run_rotate((const char *[]){"rotate-key", "--batch", "2", NULL},
		   (const char *[]){"SETTLE_FAILPOINT=rotate_key.after_batch", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE key_id = 2"), 2);

	cr_assert_eq(crypto_key_from_hex(NEW_KEY, &ring.current, &err), 0);
	ring.current.id = 2;
	cr_assert_eq(crypto_key_from_hex(old_hex, &ring.previous, &err), 0);
	ring.previous.id = 1;
	ring.has_previous = 1;
	p = mysql_payees_new(t.db, &ring);
	cr_assert_not_null(p);
	for (size_t i = 0; i < 4; i++) {
		struct payee out;

		cr_assert_eq(p->get(p->self, NULL, leaders[i][0], &out, &err), 1, "%s: %s", leaders[i][0], err.msg);
		cr_assert(out.has_account);
		cr_assert_str_eq(out.account, leaders[i][1]);
		payee_wipe(&out);
	}
	/* without the key before, a row still under it says which key id */
	ring.has_previous = 0;
	{
		struct payee out;

		cr_assert_eq(p->get(p->self, NULL, "leader-choi", &out, &err), -1);
		cr_assert_eq(err.code, 78);
		cr_assert(strstr(err.msg, "sealed under key id 1"), "%s", err.msg);
	}
	mysql_payees_free(p);
	crypto_keyring_wipe(&ring);
}
