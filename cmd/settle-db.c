/*
 * settle-db — create the database, apply schema/ migrations, show their
 * status, load pod and leader fixtures; operations: the per-role logins
 * (grants), the jobs' last runs (status --jobs), the data-key rotation
 * (rotate-key).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/crypto/crypto.h"
#include "adapters/mysql/fixtures.h"
#include "adapters/mysql/grants.h"
#include "adapters/mysql/migrate.h"
#include "adapters/mysql/ops_queries.h"
#include "adapters/mysql/rekey.h"
#include "adapters/mysql/uow.h"
#include "app/ops/schedule.h"
#include "domain/timefmt.h"
#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "wire/wire_db.h"

#ifndef SETTLE_SCHEMA_DIR
#define SETTLE_SCHEMA_DIR "/usr/local/share/settle/schema"
#endif

struct args {
	const char *schema_dir;
	const char *at, *policies;
	const char *batch;
	int jobs;
	char dirbuf[PATH_MAX];
	char now[27];
};

static struct args a;

/* rotate-key --batch: rows per transaction, 1..1000. */
static int check_batch(const struct cli_kind *kind, const char *field, const char *value, struct settle_err *err)
{
	(void)kind;
	if (strlen(value) > 4 || strspn(value, "0123456789") != strlen(value) || atoi(value) < 1 || atoi(value) > 1000)
		return err_set(err, SETTLE_EX_USAGE, "%s must be a whole number from 1 to 1000", field);
	return 0;
}

static const struct cli_kind batch_kind = {"batch", check_batch, SETTLE_EX_USAGE};

static const struct cli_option options[] = {
	CLI_STRING("schema-dir", 0, "DIR", &a.schema_dir, &cli_kind_input_dir,
		   "migrations directory (default $SETTLE_SCHEMA_DIR, else the schema/ beside the program, else "
		   "PREFIX/share/settle/schema)"),
	CLI_STRING("at", 0, "TIME", &a.at, &cli_kind_utc_time,
		   "complete-pod: when the pod completed, UTC 'YYYY-MM-DD HH:MM:SS' (default now)"),
	CLI_STRING("policies", 0, "FILE", &a.policies, &cli_kind_input_file, "load-pods: refund policies CSV loaded first"),
	CLI_BOOL("jobs", 0, &a.jobs, "status: the last run of every scheduled job and what is overdue"),
	CLI_STRING("batch", 0, "N", &a.batch, &batch_kind, "rotate-key: leaders re-sealed per transaction (default 100)"),
	CLI_END,
};

/* build/bin/settle-db (or build/check/bin/settle-db) -> <tree>/schema, so a
 * development tree needs no flag. */
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
		for (int up = 0; up < 4 && (slash = strrchr(exe, '/')); up++) {
			*slash = '\0';
			snprintf(buf, len, "%s/schema/001_core.sql", exe);
			if (access(buf, R_OK) == 0) {
				snprintf(buf, len, "%s/schema", exe);
				return buf;
			}
			/* PREFIX/bin/settle-db -> PREFIX/share/settle/schema,
			 * whatever PREFIX the build was made for. */
			snprintf(buf, len, "%s/share/settle/schema/001_core.sql", exe);
			if (access(buf, R_OK) == 0) {
				snprintf(buf, len, "%s/share/settle/schema", exe);
				return buf;
			}
		}
	}
	return SETTLE_SCHEMA_DIR;
}

/* status --jobs: the last run of every scheduled job (app/ops/schedule.c). */
static int job_status(struct cli *cli, struct settle_err *err)
{
	const struct clock_port *clock = clock_system();
	int64_t now = clock->now_us(clock->self);
	size_t n, overdue = 0;
	const struct job_schedule *s = ops_schedules(&n);
	json_t *list = json_array();

	if (!list)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory");
	if (!cli->json && cli->verbosity >= 0)
		printf("%-15s %-8s %-19s %-19s %-8s %s\n", "JOB", "LAST", "STARTED (UTC)", "LAST SUCCESS", "OVERDUE",
		       "COUNTS / MESSAGE");
	for (size_t i = 0; i < n; i++) {
		struct job_last_run r;
		int64_t ok_us = 0;
		bool late;

		if (ops_job_last_run(cli->db, s[i].job, &r, err) < 0) {
			json_decref(list);
			return -1;
		}
		if (r.last_success[0])
			time_parse_utc(r.last_success, &ok_us);
		late = ops_overdue(&s[i], ok_us, now);
		overdue += late;
		if (cli->json)
			json_array_append_new(
				list, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:I, s:o, s:o}", "job", s[i].job, "timer",
						s[i].timer, "status", r.status[0] ? cli_json_str(r.status) : json_null(),
						"startedAt", r.started_at[0] ? cli_json_str(r.started_at) : json_null(),
						"finishedAt", r.finished_at[0] ? cli_json_str(r.finished_at) : json_null(),
						"lastSuccess", r.last_success[0] ? cli_json_str(r.last_success) : json_null(),
						"overdue", late, "everySeconds", (json_int_t)s[i].every_s, "counts",
						cli_json_str(r.counts), "message", cli_json_str(r.message)));
		else
			printf("%-15s %-8s %-19s %-19s %-8s %s\n", s[i].job, r.status[0] ? r.status : "never",
			       r.started_at[0] ? cli_esc(r.started_at) : "-",
			       r.last_success[0] ? cli_esc(r.last_success) : "-", late ? "OVERDUE" : "ok",
			       r.message[0] ? cli_esc(r.message) : cli_esc(r.counts));
	}
	if (cli->json)
		return cli_json_print(list, err);
	json_decref(list);
	if (cli->verbosity >= 0)
		printf("%zu job(s), %zu overdue\n", n, overdue);
	return 0;
}

