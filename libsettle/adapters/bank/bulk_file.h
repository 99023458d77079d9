/*
 * bulk_file.h — the bank port as a bulk-transfer CSV for a bank's web
 * portal: send() writes one file per batch into an outbox directory; an
 * operator uploads it; the bank's result file comes back through
 * bulk_result.h.
 *
 * Rule: the file appears whole or not at all (temp file in the same
 * directory, fsync, link to its final name, fsync of the directory), is
 * mode 0600 because it holds account numbers in clear, and never replaces
 * an existing file. Account numbers are never logged or put in messages.
 *
 * Layout (UTF-8, CRLF, every data field quoted by libcsv):
 *   bank_code,account_number,holder,amount,memo,payout_id
 * File name: payouts-<UTC YYYYMMDDTHHMMSSZ>-<first payout id>.csv, with
 * "-2", "-3"… before ".csv" if that name is taken.
 * Answers: BANK_OK / BANK_ST_ACCEPTED, reference "<file name>:<line>"; an
 * order that fails validation is BANK_REFUSED INVALID_REQUEST and left out
 * of the file; a write failure is BANK_IN_DOUBT WRITE_FAILED for every
 * valid order (nothing was written, but an operator should look).
 * status() is always BANK_IN_DOUBT / BANK_ST_UNKNOWN: only the result
 * file knows.
 */
#ifndef SETTLE_ADAPTERS_BANK_BULK_FILE_H
#define SETTLE_ADAPTERS_BANK_BULK_FILE_H

#include "domain/err.h"
#include "ports/bank.h"

#define BULK_FILE_MAX_BATCH 1000

struct bulk_file_config {
	const char *outbox_dir;  /* must exist and be a directory */
	long long (*now)(void);  /* seconds since the epoch for the file name; NULL = time() */
};

/* NULL with err (EX_CONFIG) when the outbox is not a writable directory.
 * Free with port->destroy(port->self). */
struct bank_port *bulk_file_new(const struct bulk_file_config *cfg, struct settle_err *err);

#endif
