/*
 * reconcile.h — settle-report reconcile: our captures and refunds of a
 * period (Korea-time days) against the PG's settlement records, every
 * missing, extra or different payment with the PG's fee, and totals;
 * --post books what the PG settled.
 *
 * Rules: nothing is read from the PG inside a unit of work (the records
 * are listed first, then the books are read, then --post writes); the
 * whole source is checked before anything is compared, so a bad file or
 * answer changes nothing; only matched records paid out by today are
 * booked, each once, a batch of them per unit of work.
 */
#ifndef SETTLE_APP_REPORTS_RECONCILE_H
#define SETTLE_APP_REPORTS_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/reconcile.h"
#include "ports/clock.h"
#include "ports/ledger_repo.h"
#include "ports/pg_settlements.h"
#include "ports/reconcile_repo.h"
#include "ports/uow.h"

struct reconcile_ctx {
	const struct uow_port *uow;
	const struct reconcile_repo *repo;
	const struct ledger_repo *ledger;
	const struct clock_port *clock;
	const struct pg_settlements_port *source;
	size_t batch; /* records booked per unit of work */
	enum recon_into into; /* [reconcile] settled_into: bank or pg */
};

struct reconcile_opts {
	const char *from, *to; /* YYYY-MM-DD, Korea time, both included */
	int post;
	int dry_run;           /* with post: count what would be booked, book nothing */
};

struct reconcile_report {
	struct recon_totals t;
	int64_t outside;       /* the source's records sold outside the period (left out) */
	char today[11];
};

/* Called once per row, our events first (in the books' order), then the
 * PG's records we have no event for. */
typedef int (*reconcile_row_fn)(void *arg, const struct recon_finding *f, struct settle_err *err);

int reconcile_run(const struct reconcile_ctx *c, const struct reconcile_opts *o, reconcile_row_fn fn, void *arg,
		  struct reconcile_report *rep, struct settle_err *err);

/* The same as a finance report: a row a finding into sink (begun only
 * once the source has passed its checks, so a refused source writes
 * nothing), the totals row last (our amount, the PG's amount, the
 * difference, the PG's fee and payout, each summed). */
struct report_sink;
struct report_totals;
int report_reconcile(const struct reconcile_ctx *c, const struct reconcile_opts *o, struct report_sink *sink,
		     struct reconcile_report *rep, struct report_totals *tot, struct settle_err *err);

#endif
