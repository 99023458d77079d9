/*
 * run.c — settle-run (see settlement.h). For each leader with work, in one
 * unit of work: settle each pod with released, unsettled money (split,
 * settlement row, escrows tied to it, journal entry), then gather every
 * settlement and clawback no live payout carries into one payout with its
 * withholding — unless the gross is not positive (clawbacks carried
 * forward) or the amount is below the minimum (it waits for more).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/settlement/settlement.h"
#include "domain/postings.h"
#include "domain/release.h"
#include "domain/timefmt.h"
#include "domain/validate.h"
#include "util/failpoint.h"

#define MAX_PODS_PER_LEADER 4096
#define MAX_ITEMS_PER_LEADER 8192

#define MAX_LEADERS_PER_UNIT 256

/* One leader's part of a unit of work, printed once the unit commits. */
struct leader_done {
	struct leader_rec leader;
	size_t settled_at, n_settled; /* into the unit's settled pool */
	struct payout_rec payout;
	int has_payout;
	int64_t carried_gross;
	const char *why_no_payout;
};

struct leader_work {
	const struct settle_ctx *c;
	const struct settle_opts *o;
	struct settle_filter f;
	const char *now;
	char today[11];
	struct leader_rec leader;
	int found;
	struct pod_release *pods;
	struct settlement_rec *settled;
	size_t n_settled;
	struct carry_item *items;
	size_t n_items;
	struct journal_entry *entries;
	char (*keys)[ENTRY_KEY_MAX];
	const char **key_ptrs;
	size_t n_entries;
	struct payout_rec payout;
	int has_payout;
	int64_t carried_gross;
	const char *why_no_payout;
	int rolled_back;
	struct leader_done *done; /* the unit's leaders */
	size_t n_done;
};

static struct journal_entry *next_entry(struct leader_work *w, char **key)
{
	*key = w->keys[w->n_entries];
	w->key_ptrs[w->n_entries] = w->keys[w->n_entries];
	return &w->entries[w->n_entries];
}

static int settle_pods(struct leader_work *w, struct uow *tx, struct settle_err *err)
{
	const struct settle_ctx *c = w->c;
	size_t n_pods = 0;

	if (c->settlements->pods_to_settle(c->settlements->self, tx, w->leader.leader_id, &w->f, w->pods,
					   MAX_PODS_PER_LEADER - w->n_settled, &n_pods, err) < 0)
		return -1;
	for (size_t i = 0; i < n_pods; i++) {
		const struct pod_release *pr = &w->pods[i];
		struct settlement_rec *s = &w->settled[w->n_settled];
		struct journal_entry *je;
		char *key;

		memset(s, 0, sizeof *s);
		snprintf(s->pod_id, sizeof s->pod_id, "%s", pr->pod_id);
		snprintf(s->leader_id, sizeof s->leader_id, "%s", pr->leader_id);
		memcpy(s->currency, pr->currency, sizeof s->currency);
		s->fee_bps = pr->fee_bps >= 0 ? pr->fee_bps : c->fee_bps;
		s->escrows = pr->escrows;
		if (settlement_split(pr->total, s->fee_bps, &s->split, err) < 0)
			return err_prefix(err, "pod %s", pr->pod_id);
		if (c->settlements->insert(c->settlements->self, tx, s, w->now, err) < 0)
			return -1;
		je = next_entry(w, &key);
		if (postings_settlement(s->public_id, s->pod_id, s->leader_id, s->currency, &s->split, je, key, err) < 0)
			return -1;
		w->n_entries++;
		w->n_settled++;
	}
	return 0;
}

