/*
 * report_out.h — the report sinks (CSV through libcsv, JSON through
 * jansson, a one-page HTML statement) and where they write: stdout, or a
 * file written atomically (a temp file in the same directory, fsync,
 * rename), and a month's pack directory with its SHA-256 manifest.
 *
 * Rules: CSV text fields are quoted by libcsv (csv_write), numbers are
 * bare integers of minor units, lines end in CRLF (RFC 4180), --bom puts
 * the UTF-8 byte-order mark first so Excel reads Hangul; headers are the
 * column keys, or the Korean names with ko; every HTML value is escaped.
 * A file is never seen half written: until commit it is a dot-file beside
 * its final name, and a failure removes it.
 */
#ifndef SETTLE_ADAPTERS_REPORT_OUT_H
#define SETTLE_ADAPTERS_REPORT_OUT_H

#include <stdio.h>

#include "domain/err.h"
#include "ports/report_pack.h"
#include "ports/report_sink.h"
#include "ports/rrn.h"

enum report_format { REPORT_CSV, REPORT_JSON, REPORT_HTML };

struct report_out_opts {
	enum report_format format;
	int bom;  /* CSV only */
	int ko;   /* Korean column names (CSV, HTML) */
	int terminal; /* stdout is a terminal: text that would act on it is escaped (util/termsafe.h) */
};

/* Sinks on an open stream (not owned); NULL when out of memory. */
struct report_sink *csv_sink_new(FILE *fp, const struct report_out_opts *o);
struct report_sink *json_sink_new(FILE *fp, const struct report_out_opts *o);
struct report_sink *html_sink_new(FILE *fp, const struct report_out_opts *o);
void report_sink_free(struct report_sink *s);

/* An output: path NULL is stdout. A path whose directory is missing is
 * refused (SETTLE_EX_NOINPUT) before anything is written. */
struct report_file;
int report_file_open(const char *path, const struct report_out_opts *o, struct report_file **out,
		     struct settle_err *err);
struct report_sink *report_file_sink(struct report_file *f);
/* commit: flush, fsync, rename into place; else remove the temp file.
 * Frees f either way. */
int report_file_close(struct report_file *f, int commit, struct settle_err *err);
/* Checks that the directory of path exists (for the command line). */
int report_output_dir_ok(const char *field, const char *path, struct settle_err *err);

/* A month's pack under base: extras are directories whose <month>/ files
 * are copied into <name>/ of the pack (the invoices' outbox, the PG
 * reconciliation), ended by {NULL, NULL}. */
struct pack_extra {
	const char *name, *src_dir;
};
struct report_pack *pack_dir_new(const char *base, const struct pack_extra *extras, const struct report_out_opts *o);
void pack_dir_free(struct report_pack *p);

/* The --with-rrn port: opens leaders.rrn_enc with the data key (copied). */
struct data_key;
struct rrn_port *rrn_port_new(const struct data_key *key);
void rrn_port_free(struct rrn_port *p);

#endif
