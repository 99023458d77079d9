/*
 * settlement.h — settle-run: every pod's released money split 80/20 (by
 * default) into a settlement, and the leader's next payout.
 *
 * Rule: a leader is never split across units of work: their settlements,
 * their journal entries and the payout that carries every settlement and
 * clawback not yet carried commit together, or not at all. A unit takes
 * up to [settlement] batch leaders, claimed with SKIP LOCKED, so several
 * runners give the same result as one.
 */
#ifndef SETTLE_APP_SETTLEMENT_H
#define SETTLE_APP_SETTLEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/rates.h"
#include "ports/clock.h"
#include "ports/ledger_repo.h"
#include "ports/outbox.h"
#include "ports/payouts_repo.h"
#include "ports/settlement_repo.h"
#include "ports/uow.h"

struct settle_ctx {
	const struct uow_port *uow;
	const struct settlement_repo *settlements;
	const struct payouts_repo *payouts;
	const struct ledger_repo *ledger;
	const struct outbox_port *outbox; /* the leader's notice (issue 14); NULL: none */
	const struct clock_port *clock;
	const char *actor;
	int fee_bps;             /* [settlement] fee_bps, 2000 */
	int leaders_per_unit;    /* [settlement] batch: leaders per unit of work */
	int64_t payout_minimum;  /* [payout] minimum: a smaller payout waits for more */
	char channel[24];        /* [payout] channel: the bank adapter's name */
	int channel_needs_account; /* it pays to a bank account (else to a seller id) */
	struct rate_table rates; /* [payout] rates (withholding, dated) */
};

struct settle_opts {
	const char *const *pods; /* --pod: only these pods (NULL = all) */
	size_t n_pods;
	int dry_run;
};

/* What happened for one leader (printed as a row of the settlement table). */
struct settle_leader_result {
	const char *leader_id;
	const struct settlement_rec *settled; /* this run's settlements */
	size_t n_settled;
	const struct payout_rec *payout;      /* NULL when none was created */
	int64_t carried_gross;                /* what waits (no payout): below minimum or ≤ 0 */
	const char *why_no_payout;            /* NULL, or the reason */
};

struct settle_report {
	int64_t leaders, settlements, payouts, held, carried;
	int64_t total, fee, vat, leader_share, withholding, paid_out;
	int64_t unknown_leaders, unknown_pods; /* released money whose leader is not loaded */
	char currency[4];
};

typedef int (*settle_row_fn)(void *arg, const struct settle_leader_result *r);

int settle_run(const struct settle_ctx *c, const struct settle_opts *o, settle_row_fn fn, void *arg,
	       struct settle_report *rep, struct settle_err *err);

/* The leader's settlement notice (statement.c): the statement of the n_s
 * settlements a unit made for one leader (s, in order) and the payout it
 * made them (NULL: none). Pure. */
int settle_note_statement(struct outbox_note *n, const struct settlement_rec *s, size_t n_s,
			  const struct payout_rec *p, const char *now, struct settle_err *err);

#endif
