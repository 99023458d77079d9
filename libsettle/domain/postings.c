/* postings.c — the posting templates of capture and refund (see postings.h). */
#include "domain/postings.h"

#include <stdio.h>
#include <string.h>

static int escrow_move(const char *pod_id, const char *cur, int64_t amount, int into_escrow, struct journal_entry *e,
		       struct settle_err *err)
{
	char escrow_acct[ACCOUNT_MAX];
	struct money m;

	memcpy(m.cur, cur, sizeof m.cur);
	m.minor = amount;
	if (account_name(escrow_acct, sizeof escrow_acct, "escrow", pod_id, err) < 0)
		return -1;
	return into_escrow ? journal_move(e, "pg_clearing", escrow_acct, m, err)
			   : journal_move(e, escrow_acct, "pg_clearing", m, err);
}

int postings_capture(const struct payment_rec *p, struct journal_entry *e, char key[ENTRY_KEY_MAX],
		     struct settle_err *err)
{
	journal_init(e, "capture", p->public_id);
	snprintf(key, ENTRY_KEY_MAX, "capture:%s", p->public_id);
	return escrow_move(p->pod_id, p->currency, p->amount, 1, e, err);
}

int postings_refund(const struct payment_rec *p, const struct refund_rec *r, struct journal_entry *e,
		    char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	journal_init(e, "refund", r->public_id);
	snprintf(key, ENTRY_KEY_MAX, "refund:%s", r->public_id);
	return escrow_move(p->pod_id, r->currency, r->amount, 0, e, err);
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
