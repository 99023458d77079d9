/*
 * apply.c — what a bank's answer does to a payout. The same rules for the
 * answer to a send, to a look-up, and to a line of a result file, so a
 * payout is judged the same way whichever path finishes it.
 */
#include <stdio.h>
#include <string.h>

#include "app/notify/note.h"
#include "app/payouts/apply.h"
#include "domain/postings.h"
#include "domain/timefmt.h"

static int post_one(const struct payout_ctx *c, struct uow *tx, struct journal_entry *je, const char *key,
		    const char *now, struct settle_err *err)
{
	const char *keys[1] = {key};

	return c->ledger->post(c->ledger->self, tx, keys, je, 1, now, err);
}

static int paid(const struct payout_ctx *c, struct uow *tx, struct payout_rec *p, const char *source, const char *now,
		struct settle_err *err)
{
	struct journal_entry je;
	char key[ENTRY_KEY_MAX];

	if (payout_transition(p->status, PAYOUT_PAID, err) < 0)
		return err_prefix(err, "payout %s", p->public_id);
	p->status = PAYOUT_PAID;
	if (postings_payout_paid(p, source, &je, key, err) < 0 || post_one(c, tx, &je, key, now, err) < 0)
		return -1;
	return 0;
}

/* FAILED or RETURNED: reverse what was booked, let go of the items. */
static int undone(const struct payout_ctx *c, struct uow *tx, struct payout_rec *p, enum payout_status to,
		  const char *source, const char *now, struct settle_err *err)
{
	int was_paid = p->status == PAYOUT_PAID;
	struct journal_entry je;
	char key[ENTRY_KEY_MAX], wkey[ENTRY_KEY_MAX];
	int64_t reverses = 0;

	if (payout_transition(p->status, to, err) < 0)
		return err_prefix(err, "payout %s", p->public_id);
	p->status = to;
	if (p->withholding || was_paid) {
		snprintf(wkey, sizeof wkey, "withholding:%s", p->public_id);
		if (c->ledger->entry_id(c->ledger->self, tx, wkey, &reverses, err) < 0)
			return -1;
		if (postings_payout_reversal(p, was_paid, source, reverses, &je, key, err) < 0 ||
		    post_one(c, tx, &je, key, now, err) < 0)
			return -1;
	}
	return c->payouts->unlink(c->payouts->self, tx, p->id, err);
}

/* The leader hears of every final or sent state once (key per state). */
static int note_payout(const struct payout_ctx *c, struct uow *tx, const struct payout_rec *p,
		       enum payout_status before, const char *now, struct settle_err *err)
{
	struct outbox_note n;
	char tmpl[32];

	if (p->status == before || (p->status != PAYOUT_SENT && p->status != PAYOUT_PAID &&
				    p->status != PAYOUT_FAILED && p->status != PAYOUT_RETURNED))
		return 0;
	snprintf(tmpl, sizeof tmpl, "payout.%s", p->status == PAYOUT_SENT ? "sent" : p->status == PAYOUT_PAID ? "paid"
						  : "failed");
	note_init(&n, tmpl, p->public_id, "leader", p->leader_id);
	note_fact(&n, "payout", "%s", p->public_id);
	note_money(&n, "amount", p->amount, p->currency);
	note_fact(&n, "gross", "%lld", (long long)p->gross);
	note_fact(&n, "withholding", "%lld", (long long)p->withholding);
	note_fact(&n, "reason", "%s", p->failure_message);
	note_fact(&n, "at", "%s", now);
	return outbox_add(c->outbox, tx, &n, now, err);
}

int payout_apply(const struct payout_ctx *c, struct uow *tx, struct payout_rec *p, const struct bank_result *res,
		 const char *source, const char *now, struct payout_report *rep, struct settle_err *err)
{
	int64_t now_us = c->clock->now_us(c->clock->self);
	enum payout_status before = p->status;
	int rc = 0;

	if (res->reference[0])
		snprintf(p->bank_reference, sizeof p->bank_reference, "%s", res->reference);
	if (p->status == PAYOUT_SENT && (res->outcome == BANK_IN_DOUBT || res->status == BANK_ST_ACCEPTED ||
					 res->status == BANK_ST_UNKNOWN)) {
		/* Handed over and not known paid yet (a bank file waits for its
		 * result file): look again later; not a doubt. */
		time_sql(now_us + (int64_t)(c->recheck_s > 0 ? c->recheck_s : 300) * 1000000, p->next_check_at);
	} else if (res->outcome == BANK_IN_DOUBT ||
	    (res->outcome == BANK_OK && (res->status == BANK_ST_UNKNOWN || res->status == BANK_ST_NOT_FOUND))) {
		/* Ask again later; never send again blind. */
		int64_t delay = c->doubt_backoff_s > 0 ? c->doubt_backoff_s : 30;

		for (int i = 0; i < p->doubt_count && delay < 3600; i++)
			delay *= 2;
		p->doubt_count++;
		time_sql(now_us + (delay > 3600 ? 3600 : delay) * 1000000, p->next_check_at);
		snprintf(p->failure_code, sizeof p->failure_code, "%s", res->code[0] ? res->code : "IN_DOUBT");
		snprintf(p->failure_message, sizeof p->failure_message, "%s", res->message);
		rep->in_doubt++;
	} else if (res->outcome == BANK_REFUSED || res->status == BANK_ST_FAILED) {
		snprintf(p->failure_code, sizeof p->failure_code, "%s", res->code[0] ? res->code : "FAILED");
		snprintf(p->failure_message, sizeof p->failure_message, "%s", res->message);
		rc = undone(c, tx, p, PAYOUT_FAILED, source, now, err);
		rep->failed++;
	} else if (res->status == BANK_ST_RETURNED) {
		snprintf(p->failure_code, sizeof p->failure_code, "%s", res->code[0] ? res->code : "RETURNED");
		snprintf(p->failure_message, sizeof p->failure_message, "%s", res->message);
		rc = undone(c, tx, p, PAYOUT_RETURNED, source, now, err);
		rep->returned++;
	} else if (res->status == BANK_ST_PAID) {
		p->next_check_at[0] = '\0';
		rc = paid(c, tx, p, source, now, err);
		rep->paid++;
	} else { /* ACCEPTED: the money has not left yet */
		if (p->status == PAYOUT_SENDING) {
			if (payout_transition(p->status, PAYOUT_SENT, err) < 0)
				return err_prefix(err, "payout %s", p->public_id);
			p->status = PAYOUT_SENT;
			rep->sent++;
		}
		time_sql(now_us + (int64_t)(c->recheck_s > 0 ? c->recheck_s : 300) * 1000000, p->next_check_at);
	}
	if (rc < 0 || note_payout(c, tx, p, before, now, err) < 0)
		return -1;
	return c->payouts->save(c->payouts->self, tx, p, now, err);
}
