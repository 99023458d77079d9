/* postings.c — the posting templates of every money event (see postings.h). */
#include "domain/postings.h"

#include <stdio.h>
#include <string.h>

/* One business event, kind:ref, moving amount onto debit (+) from credit
 * (−); each account is base or base:key (key NULL for a plain account). */
static int event_move(struct journal_entry *e, char key[ENTRY_KEY_MAX], const char *kind, const char *ref,
		      const char *debit, const char *debit_key, const char *credit, const char *credit_key,
		      const char *cur, int64_t amount, struct settle_err *err)
{
	char dr[ACCOUNT_MAX], cr[ACCOUNT_MAX];
	struct money m;

	journal_init(e, kind, ref);
	snprintf(key, ENTRY_KEY_MAX, "%s:%s", kind, ref);
	memcpy(m.cur, cur, sizeof m.cur);
	m.minor = amount;
	if (account_name(dr, sizeof dr, debit, debit_key, err) < 0 ||
	    account_name(cr, sizeof cr, credit, credit_key, err) < 0)
		return -1;
	return journal_move(e, dr, cr, m, err);
}

int postings_capture(const struct payment_rec *p, struct journal_entry *e, char key[ENTRY_KEY_MAX],
		     struct settle_err *err)
{
	return event_move(e, key, "capture", p->public_id, "pg_clearing", p->pg, "escrow", p->pod_id, p->currency,
			  p->amount, err);
}

int postings_refund(const struct payment_rec *p, const struct refund_rec *r, struct journal_entry *e,
		    char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	return event_move(e, key, "refund", r->public_id, "escrow", p->pod_id, "pg_clearing", p->pg, r->currency,
			  r->amount, err);
}

int postings_release(const struct escrow *e, struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	return event_move(je, key, "release", e->public_id, "escrow", e->pod_id, "released", e->pod_id, e->currency,
			  e->released, err);
}

int postings_settlement(const char *public_id, const char *pod_id, const char *leader_id, const char *currency,
			const struct settlement_split *s, struct journal_entry *je, char key[ENTRY_KEY_MAX],
			struct settle_err *err)
{
	char released[ACCOUNT_MAX], payable[ACCOUNT_MAX];

	journal_init(je, "settlement", public_id);
	snprintf(key, ENTRY_KEY_MAX, "settlement:%s", public_id);
	if (account_name(released, sizeof released, "released", pod_id, err) < 0 ||
	    account_name(payable, sizeof payable, "leader_payable", leader_id, err) < 0 ||
	    journal_post(je, released, s->total, currency, err) < 0 ||
	    (s->supply && journal_post(je, "platform_revenue", -s->supply, currency, err) < 0) ||
	    (s->vat && journal_post(je, "vat_payable", -s->vat, currency, err) < 0) ||
	    (s->leader_share && journal_post(je, payable, -s->leader_share, currency, err) < 0))
		return -1;
	return journal_check(je, err);
}

int postings_withholding(const struct payout_rec *p, struct journal_entry *je, char key[ENTRY_KEY_MAX],
			 struct settle_err *err)
{
	return event_move(je, key, "withholding", p->public_id, "leader_payable", p->leader_id, "withholding_payable",
			  NULL, p->currency, p->withholding, err);
}

int postings_payout_paid(const struct payout_rec *p, const char *source, struct journal_entry *je,
			 char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	return event_move(je, key, "payout", p->public_id, "leader_payable", p->leader_id, source, NULL, p->currency,
			  p->amount, err);
}

int postings_payout_reversal(const struct payout_rec *p, int was_paid, const char *source, int64_t reverses,
			     struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	char payable[ACCOUNT_MAX];
	int64_t back = p->withholding + (was_paid ? p->amount : 0);

	journal_init(je, "reversal", p->public_id);
	je->reverses = reverses;
	snprintf(key, ENTRY_KEY_MAX, "reversal:%s", p->public_id);
	if (account_name(payable, sizeof payable, "leader_payable", p->leader_id, err) < 0)
		return -1;
	/* What the leader is owed again: the whole gross. */
	if (back == 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "payout %s: nothing to reverse", p->public_id);
	if (journal_post(je, payable, -back, p->currency, err) < 0 ||
	    (p->withholding && journal_post(je, "withholding_payable", p->withholding, p->currency, err) < 0) ||
	    (was_paid && journal_post(je, source, p->amount, p->currency, err) < 0))
		return -1;
	return journal_check(je, err);
}

int postings_refund_released(const struct payment_rec *p, const struct refund_rec *r, struct journal_entry *e,
			     char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	return event_move(e, key, "refund", r->public_id, "released", p->pod_id, "pg_clearing", p->pg, r->currency,
			  r->amount, err);
}

int postings_clawback(const struct refund_rec *r, const char *pg, const char *leader_id, const struct clawback_split *c,
		      struct journal_entry *e, char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	char payable[ACCOUNT_MAX], clearing[ACCOUNT_MAX];

	/* The refund's own key and kind: ledger-check finds exactly one
	 * refund entry per completed refund, whatever accounts it moves. */
	journal_init(e, "refund", r->public_id);
	snprintf(key, ENTRY_KEY_MAX, "refund:%s", r->public_id);
	if (account_name(payable, sizeof payable, "leader_payable", leader_id, err) < 0 ||
	    account_name(clearing, sizeof clearing, "pg_clearing", pg, err) < 0 ||
	    journal_post(e, clearing, -c->refund, r->currency, err) < 0 ||
	    (c->leader_part && journal_post(e, payable, c->leader_part, r->currency, err) < 0) ||
	    (c->supply_part && journal_post(e, "platform_revenue", c->supply_part, r->currency, err) < 0) ||
	    (c->vat_part && journal_post(e, "vat_payable", c->vat_part, r->currency, err) < 0))
		return -1;
	return journal_check(e, err);
}
