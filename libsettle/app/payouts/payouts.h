/*
 * payouts.h — payout-send: the leaders' payouts through a bank port, with
 * the discipline of pay-capture (DESIGN.md §7): the intent (SENDING, the
 * payout's idempotency key) is committed before the call, the outcome
 * after; a payout in doubt is asked about later and never sent again
 * blind. FAILED and RETURNED are final: the payout's entries are reversed
 * and what it carried becomes carryable again, so the next settle-run pays
 * it in one new payout.
 */
#ifndef SETTLE_APP_PAYOUTS_H
#define SETTLE_APP_PAYOUTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/payout.h"
#include "ports/bank.h"
#include "ports/claims.h"
#include "ports/clock.h"
#include "ports/ledger_repo.h"
#include "ports/outbox.h"
#include "ports/payees.h"
#include "ports/payouts_repo.h"
#include "ports/uow.h"

struct payout_ctx {
	const struct uow_port *uow;
	const struct payouts_repo *payouts;
	const struct payees_port *payees;
	const struct claims_port *claims;
	const struct ledger_repo *ledger;
	const struct outbox_port *outbox; /* the leader's notices (issue 14); NULL: none */
	const struct clock_port *clock;
	const struct bank_directory *banks;
	const char *actor;
	const char *owner;   /* this process as a claimer */
	int batch;           /* payouts per unit of work */
	int lease_s;         /* claim lease */
	int doubt_backoff_s; /* first look after a doubt; doubles */
	int recheck_s;       /* how often a SENT payout is asked about */
};

struct payout_report {
	int64_t promoted, sent, paid, failed, returned, in_doubt, still_held, looked_at;
	int64_t held_by_others; /* payouts another live sender holds: not done by this run */
	int64_t amount_sent;
};

/* Sends every PENDING payout, then asks about those in doubt or sent and
 * not yet known paid. */
int payout_send(const struct payout_ctx *c, struct payout_report *rep, struct settle_err *err);

/* One row of a bank's result file, already parsed. */
struct payout_result_row {
	long line;
	const char *payout_id;
	int64_t amount;
	enum bank_status status; /* BANK_ST_PAID, BANK_ST_FAILED or BANK_ST_RETURNED */
	const char *reference, *message;
};

/* payout-send --import-result: every row is checked first (known payout,
 * same amount, a state that can take the result) and the whole file is
 * refused, naming its line, on the first that is not; then all rows apply
 * in one unit of work. A row repeating a payout's final state changes
 * nothing (a file imported twice). */
int payout_import(const struct payout_ctx *c, const char *file, const struct payout_result_row *rows, size_t n,
		  struct payout_report *rep, struct settle_err *err);

/* A status the bank pushed, already authenticated (a signed notification):
 * a payout in flight (SENDING or SENT) moves as if a look-up had answered
 * it; any other payout is left as it is. 1 moved, 0 nothing to do, -1
 * with err (EX_NOINPUT: no such payout). *out: the payout after. */
int payout_notified(const struct payout_ctx *c, const char *public_id, enum bank_status status,
		    const char *source_account, struct payout_rec *out, struct settle_err *err);

#endif