static int make_payout(struct leader_work *w, struct uow *tx, struct settle_err *err)
{
	const struct settle_ctx *c = w->c;
	struct payout_rec *p = &w->payout;
	struct payout_amounts pa;
	int64_t gross = 0;
	char currency[4];
	int reachable;

	if (c->settlements->carryable(c->settlements->self, tx, w->leader.leader_id, w->items, MAX_ITEMS_PER_LEADER,
				      &w->n_items, err) < 0)
		return -1;
	if (w->n_items == 0)
		return 0;
	if (payout_gross(w->items, w->n_items, &gross, currency, err) < 0)
		return err_prefix(err, "leader %s", w->leader.leader_id);
	if (gross <= 0) {
		/* Clawbacks larger than what is owed: carried forward to the
		 * leader's next settlements, never lost. */
		w->carried_gross = gross;
		w->why_no_payout = "clawbacks exceed what is owed; carried forward";
		return 0;
	}
	if (payout_amounts(gross, w->leader.kind, &c->rates, w->today, &pa, err) < 0)
		return err_prefix(err, "leader %s", w->leader.leader_id);
	if (pa.amount < c->payout_minimum) {
		w->carried_gross = gross;
		w->why_no_payout = "below [payout] minimum; waits for more";
		return 0;
	}
	memset(p, 0, sizeof *p);
	snprintf(p->leader_id, sizeof p->leader_id, "%s", w->leader.leader_id);
	p->leader_kind = w->leader.kind;
	memcpy(p->currency, currency, sizeof p->currency);
	p->gross = pa.gross;
	p->income_tax = pa.income_tax;
	p->local_tax = pa.local_tax;
	p->withholding = pa.withholding;
	p->amount = pa.amount;
	snprintf(p->channel, sizeof p->channel, "%s", c->channel);
	snprintf(p->business_date, sizeof p->business_date, "%s", w->today);
	/* No way to reach the leader yet: the payout waits, HELD. */
	reachable = c->channel_needs_account ? w->leader.has_account : w->leader.toss_seller_id[0] != '\0';
	p->status = reachable ? PAYOUT_PENDING : PAYOUT_HELD;
	if (c->payouts->insert(c->payouts->self, tx, p, w->now, err) < 0 ||
	    c->payouts->link(c->payouts->self, tx, p->id, w->items, w->n_items, err) < 0)
		return -1;
	if (p->withholding > 0) {
		char *key;
		struct journal_entry *je = next_entry(w, &key);

		if (postings_withholding(p, je, key, err) < 0)
			return -1;
		w->n_entries++;
	}
	w->has_payout = 1;
	return 0;
}

/* One unit of work: up to leaders_per_unit leaders, each settled and paid
 * as if alone, their entries posted together. A leader's row stays locked
 * (SKIP LOCKED for other runners) until the unit commits; fewer, larger
 * units spare a durable commit per leader. */
static int unit_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct leader_work *w = arg;
	const struct settle_ctx *c = w->c;
	int64_t start = w->f.after_row_id;
	size_t max = (size_t)(c->leaders_per_unit > 0 ? c->leaders_per_unit : 1);

	if (max > MAX_LEADERS_PER_UNIT)
		max = MAX_LEADERS_PER_UNIT;
	/* The unit may run again after a deadlock: start clean. */
	w->n_done = w->n_settled = w->n_entries = 0;
	/* Stop taking leaders while the pools still hold a large leader. */
	while (w->n_done < max && w->n_settled < 64) {
		struct leader_done *d = &w->done[w->n_done];
		size_t first = w->n_settled;
		int rc;

		w->has_payout = 0;
		w->n_items = 0;
		w->carried_gross = 0;
		w->why_no_payout = NULL;
		rc = c->settlements->next_leader(c->settlements->self, tx, &w->f, &w->leader, err);
		if (rc < 0) {
			w->f.after_row_id = start;
			return -1;
		}
		if (rc == 0)
			break;
		if (settle_pods(w, tx, err) < 0 || make_payout(w, tx, err) < 0) {
			w->f.after_row_id = start;
			return -1;
		}
		*d = (struct leader_done){w->leader, first, w->n_settled - first, w->payout, w->has_payout,
					  w->carried_gross, w->why_no_payout};
		w->n_done++;
		/* One pass: each leader once per run. */
		w->f.after_row_id = w->leader.row_id;
	}
	w->found = w->n_done > 0;
	if (c->ledger->post(c->ledger->self, tx, w->key_ptrs, w->entries, w->n_entries, w->now, err) < 0) {
		w->f.after_row_id = start;
		return -1;
	}
	if (w->o->dry_run) {
		/* Everything was computed and written inside the unit: roll it
		 * back, so the printed table is exactly what a run would do. */
		w->rolled_back = 1;
		return err_set(err, SETTLE_EX_TEMPFAIL, "dry run");
	}
	return 0;
}

