/*
 * textfile.h — metrics for Prometheus' node_exporter textfile collector:
 * one file per job, <dir>/settle_<job>.prom, replaced whole.
 *
 * Rule: the file is written to a temporary name in the same directory and
 * renamed over the old one, so the collector never reads half a file.
 */
#ifndef SETTLE_ADAPTERS_METRICS_TEXTFILE_H
#define SETTLE_ADAPTERS_METRICS_TEXTFILE_H

#include <stddef.h>

#include "domain/err.h"

/* A file's text, built line by line (fixed size: a job has few series). */
struct textfile {
	char text[8192];
	size_t len;
	int overflow;
};

/* "# HELP" and "# TYPE" lines of a metric family. */
void textfile_family(struct textfile *t, const char *name, const char *type, const char *help);
/* One sample: name{labels} value. labels is "" or `job="x",outcome="y"`
 * (the caller's label values are plain names, never user text). */
void textfile_sample(struct textfile *t, const char *name, const char *labels, const char *value);

/* Writes t to dir/settle_<job>.prom atomically. job is [a-z0-9-]. */
int textfile_write(const char *dir, const char *job, const struct textfile *t, struct settle_err *err);

#endif
