/* postings.c — the posting templates of capture and refund (see postings.h). */
#include "domain/postings.h"

#include <stdio.h>
#include <string.h>

static int escrow_move(const char *pod_id, const char *pg, const char *cur, int64_t amount, int into_escrow,
		       struct journal_entry *e, struct settle_err *err)
{
	char escrow_acct[ACCOUNT_MAX], clearing[ACCOUNT_MAX];
	struct money m;

	memcpy(m.cur, cur, sizeof m.cur);
	m.minor = amount;
	if (account_name(escrow_acct, sizeof escrow_acct, "escrow", pod_id, err) < 0 ||
	    account_name(clearing, sizeof clearing, "pg_clearing", pg, err) < 0)
		return -1;
	return into_escrow ? journal_move(e, clearing, escrow_acct, m, err) : journal_move(e, escrow_acct, clearing, m, err);
}

int postings_capture(const struct payment_rec *p, struct journal_entry *e, char key[ENTRY_KEY_MAX],
		     struct settle_err *err)
{
	journal_init(e, "capture", p->public_id);
	snprintf(key, ENTRY_KEY_MAX, "capture:%s", p->public_id);
	return escrow_move(p->pod_id, p->pg, p->currency, p->amount, 1, e, err);
}

int postings_refund(const struct payment_rec *p, const struct refund_rec *r, struct journal_entry *e,
		    char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	journal_init(e, "refund", r->public_id);
	snprintf(key, ENTRY_KEY_MAX, "refund:%s", r->public_id);
	return escrow_move(p->pod_id, p->pg, r->currency, r->amount, 0, e, err);
}

int postings_release(const struct escrow *e, struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	char from[ACCOUNT_MAX], to[ACCOUNT_MAX];
	struct money m;

	journal_init(je, "release", e->public_id);
	snprintf(key, ENTRY_KEY_MAX, "release:%s", e->public_id);
	memcpy(m.cur, e->currency, sizeof m.cur);
	m.minor = e->released;
	if (account_name(from, sizeof from, "escrow", e->pod_id, err) < 0 ||
	    account_name(to, sizeof to, "released", e->pod_id, err) < 0)
		return -1;
	return journal_move(je, from, to, m, err);
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
	char payable[ACCOUNT_MAX];
	struct money m;

	journal_init(je, "withholding", p->public_id);
	snprintf(key, ENTRY_KEY_MAX, "withholding:%s", p->public_id);
	memcpy(m.cur, p->currency, sizeof m.cur);
	m.minor = p->withholding;
	if (account_name(payable, sizeof payable, "leader_payable", p->leader_id, err) < 0)
		return -1;
	return journal_move(je, payable, "withholding_payable", m, err);
}

int postings_payout_paid(const struct payout_rec *p, const char *source, struct journal_entry *je,
			 char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	char payable[ACCOUNT_MAX];
	struct money m;

	journal_init(je, "payout", p->public_id);
	snprintf(key, ENTRY_KEY_MAX, "payout:%s", p->public_id);
	memcpy(m.cur, p->currency, sizeof m.cur);
	m.minor = p->amount;
	if (account_name(payable, sizeof payable, "leader_payable", p->leader_id, err) < 0)
		return -1;
	return journal_move(je, payable, source, m, err);
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
	char released[ACCOUNT_MAX], clearing[ACCOUNT_MAX];
	struct money m;

	journal_init(e, "refund", r->public_id);
	snprintf(key, ENTRY_KEY_MAX, "refund:%s", r->public_id);
	memcpy(m.cur, r->currency, sizeof m.cur);
	m.minor = r->amount;
	if (account_name(released, sizeof released, "released", p->pod_id, err) < 0 ||
	    account_name(clearing, sizeof clearing, "pg_clearing", p->pg, err) < 0)
		return -1;
	return journal_move(e, released, clearing, m, err);
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
