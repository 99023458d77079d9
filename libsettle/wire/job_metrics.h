/*
 * job_metrics.h — at the end of a job's run, its metrics for Prometheus'
 * textfile collector, when [metrics] textfile_dir is set (issue 11 §5).
 *
 * Rule: best effort. A directory that cannot be written is one warning
 * line; the job's work and exit status stay what they were.
 */
#ifndef SETTLE_WIRE_JOB_METRICS_H
#define SETTLE_WIRE_JOB_METRICS_H

#include <stdint.h>

#include "cli/cli.h"

/* The run started at started_us (wall clock, µs) and ends now. */
void job_metrics_write(struct cli *cli, const char *job, int64_t started_us);

#endif
