/*
 * bulk_result.h — the bank's result file for a bulk transfer, read whole
 * and checked before anyone acts on it.
 *
 * Layout (CSV, UTF-8, LF or CRLF, a UTF-8 BOM tolerated):
 *   payout_id,amount,status,reference,message
 * status is PAID, FAILED or RETURNED; amount is a positive integer in
 * minor units (digits only); reference and message may be empty.
 *
 * Rule: the file is accepted whole or refused whole. The first fault
 * found — a wrong or missing header, a line with the wrong number of
 * fields, a bad id, amount or status, a payout id seen twice, bytes that
 * are not UTF-8, a line longer than BULK_RESULT_LINE_MAX, no rows at all —
 * refuses it with EX_DATAERR and "FILE:LINE: what", and no rows are
 * returned. Matching rows against settle's payouts (unknown payout, wrong
 * amount) is the caller's, over the returned array, before it applies any
 * row; each row keeps its line for that message.
 */
#ifndef SETTLE_ADAPTERS_BANK_BULK_RESULT_H
#define SETTLE_ADAPTERS_BANK_BULK_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "ports/bank.h"

#define BULK_RESULT_LINE_MAX 1024          /* bytes per line, end of line included */
#define BULK_RESULT_FILE_MAX (64u << 20)   /* 64 MiB: ~ 500 000 lines */

struct bulk_result_row {
	long line;                /* physical line in the file (the header is 1) */
	char payout_id[65];
	int64_t amount;
	enum bank_status status;  /* BANK_ST_PAID, BANK_ST_FAILED or BANK_ST_RETURNED */
	char reference[129];
	char message[256];
};

struct bulk_result {
	struct bulk_result_row *rows; /* malloc'd, in file order */
	size_t n;
};

/* Parses len bytes named `name` (for messages). 0 and out filled, or -1
 * with err and out empty. */
int bulk_result_parse(const char *name, const char *data, size_t len, struct bulk_result *out,
		      struct settle_err *err);

/* Reads and parses the file at path (EX_NOINPUT when it cannot be read). */
int bulk_result_load(const char *path, struct bulk_result *out, struct settle_err *err);

void bulk_result_free(struct bulk_result *r);

#endif
