/* job_runs.c — a row per batch-job run (see job_runs.h). */
#include "wire/job_runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/mysql/db.h"
#include "domain/timefmt.h"
#include "util/log.h"
#include "wire/job_metrics.h"
#include "wire/wire_db.h"

/* One run per process: when it started, for its metrics (0: no run). */
static int64_t run_started_us;

static const char *job_name(const struct cli *cli)
{
	return cli->command ? cli->command->verb : cli->spec->name;
}

void job_run_begin(struct cli *cli)
{
	struct settle_err err = {0};
	char host[64] = "", owner[96], now[TIME_SQL_LEN];
	uint64_t id = 0;

	run_started_us = clock_system()->now_us(clock_system()->self);
	/* A dry run commits nothing, not even its own record. */
	if (!cli->db || cli->dry_run)
		return;
	gethostname(host, sizeof host - 1);
	snprintf(owner, sizeof owner, "%.63s:%ld", host, (long)getpid());
	time_sql(clock_system()->now_us(clock_system()->self), now);
	if (db_exec(cli->db,
		    "INSERT INTO job_runs (job, owner, host, pid, status, started_at) VALUES (?,?,?,?, 'RUNNING', ?)",
		    DB_PARAMS(DB_S(job_name(cli)), DB_S(owner), DB_S(host),
			      DB_I((int64_t)getpid()), DB_S(now)),
		    NULL, &id, &err) < 0) {
		log_kv(LOG_WARN, "job_run.not_recorded", "error", err.msg, (char *)NULL);
		return;
	}
	cli->job_run_id = (int64_t)id;
}

void job_run_end(struct cli *cli)
{
	struct settle_err err = {0};
	char now[TIME_SQL_LEN];
	const char *status = cli->status == 0 ? "DONE" : cli->status == SETTLE_EX_TEMPFAIL ? "PARTIAL" : "FAILED";

	if (!run_started_us)
		return;
	if (!cli->db || !cli->job_run_id) {
		job_metrics_write(cli, job_name(cli), run_started_us);
		run_started_us = 0;
		return;
	}
	time_sql(clock_system()->now_us(clock_system()->self), now);
	if (db_exec(cli->db,
		    "UPDATE job_runs SET status = ?, counts = ?, message = LEFT(?, 500), finished_at = ? WHERE id = ?",
		    DB_PARAMS(DB_S(status), DB_SN(cli->job_counts), DB_SN(cli->message), DB_S(now), DB_I(cli->job_run_id)),
		    NULL, NULL, &err) < 0)
		log_kv(LOG_WARN, "job_run.not_recorded", "error", err.msg, (char *)NULL);
	/* After the record, so a success is the last success it reports. */
	job_metrics_write(cli, job_name(cli), run_started_us);
	run_started_us = 0;
	cli->job_run_id = 0;
}

int job_wiring_open(struct cli *cli, size_t size, int (*build)(struct cli *cli, void *w, struct settle_err *err),
		    struct settle_err *err)
{
	void *w = calloc(1, size);

	if (!w)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	cli->wired = w;
	if (build(cli, w, err) < 0)
		return -1;
	job_run_begin(cli);
	return 0;
}

void job_wiring_close(struct cli *cli, void (*release)(void *w))
{
	job_run_end(cli);
	if (cli->wired && release)
		release(cli->wired);
	free(cli->wired);
	cli->wired = NULL;
	wire_close_db(cli);
}

/* A job that needs nothing beyond the database (ledger-check). */
static int db_job_open(struct cli *cli, struct settle_err *err)
{
	if (wire_open_db(cli, err) < 0)
		return -1;
	job_run_begin(cli);
	return 0;
}

static void db_job_close(struct cli *cli)
{
	job_run_end(cli);
	wire_close_db(cli);
}

const struct cli_wiring job_db_wiring = {db_job_open, db_job_close};
