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

/* Called per record: fields are NUL-terminated, valid during the call.
 * line is the physical line the record starts on. Return 0 to go on, -1
 * (err set) to stop. */
typedef int (*csv_row_fn)(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err);

int csv_read_file(const char *path, csv_row_fn fn, void *arg, struct settle_err *err);

/* Checks a header row against the expected column names, naming the first
 * column that differs. */
int csv_expect_header(const char *path, const char *const *fields, size_t n, const char *const *expected,
		      struct settle_err *err);

#endif
