/*
 * csv_reader.h — streaming CSV (RFC 4180, through libcsv) with line
 * numbers, so an error can say "pods.csv:7: fee: …".
 *
 * Rule: rows are handed out one at a time and never accumulated, so a
 * file of any size is read in constant memory.
 */
#ifndef SETTLE_ADAPTERS_CSV_READER_H
#define SETTLE_ADAPTERS_CSV_READER_H

#include <stddef.h>

#include "domain/err.h"

#define CSV_MAX_FIELDS 32
/* One record (all its physical lines, line ends included, when a quoted
 * field holds newlines) is at most this many bytes; a longer one is refused
 * as soon as the limit is passed, never read into memory whole. */
#define CSV_RECORD_MAX 16384

/* Called per record: fields are NUL-terminated, valid during the call.
 * line is the physical line the record starts on. Blank lines (empty or
 * only spaces and tabs) are not records. Return 0 to go on, -1 (err set)
 * to stop. */
typedef int (*csv_row_fn)(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err);

int csv_read_file(const char *path, csv_row_fn fn, void *arg, struct settle_err *err);

/* Checks a header row against the expected column names, exactly (case,
 * spaces and all), naming the first column that differs. The header is
 * taken to be on line 1. */
int csv_expect_header(const char *path, const char *const *fields, size_t n, const char *const *expected,
		      struct settle_err *err);
/* The same for a header found on `line` (the first non-blank one). */
int csv_expect_header_at(const char *path, long line, const char *const *fields, size_t n,
			 const char *const *expected, struct settle_err *err);

#endif