static void tally(struct settle_report *rep, const struct leader_work *w, const struct leader_done *d)
{
	rep->leaders++;
	for (size_t i = d->settled_at; i < d->settled_at + d->n_settled; i++) {
		const struct settlement_split *s = &w->settled[i].split;

		memcpy(rep->currency, w->settled[i].currency, sizeof rep->currency);
		rep->settlements++;
		rep->total += s->total;
		rep->fee += s->fee;
		rep->vat += s->vat;
		rep->leader_share += s->leader_share;
	}
	if (d->has_payout) {
		rep->payouts++;
		rep->held += d->payout.status == PAYOUT_HELD;
		rep->withholding += d->payout.withholding;
		rep->paid_out += d->payout.amount;
	} else if (d->why_no_payout) {
		rep->carried++;
	}
}

int settle_run(const struct settle_ctx *c, const struct settle_opts *o, settle_row_fn fn, void *arg,
	       struct settle_report *rep, struct settle_err *err)
{
	struct leader_work w;
	char now[TIME_SQL_LEN];
	int64_t now_us = c->clock->now_us(c->clock->self);
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	memset(&w, 0, sizeof w);
	for (size_t i = 0; i < o->n_pods; i++) {
		int known;

		if (validate_ref_id("--pod", o->pods[i], err) < 0)
			return -1;
		known = c->settlements->pod_known(c->settlements->self, NULL, o->pods[i], err);
		if (known < 0)
			return -1;
		if (!known)
			return err_set(err, SETTLE_EX_DATAERR, "unknown pod %s", o->pods[i]);
	}
	time_sql(now_us, now);
	w.c = c;
	w.o = o;
	w.now = now;
	kst_date(now_us, w.today);
	w.f = (struct settle_filter){o->pods, o->n_pods, 0};
	w.pods = calloc(MAX_PODS_PER_LEADER, sizeof *w.pods);
	w.settled = calloc(MAX_PODS_PER_LEADER, sizeof *w.settled);
	w.items = calloc(MAX_ITEMS_PER_LEADER, sizeof *w.items);
	/* a settlement entry per pod, a withholding entry per leader */
	w.entries = calloc(MAX_PODS_PER_LEADER + MAX_LEADERS_PER_UNIT, sizeof *w.entries);
	w.keys = calloc(MAX_PODS_PER_LEADER + MAX_LEADERS_PER_UNIT, sizeof *w.keys);
	w.key_ptrs = calloc(MAX_PODS_PER_LEADER + MAX_LEADERS_PER_UNIT, sizeof *w.key_ptrs);
	w.done = calloc(MAX_LEADERS_PER_UNIT, sizeof *w.done);
	if (!w.pods || !w.settled || !w.items || !w.entries || !w.keys || !w.key_ptrs || !w.done) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (;;) {
		w.rolled_back = 0;
		w.found = 0;
		if (uow_run(c->uow, unit_tx, &w, err) < 0) {
			if (!w.rolled_back) {
				rc = -1;
				break;
			}
			err_clear(err);
		}
		if (!w.found)
			break;
		FAILPOINT("settle.after_leader");
		for (size_t i = 0; i < w.n_done; i++) {
			const struct leader_done *d = &w.done[i];
			struct settle_leader_result res = {d->leader.leader_id, &w.settled[d->settled_at], d->n_settled,
							   d->has_payout ? &d->payout : NULL, d->carried_gross,
							   d->why_no_payout};

			tally(rep, &w, d);
			if (fn && fn(arg, &res) < 0)
				goto out;
		}
	}
	if (rc == 0 && c->settlements->unknown_leaders(c->settlements->self, NULL, &rep->unknown_leaders,
						       &rep->unknown_pods, err) < 0)
		rc = -1;
out:
	free(w.pods);
	free(w.settled);
	free(w.items);
	free(w.entries);
	free(w.keys);
	free(w.key_ptrs);
	free(w.done);
	return rc;
}