static int cmd_status(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	struct migration_status *st;
	size_t n, pending = 0, bad = 0;
	json_t *list;

	if (x->jobs)
		return job_status(cli, err);
	list = json_array();
	if (!list)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory");
	if (migrate_status(cli->db, x->schema_dir, &st, &n, err) < 0) {
		json_decref(list);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *state = st[i].missing ? "missing" : st[i].changed ? "changed" : st[i].applied ? "applied"
														    : "pending";

		pending += !st[i].applied;
		bad += st[i].missing || st[i].changed;
		if (cli->json)
			json_array_append_new(list, json_pack("{s:o, s:o, s:s, s:o, s:o}", "version",
							      cli_json_str(st[i].version), "name",
							      cli_json_str(st[i].name), "state", state, "applied_at",
							      st[i].applied ? cli_json_str(st[i].applied_at) : json_null(),
							      "checksum", cli_json_str(st[i].checksum)));
		else
			printf("%-8s %-40s %-22s %.12s\n", state, cli_esc(st[i].name),
			       st[i].applied ? cli_esc(st[i].applied_at) : "-", cli_esc(st[i].checksum));
	}
	free(st);
	if (cli->json) {
		if (json_array_size(list) != n) {
			json_decref(list);
			return err_set(err, SETTLE_EX_SOFTWARE, "out of memory building JSON");
		}
		if (cli_json_print(list, err) < 0)
			return -1;
	} else {
		json_decref(list);
		if (cli->verbosity >= 0)
			printf("%zu migration(s), %zu pending%s\n", n, pending, bad ? ", some applied files changed" : "");
	}
	if (bad)
		return err_set(err, SETTLE_EX_DATAERR, "%zu applied migration file(s) changed or missing", bad);
	return 0;
}

static int cmd_migrate(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	size_t applied;

	if (migrate_apply(cli->db, x->schema_dir, x->now, cli->dry_run, &applied, err) < 0)
		return -1;
	if (cli->json)
		return cli_json_print(json_pack("{s:I, s:b}", "applied", (json_int_t)applied, "dry_run", cli->dry_run),
				      err);
	if (cli->verbosity >= 0)
		printf("%s%zu migration(s)%s\n", cli->dry_run ? "would apply " : "applied ", applied,
		       applied ? "" : " (up to date)");
	return 0;
}

/* --dry-run reads and checks the whole file and writes nothing. */
static int loaded(struct cli *cli, size_t rows, const char *table, const char *noun, struct settle_err *err)
{
	if (cli->json)
		return cli_json_print(cli->dry_run ? json_pack("{s:I, s:s, s:b}", "loaded", (json_int_t)rows, "table",
							       table, "dry_run", 1)
						   : json_pack("{s:I, s:s}", "loaded", (json_int_t)rows, "table", table),
				      err);
	if (cli->verbosity >= 0)
		printf("%s %zu %s\n", cli->dry_run ? "would load" : "loaded", rows, noun);
	return 0;
}

static int cmd_load_pods(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	size_t rows = 0;
	int rc = cli->dry_run ? fixtures_check_pods_with(cli->args[0], x->policies, x->now, &rows, err)
			      : fixtures_load_pods_with(cli->db, cli->args[0], x->policies, x->now, &rows, err);

	return rc < 0 ? -1 : loaded(cli, rows, "pods", "pod(s)", err);
}

static int cmd_load_leaders(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	struct data_key key;
	size_t rows = 0;
	int rc;

	if (crypto_load_key(cli->cfg, &key, err) < 0)
		return -1;
	rc = cli->dry_run ? fixtures_check_leaders(cli->args[0], &key, x->now, &rows, err)
			  : fixtures_load_leaders(cli->db, cli->args[0], &key, x->now, &rows, err);
	crypto_key_wipe(&key);
	return rc < 0 ? -1 : loaded(cli, rows, "leaders", "leader(s)", err);
}

/* Marks a pod completed in settle's pods table: the source of completions
 * when no Study Service feed is configured (demo, tests, an operator). */
