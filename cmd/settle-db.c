/*
 * settle-db — create the database, apply schema/ migrations, show their
 * status, load pod and leader fixtures.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/crypto/crypto.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/fixtures.h"
#include "adapters/mysql/migrate.h"
#include "cli/cli.h"

enum { OPT_SCHEMA_DIR = 1 };

static const struct cli_option options[] = {
	{"schema-dir", 0, "DIR", OPT_SCHEMA_DIR, "migrations directory (default $SETTLE_SCHEMA_DIR, else the "
						  "schema/ beside the program, else /usr/local/share/settle/schema)"},
	{0},
};

static const struct cli_spec spec = {
	.name = "settle-db",
	.usage = "[options] migrate | status | load-pods FILE | load-leaders FILE",
	.summary = "Apply settle's schema migrations, show their status, and load pod and leader CSV fixtures.",
	.options = options,
	.dry_run = true,
};

struct args {
	const char *schema_dir;
};

static int on_option(void *arg, int id, const char *value, struct settle_err *err)
{
	struct args *a = arg;

	if (id == OPT_SCHEMA_DIR) {
		a->schema_dir = value;
		return 0;
	}
	return err_set(err, SETTLE_EX_USAGE, "unknown option");
}

/* build/bin/settle-db -> <tree>/schema, so a development tree needs no flag. */
static const char *default_schema_dir(char *buf, size_t len)
{
	const char *env = getenv("SETTLE_SCHEMA_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		for (int up = 0; up < 3 && (slash = strrchr(exe, '/')); up++) {
			*slash = '\0';
			snprintf(buf, len, "%s/schema/001_core.sql", exe);
			if (access(buf, R_OK) == 0) {
				snprintf(buf, len, "%s/schema", exe);
				return buf;
			}
		}
	}
	return "/usr/local/share/settle/schema";
}

static int cmd_status(struct cli *cli, const char *dir, struct settle_err *err)
{
	struct migration_status *st;
	size_t n, pending = 0, bad = 0;

	if (migrate_status(cli->db, dir, &st, &n, err) < 0)
		return -1;
	if (cli->json)
		printf("[");
	for (size_t i = 0; i < n; i++) {
		const char *state = st[i].missing ? "missing" : st[i].changed ? "changed" : st[i].applied ? "applied"
														    : "pending";

		pending += !st[i].applied;
		bad += st[i].missing || st[i].changed;
		if (cli->json) {
			printf("%s{\"version\":\"%s\",\"name\":", i ? "," : "", st[i].version);
			cli_json_string(stdout, st[i].name);
			printf(",\"state\":\"%s\",\"applied_at\":%s%s%s,\"checksum\":\"%s\"}", state,
			       st[i].applied ? "\"" : "", st[i].applied ? st[i].applied_at : "null",
			       st[i].applied ? "\"" : "", st[i].checksum);
		} else {
			printf("%-8s %-40s %-22s %.12s\n", state, st[i].name, st[i].applied ? st[i].applied_at : "-",
			       st[i].checksum);
		}
	}
	if (cli->json)
		printf("]\n");
	else if (cli->verbosity >= 0)
		printf("%zu migration(s), %zu pending%s\n", n, pending, bad ? ", some applied files changed" : "");
	free(st);
	if (bad)
		return err_set(err, SETTLE_EX_DATAERR, "%zu applied migration file(s) changed or missing", bad);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	char dirbuf[PATH_MAX], now[27];
	const char *verb;
	int first, rc = 0;

	first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);
	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first >= argc) {
		err_set(&err, SETTLE_EX_USAGE, "missing command: migrate, status, load-pods or load-leaders");
		return cli_fail(&cli, &err);
	}
	verb = argv[first];
	if (!a.schema_dir)
		a.schema_dir = default_schema_dir(dirbuf, sizeof dirbuf);
	clock_now_sql(clock_system(), now);

	if (!strcmp(verb, "migrate") || !strcmp(verb, "status")) {
		if (first + 1 != argc) {
			err_set(&err, SETTLE_EX_USAGE, "%s takes no arguments", verb);
			return cli_fail(&cli, &err);
		}
		if (cli_load_config(&cli, &err) < 0 || db_open_config(&cli.db, cli.cfg, NULL, true, &err) < 0)
			goto fail;
		if (!strcmp(verb, "status")) {
			rc = cmd_status(&cli, a.schema_dir, &err);
		} else {
			size_t applied;

			rc = migrate_apply(cli.db, a.schema_dir, now, cli.dry_run, &applied, &err);
			if (rc == 0 && cli.json)
				printf("{\"applied\":%zu,\"dry_run\":%s}\n", applied, cli.dry_run ? "true" : "false");
			else if (rc == 0 && cli.verbosity >= 0)
				printf("%s%zu migration(s)%s\n", cli.dry_run ? "would apply " : "applied ", applied,
				       applied ? "" : " (up to date)");
		}
	} else if (!strcmp(verb, "load-pods") || !strcmp(verb, "load-leaders")) {
		struct data_key key;
		size_t rows = 0;
		int pods = !strcmp(verb, "load-pods");

		if (first + 2 != argc) {
			err_set(&err, SETTLE_EX_USAGE, "%s takes one FILE", verb);
			return cli_fail(&cli, &err);
		}
		if (cli_open_db(&cli, &err) < 0)
			goto fail;
		if (pods) {
			rc = fixtures_load_pods(cli.db, argv[first + 1], now, &rows, &err);
		} else {
			if (crypto_load_key(cli.cfg, &key, &err) < 0)
				goto fail;
			rc = fixtures_load_leaders(cli.db, argv[first + 1], &key, now, &rows, &err);
			crypto_key_wipe(&key);
		}
		if (rc == 0 && cli.json)
			printf("{\"loaded\":%zu,\"table\":\"%s\"}\n", rows, pods ? "pods" : "leaders");
		else if (rc == 0 && cli.verbosity >= 0)
			printf("loaded %zu %s\n", rows, pods ? "pod(s)" : "leader(s)");
	} else {
		err_set(&err, SETTLE_EX_USAGE, "unknown command '%s': migrate, status, load-pods or load-leaders", verb);
		return cli_fail(&cli, &err);
	}
	if (rc < 0)
		goto fail;
	cli_close(&cli);
	return 0;
fail:
	rc = cli_fail(&cli, &err);
	cli_close(&cli);
	return rc;
}
