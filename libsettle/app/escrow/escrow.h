/*
 * escrow.h — the escrow use cases: release after the hold (escrow-release).
 *
 * Rule: a release is a money move inside settle (escrow:{pod} →
 * released:{pod}); each batch is one unit of work that writes the escrow
 * rows and their journal entries together, so a run killed anywhere leaves
 * every escrow either released and posted, or untouched.
 */
#ifndef SETTLE_APP_ESCROW_H
#define SETTLE_APP_ESCROW_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "ports/clock.h"
#include "ports/ledger_repo.h"
#include "ports/outbox.h"
#include "ports/release_repo.h"
#include "ports/uow.h"

struct escrow_ctx {
	const struct uow_port *uow;
	const struct release_repo *release;
	const struct ledger_repo *ledger;
	const struct clock_port *clock;
	const char *actor;
	int hold_days; /* [escrow] hold_days, business days in Korea time */
	int batch;     /* escrows per unit of work */
	/* The leader's release notice, one per pod a unit releases (NULL:
	 * nobody is told). */
	const struct outbox_port *outbox;
};

struct release_opts {
	const char *const *pods; /* --pod: only these (NULL = every due escrow) */
	size_t n_pods;
	int now;                 /* --now: an operator releases before the hold ends */
	int dry_run;             /* list what would be released; commit nothing */
};

struct release_report {
	int64_t escrows;
	int64_t total;
	char currency[4];
};

/* Called for every escrow released (or, with dry_run, that would be). */
typedef int (*release_row_fn)(void *arg, const struct release_row *r);

/* escrow-release: refuses (EX_DATAERR, naming the pod and why, before any
 * change) a named pod that is unknown, not completed, or inside its hold
 * without `now`. */
int escrow_release_run(const struct escrow_ctx *c, const struct release_opts *o, release_row_fn fn, void *arg,
		       struct release_report *rep, struct settle_err *err);

/* The leader's release notices of a unit's n released rows: one per pod
 * (release_notes.c). scratch and notes have room for n; pure. */
int escrow_release_notes(const struct release_row *rows, size_t n, const char *now, const struct release_row **scratch,
			 struct outbox_note *notes, size_t *n_notes, struct settle_err *err);

#endif
