/*
 * completions.h — recording pod completions from the Study Service.
 *
 * escrow_record_completions reads the cursor "study.completions" from
 * job_cursors, pages through the Study port's completions after it, and
 * for each page, in one unit of work, marks the known pods COMPLETED at
 * the service's time and moves the cursor past the page. A pod settle has
 * never seen has no escrow: it is skipped and counted. The network call is
 * made outside the transaction (DESIGN.md §7); the cursor is re-read and
 * compared inside it, so a runner that lost the race changes nothing.
 */
#ifndef SETTLE_APP_ESCROW_COMPLETIONS_H
#define SETTLE_APP_ESCROW_COMPLETIONS_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/clock.h"
#include "ports/completions_repo.h"
#include "ports/study.h"
#include "ports/uow.h"

#define COMPLETIONS_CURSOR "study.completions"

struct completions_ctx {
	const struct uow_port *uow;
	const struct completions_repo *repo;
	const struct study_port *study;
	const struct clock_port *clock;
	size_t page; /* completions asked for per call, 1..1000 (0 = 100) */
};

struct completions_report {
	size_t recorded; /* pods marked completed */
	size_t unknown;  /* completions of pods settle does not have */
	size_t pages;
};

/* 0, or -1 with err (the Study port's code, or the database's). Pages
 * already committed stay committed; the next run continues after them. */
int escrow_record_completions(const struct completions_ctx *c, struct completions_report *r,
			      struct settle_err *err);

#endif
