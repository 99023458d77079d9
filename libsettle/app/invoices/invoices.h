/*
 * invoices.h — invoice-issue: one e-tax invoice per business leader for the
 * platform's fee of a month, amendments when a clawback (or a late
 * settlement) changes an invoiced month (research/tax.md; DESIGN.md §4, §7).
 *
 * Rules:
 * - A month is refused while pods completed in it are unsettled, and before
 *   it has ended (its invoice is dated its last day).
 * - A leader with a missing or malformed business number is not invoiced;
 *   the run lists them and ends with 65 after invoicing the others.
 * - Past the deadline (the 10th of the next month) nothing is issued
 *   without --late; with it, the documents are issued and reported late.
 * - Everything is planned first in a transaction that is rolled back (the
 *   dry run, the deadline and schema checks), so a refusal changes nothing.
 * - Each document: intent (DRAFT with its derived key and what it is made
 *   of) committed, then the provider's call, then the outcome with the
 *   approval number and the XML written to the outbox. A draft left by an
 *   earlier run is looked up first, never sent again blind.
 */
#ifndef SETTLE_APP_INVOICES_H
#define SETTLE_APP_INVOICES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/invoice.h"
#include "ports/clock.h"
#include "ports/einvoice.h"
#include "ports/invoices_repo.h"
#include "ports/outbox.h"
#include "ports/uow.h"

struct invoice_ctx {
	const struct uow_port *uow;
	const struct invoices_repo *repo;
	const struct einvoice_port *provider;
	const struct invoice_outbox *outbox;
	const struct clock_port *clock;
	struct invoice_party platform; /* the supplier: [platform] */
	size_t max_lines;              /* ≤ INVOICE_LINES_MAX */
	/* The leader's notice of an invoice issued (issue 14), added with the
	 * outcome that records it; NULL: nobody is told. */
	const struct outbox_port *notes;
};

struct invoice_opts {
	const char *month; /* "YYYY-MM" */
	int late;          /* --late */
	int dry_run;
};

/* One document as the run left it. */
struct invoice_row {
	const struct invoice_doc *doc;
	const char *leader_id;
	const char *public_id; /* "" in a dry run */
	const char *status;    /* ISSUED, REJECTED, IN-DOUBT, PLANNED */
	const char *xml_path;  /* "" when none was written */
	const char *note;      /* the provider's refusal, or NULL */
};

struct invoice_report {
	int64_t documents, issued, amendments, rejected, in_doubt, late, skipped, individuals;
	int64_t supply, vat; /* of the documents issued */
	char skipped_list[256]; /* "leader-lee (business registration number … fails its check digit), …" */
};

typedef int (*invoice_row_fn)(void *arg, const struct invoice_row *r);
/* A business leader not invoiced, and why. */
typedef void (*invoice_skip_fn)(void *arg, const char *leader_id, const char *why);

int invoice_issue(const struct invoice_ctx *c, const struct invoice_opts *o, invoice_row_fn row, invoice_skip_fn skip,
		  void *arg, struct invoice_report *rep, struct settle_err *err);

#endif
