/*
 * ports/invoices_repo.h — invoice-issue's view of the database: a month's
 * pods left unsettled, the leaders with fee to invoice, their uninvoiced
 * settlements and clawbacks, and the invoices themselves (intent, outcome).
 *
 * Rule: a leader's invoices are planned with the leader's row locked, and
 * each settlement or clawback is tied to at most one invoice (a unique key
 * the database enforces), so two runners never invoice the same fee.
 */
#ifndef SETTLE_PORTS_INVOICES_REPO_H
#define SETTLE_PORTS_INVOICES_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/invoice.h"
#include "ports/uow.h"

/* A leader with settlements or clawbacks of the month not yet invoiced. */
struct invoice_leader {
	int64_t row_id;
	char leader_id[65];
	char kind[24];          /* INDIVIDUAL, INDIVIDUAL_BUSINESS, CORPORATE */
	char name[101];
	char email[255];
	char brn[16];           /* as stored; "" when none */
};

/* An invoice already recorded for the leader and month. */
struct invoice_rec {
	int64_t id;
	char public_id[41];
	char leader_id[65];
	int sequence;
	char type_code[5];
	char amendment_code[3];
	char status[16];        /* DRAFT, ISSUED, …, REJECTED */
	char mgt_key[INVOICE_MGT_KEY_MAX + 1];
	char issue_id[APPROVAL_LEN + 1];
	char write_date[9];
	int64_t supply, vat, total;
	int late;
	char xml_path[501];
};

/* A document waiting for its provider's outcome (status DRAFT). */
typedef int (*invoice_rec_fn)(void *arg, const struct invoice_rec *r, struct settle_err *err);

struct invoices_repo {
	void *self;
	/* Pods completed in [start, end) whose money is not all settled
	 * (escrows holding, disputed, or released and unsettled): up to cap
	 * ids into out, *n the whole count. */
	int (*unsettled_pods)(void *self, struct uow *tx, const char *start, const char *end, char (*out)[65],
			      size_t cap, size_t *n, struct settle_err *err);
	/* Leaders (by row id, after after_row) with uninvoiced settlements or
	 * clawbacks of settlements whose pod completed in [start, end); the
	 * leader's row locked for tx. 1 found, 0 none. */
	int (*next_leader)(void *self, struct uow *tx, const char *start, const char *end, int64_t after_row,
			   struct invoice_leader *out, struct settle_err *err);
	/* The leader's uninvoiced items of the month, grouped by pod:
	 * settlements (their supply and VAT, dated the pod's completion) and,
	 * when with_clawbacks, clawbacks (negative, dated their own day). */
	int (*items)(void *self, struct uow *tx, const char *leader_id, const char *start, const char *end,
		     int with_clawbacks, struct invoice_item *out, size_t cap, size_t *n, struct settle_err *err);
	/* The leader's invoices of the period, by sequence. */
	int (*invoices)(void *self, struct uow *tx, const char *leader_id, const char *period, struct invoice_rec *out,
			size_t cap, size_t *n, struct settle_err *err);
	/* Records the intent: the document DRAFT with its lines and items
	 * (a fresh public id into public_id); original_id 0 for an original. */
	int (*insert)(void *self, struct uow *tx, const struct invoice_doc *d, const char *leader_id, int64_t original_id,
		      const struct invoice_item *items, size_t n_items, const char *now, char public_id[41],
		      int64_t *id, struct settle_err *err);
	/* The outcome of a draft: to ISSUED with the approval number and where
	 * its XML is, or to REJECTED with the provider's code and message (its
	 * items stay tied to it: an operator decides). The move is the
	 * domain's (invoice_transition); a row no longer DRAFT is refused. */
	int (*outcome)(void *self, struct uow *tx, int64_t id, enum invoice_status to, const char *issue_id,
		       const char *xml_path, const char *code, const char *message, const char *now,
		       struct settle_err *err);
	/* The call was made (submitted_at) or left in doubt (doubt_count + 1). */
	int (*attempted)(void *self, struct uow *tx, int64_t id, int in_doubt, const char *now, struct settle_err *err);
	/* Reloads a document as recorded: its lines, the invoicee, the
	 * original's approval number; the leader and the public id. */
	int (*load)(void *self, struct uow *tx, int64_t id, struct invoice_doc *d, struct invoice_line *lines,
		    size_t cap, struct invoice_leader *leader, char public_id[41], struct settle_err *err);
	/* DRAFT documents of the period (all leaders), oldest first. */
	int (*drafts)(void *self, struct uow *tx, const char *period, invoice_rec_fn fn, void *arg,
		      struct settle_err *err);
};

#endif
