/*
 * ports/report_pack.h — a month's pack: one directory holding the month's
 * reports as files and a manifest of their SHA-256 sums (the
 * `sha256sum -c` format), written by `settle-report close`.
 *
 * Rule: every file is written atomically (temp file, fsync, rename), the
 * manifest last, so a pack with a manifest is whole.
 */
#ifndef SETTLE_PORTS_REPORT_PACK_H
#define SETTLE_PORTS_REPORT_PACK_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/report_sink.h"

struct report_pack {
	void *self;
	/* Creates (or reuses) <dir>/<month>/; its path in dir. */
	int (*open)(void *self, const char *month, char *dir, size_t len, struct settle_err *err);
	/* A sink writing <name> into the pack. */
	int (*file)(void *self, const char *name, struct report_sink **out, struct settle_err *err);
	/* ok: commit the file (rename into place); else throw it away. */
	int (*file_done)(void *self, struct report_sink *s, int ok, struct settle_err *err);
	/* The hooks: what other parts leave for the month (the invoices'
	 * outbox, the PG reconciliation) copied in; how many files. */
	int (*extras)(void *self, size_t *n, struct settle_err *err);
	/* Writes MANIFEST.sha256 over every file in the pack; its own sum in sha. */
	int (*manifest)(void *self, char sha[65], struct settle_err *err);
};

#endif
