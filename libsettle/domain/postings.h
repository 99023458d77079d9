/*
 * domain/postings.h — the journal entries of the payment events: which
 * accounts a capture and a refund move (DESIGN.md §5), and the unique key
 * of each business event.
 *
 * Rule: the entry key is derived from the event (capture:{payment},
 * refund:{refund}), so the same event can never be posted twice.
 */
#ifndef SETTLE_DOMAIN_POSTINGS_H
#define SETTLE_DOMAIN_POSTINGS_H

#include <stddef.h>

#include "domain/err.h"
#include "domain/escrow.h"
#include "domain/payout.h"
#include "domain/settlement.h"
#include "domain/journal.h"
#include "domain/payment.h"
#include "domain/refund.h"

#define ENTRY_KEY_MAX 160

/* Capture: pg_clearing:{pg} +amount, escrow:{pod} −amount. What a PG owes
 * is kept per PG, so that each PG's settlement reconciles on its own. */
int postings_capture(const struct payment_rec *p, struct journal_entry *e, char key[ENTRY_KEY_MAX],
		     struct settle_err *err);

/* Refund while held: escrow:{pod} +amount, pg_clearing −amount. */
int postings_refund(const struct payment_rec *p, const struct refund_rec *r, struct journal_entry *e,
		    char key[ENTRY_KEY_MAX], struct settle_err *err);

/* Refund after the release, before the settlement: released:{pod}
 * +amount, pg_clearing −amount. */
int postings_refund_released(const struct payment_rec *p, const struct refund_rec *r, struct journal_entry *e,
			     char key[ENTRY_KEY_MAX], struct settle_err *err);

/* Refund after the settlement (a clawback): pg_clearing −refund,
 * leader_payable:{leader} +leader part, platform_revenue +supply part,
 * vat_payable +VAT part. */
int postings_clawback(const struct refund_rec *r, const char *pg, const char *leader_id, const struct clawback_split *c,
		      struct journal_entry *e, char key[ENTRY_KEY_MAX], struct settle_err *err);

/* Release: escrow:{pod} +released, released:{pod} −released. */
int postings_release(const struct escrow *e, struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err);

/* Settlement of a pod: released:{pod} +total, platform_revenue −supply,
 * vat_payable −vat, leader_payable:{leader} −leader_share. */
int postings_settlement(const char *public_id, const char *pod_id, const char *leader_id, const char *currency,
			const struct settlement_split *s, struct journal_entry *je, char key[ENTRY_KEY_MAX],
			struct settle_err *err);

/* Withholding kept when a payout is created: leader_payable:{leader}
 * +withholding, withholding_payable −withholding. */
int postings_withholding(const struct payout_rec *p, struct journal_entry *je, char key[ENTRY_KEY_MAX],
			 struct settle_err *err);

/* A payout paid (the money left): leader_payable:{leader} +amount,
 * source −amount (the account the channel pays from). */
int postings_payout_paid(const struct payout_rec *p, const char *source, struct journal_entry *je,
			 char key[ENTRY_KEY_MAX], struct settle_err *err);

/* A payout FAILED or RETURNED: its withholding (and, when it had been
 * paid, its payment) reversed; reverses names the withholding entry. */
int postings_payout_reversal(const struct payout_rec *p, int was_paid, const char *source, int64_t reverses,
			     struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err);

#endif
