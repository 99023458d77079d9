/* sink_base.h — what every report sink struct starts with, so report_sink_free serves them all. */
#ifndef SETTLE_ADAPTERS_REPORT_SINK_BASE_H
#define SETTLE_ADAPTERS_REPORT_SINK_BASE_H

#include <stdio.h>

#include "domain/err.h"
#include "ports/report_sink.h"

struct sink_base {
	struct report_sink port; /* port.self points back here */
	void (*destroy)(struct sink_base *b);
};

/* Whether what was written to fp so far reached it (0), or the error. */
static inline int sink_written(FILE *fp, struct settle_err *err)
{
	return ferror(fp) ? err_set(err, SETTLE_EX_IOERR, "report: write failed") : 0;
}

/* The end of a report: everything flushed to fp (0), or the error. */
static inline int sink_flushed(FILE *fp, struct settle_err *err)
{
	if (fflush(fp) != 0 || ferror(fp))
		return err_set(err, SETTLE_EX_IOERR, "report: write failed");
	return 0;
}

#endif