static int cmd_complete_pod(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	struct release_repo repo;
	char status[32], completed[32];
	int64_t holding = 0, disputed = 0;
	int rc;

	mysql_release_repo(&repo, cli->db);
	rc = repo.pod_state(repo.self, NULL, cli->args[0], status, sizeof status, completed, sizeof completed, &holding,
			    &disputed, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown pod %s", cli->args[0]);
	if (!strcmp(status, "CANCELLED"))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is CANCELLED; it cannot complete", cli->args[0]);
	if (cli->dry_run) {
		printf("would complete pod %s at %s UTC\n", cli_esc(cli->args[0]), cli_esc(x->at ? x->at : x->now));
		return 0;
	}
	if (repo.complete_pod(repo.self, NULL, cli->args[0], x->at ? x->at : x->now, err) < 0)
		return -1;
	rc = repo.pod_state(repo.self, NULL, cli->args[0], status, sizeof status, completed, sizeof completed, &holding,
			    &disputed, err);
	if (rc < 0)
		return -1;
	printf("pod %s COMPLETED at %s UTC (%lld escrow(s) holding)\n", cli_esc(cli->args[0]), cli_esc(completed),
	       (long long)holding);
	return 0;
}

/* grants: one login per role with its table privileges (grants.c). */
static int print_grant(void *arg, const char *sql, const char *shown, struct settle_err *err)
{
	struct cli *cli = arg;

	(void)sql;
	(void)err;
	if (cli->dry_run || cli->verbosity > 0 || !strncmp(shown, "--", 2))
		printf("%s%s\n", cli_esc(shown), strncmp(shown, "--", 2) ? ";" : "");
	return 0;
}

static int cmd_grants(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	if (cli->json)
		return err_set(err, SETTLE_EX_USAGE, "grants prints SQL; it has no --json");
	if (grants_apply(cli->db, cli->cfg, cli->dry_run, print_grant, cli, err) < 0)
		return -1;
	if (!cli->dry_run && cli->verbosity >= 0)
		printf("granted: %zu role(s) on database %s\n", grants_role_count(), cli_esc(db_name(cli->db)));
	return 0;
}

/* rotate-key: every leader's secrets under [crypto] key_id (rekey.c). */
static int cmd_rotate_key(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	struct data_keyring ring;
	struct rekey_report rep;
	int rc;

	if (crypto_load_keyring(cli->cfg, &ring, err) < 0)
		return -1;
	rc = rekey_leaders(cli->db, &ring, x->batch ? (size_t)atoi(x->batch) : 100, cli->dry_run, &rep, err);
	crypto_keyring_wipe(&ring);
	if (rc < 0)
		return -1;
	if (cli->json)
		return cli_json_print(cli->dry_run ? json_pack("{s:I, s:b}", "toReseal", (json_int_t)rep.remaining,
							       "dry_run", 1)
						   : json_pack("{s:I, s:I}", "resealed", (json_int_t)rep.resealed,
							       "batches", (json_int_t)rep.batches),
				      err);
	if (cli->verbosity >= 0) {
		if (cli->dry_run)
			printf("would re-seal %lld leader(s) (each opens with its key)\n", (long long)rep.remaining);
		else
			printf("re-sealed %lld leader(s) in %lld batch(es); every leader is under the current key\n",
			       (long long)rep.resealed, (long long)rep.batches);
	}
	return 0;
}

static const struct cli_command commands[] = {
	{"migrate", cmd_migrate, 0, NULL, NULL, &wire_db_admin},
	{"status", cmd_status, 0, NULL, NULL, &wire_db_admin},
	{"load-pods", cmd_load_pods, 1, "FILE", &cli_kind_input_file, &wire_db},
	{"load-leaders", cmd_load_leaders, 1, "FILE", &cli_kind_input_file, &wire_db},
	{"complete-pod", cmd_complete_pod, 1, "POD", &cli_kind_ref_id, &wire_db},
	{"grants", cmd_grants, 0, NULL, NULL, &wire_db},
	{"rotate-key", cmd_rotate_key, 0, NULL, NULL, &wire_db},
	{0},
};

/* The defaults that need no I/O beyond the file system. */
static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;

	if (x->jobs && strcmp(cli->command->verb, "status"))
		return err_set(err, SETTLE_EX_USAGE, "--jobs goes with status");
	if (x->batch && strcmp(cli->command->verb, "rotate-key"))
		return err_set(err, SETTLE_EX_USAGE, "--batch goes with rotate-key");
	if (!x->schema_dir)
		x->schema_dir = default_schema_dir(x->dirbuf, sizeof x->dirbuf);
	clock_now_sql(clock_system(), x->now);
	return 0;
}

static const struct cli_spec spec = {
	.name = "settle-db",
	.exit_codes = (const int[]){0, 64, 65, 66, 69, 70, 78, -1},
	.usage = "[options] migrate | status [--jobs] | load-pods [--policies FILE] FILE | load-leaders FILE | "
		 "complete-pod POD [--at TIME] | grants | rotate-key [--batch N]",
	.summary = "Apply settle's schema migrations, show their status, load pod and leader CSV fixtures, create the "
		   "per-role logins, show the jobs' runs, and re-seal leaders' secrets under a new key.",
	.options = options,
	.dry_run = true,
	.commands = commands,
	.check = check,
};

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, NULL, &a);
}
