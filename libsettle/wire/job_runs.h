/*
 * job_runs.h — every run of a batch job leaves a row in job_runs: job,
 * host, pid, start, end, what it did and how it ended (DESIGN.md §7), so
 * an operator sees at a glance that the jobs ran. A run killed before it
 * ends stays RUNNING with its start time: visibly stale.
 */
#ifndef SETTLE_WIRE_JOB_RUNS_H
#define SETTLE_WIRE_JOB_RUNS_H

#include "cli/cli.h"

/* A batch job's wiring in one call: allocates size bytes for cli->wired,
 * builds them with build (which opens the database), and starts the run's
 * record. job_wiring_close ends the record, lets the wiring release what
 * it holds (release may be NULL), frees it and closes the database. */
int job_wiring_open(struct cli *cli, size_t size, int (*build)(struct cli *cli, void *w, struct settle_err *err),
		    struct settle_err *err);
void job_wiring_close(struct cli *cli, void (*release)(void *w));

/* The database and a run record (and metrics), for a job that needs
 * nothing more: .wiring = &job_db_wiring. */
extern const struct cli_wiring job_db_wiring;

/* Called by a job's wiring once the database is open. Best effort: a
 * failure to record is logged, never a reason not to run the job. */
void job_run_begin(struct cli *cli);

/* Called by the wiring's close: DONE (0), PARTIAL (75: work left in
 * doubt or held) or FAILED, with cli->job_counts and cli->message; then
 * the run's metrics when [metrics] textfile_dir is set (job_metrics.h).
 * Does nothing when no run began. */
void job_run_end(struct cli *cli);

#endif
