/*
 * run.c — settle-run (see settlement.h). For each leader with work, in the
 * unit of work of a batch of leaders: settle each pod with released,
 * unsettled money (split, settlement row, escrows tied to it, journal
 * entry), then gather every
 * settlement and clawback no live payout carries into one payout with its
 * withholding — unless the gross is not positive (clawbacks carried
 * forward) or the amount is below the minimum (it waits for more).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/settlement/settlement.h"
#include "app/notify/held.h"
#include "domain/postings.h"
#include "domain/release.h"
#include "domain/timefmt.h"
#include "domain/validate.h"
#include "domain/walk.h"
#include "util/failpoint.h"

#define MAX_LEADERS_PER_UNIT 256

/* What one leader of a unit got: spans of the unit's pools. */
struct leader_out {
	size_t settled_at, n_settled; /* this run's settlements */
	size_t items_at, n_items;     /* what a payout may carry */
	long payout;                  /* index into the unit's payouts, or -1 */
	int64_t carried_gross;
	const char *why_no_payout;
};

/* One unit of work: its leaders, and pools that grow to the largest unit
 * seen and are reused, so memory follows the unit, never the run. */
struct unit {
	const struct settle_ctx *c;
	const struct settle_opts *o;
	struct settle_filter f;
	const char *now;
	char today[11];
	struct leader_rec leaders[MAX_LEADERS_PER_UNIT];
	struct leader_out outs[MAX_LEADERS_PER_UNIT];
	size_t n_leaders;
	size_t at; /* the leader the last pool row belonged to */
	struct payout_rec payouts[MAX_LEADERS_PER_UNIT];
	size_t n_payouts;
	struct settlement_rec *settled;
	size_t n_settled, cap_settled;
	struct carry_item *items;
	size_t n_items, cap_items;
	struct payout_link *links;
	size_t n_links, cap_links;
	struct outbox_note *notes; /* a statement per leader, a held notice per held payout */
	size_t cap_notes;
	struct journal_entry *entries;
	char (*keys)[ENTRY_KEY_MAX];
	const char **key_ptrs;
	size_t n_entries, cap_entries;
	int rolled_back;
	struct walk walk; /* the pass over the leaders (domain/walk.h) */
	int tries;        /* calls of unit_tx for this unit: more than one is a retry */
};

/* Grows *pool (of size-byte elements) to hold need; 0 or -1. */
static int grow(void **pool, size_t *cap, size_t need, size_t size, struct settle_err *err)
{
	size_t n = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (!(p = realloc(*pool, n * size)))
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	*pool = p;
	*cap = n;
	return 0;
}

/* The index of leader_id among the unit's leaders, starting from the last
 * one found (rows come grouped by leader). Ids compare as the database's
 * case-insensitive collation does. */
static int leader_index(struct unit *u, const char *leader_id, size_t *at, struct settle_err *err)
{
	if (u->at < u->n_leaders && !strcasecmp(u->leaders[u->at].leader_id, leader_id)) {
		*at = u->at;
		return 0;
	}
	for (size_t i = 0; i < u->n_leaders; i++)
		if (!strcasecmp(u->leaders[i].leader_id, leader_id)) {
			*at = u->at = i;
			return 0;
		}
	return err_set(err, SETTLE_EX_SOFTWARE, "a row of leader %s, who was not claimed", leader_id);
}

/* A pod's released money becomes a settlement (split here, by the rules). */
static int add_pod(void *arg, const struct pod_release *pr, struct settle_err *err)
{
	struct unit *u = arg;
	struct settlement_rec *s;
	struct leader_out *lo;
	size_t li = 0;

	if (leader_index(u, pr->leader_id, &li, err) < 0 ||
	    grow((void **)&u->settled, &u->cap_settled, u->n_settled + 1, sizeof *u->settled, err) < 0)
		return -1;
	lo = &u->outs[li];
	if (lo->n_settled && lo->settled_at + lo->n_settled != u->n_settled)
		return err_set(err, SETTLE_EX_SOFTWARE, "pods of leader %s did not come together", pr->leader_id);
	if (!lo->n_settled)
		lo->settled_at = u->n_settled;
	s = &u->settled[u->n_settled];
	memset(s, 0, sizeof *s);
	snprintf(s->pod_id, sizeof s->pod_id, "%s", pr->pod_id);
	snprintf(s->leader_id, sizeof s->leader_id, "%s", u->leaders[li].leader_id);
	memcpy(s->currency, pr->currency, sizeof s->currency);
	s->fee_bps = pr->fee_bps >= 0 ? pr->fee_bps : u->c->fee_bps;
	s->escrows = pr->escrows;
	if (settlement_split(pr->total, s->fee_bps, &s->split, err) < 0)
		return err_prefix(err, "pod %s", pr->pod_id);
	lo->n_settled++;
	u->n_settled++;
	return 0;
}

static int add_item(void *arg, size_t li, const struct carry_item *it, struct settle_err *err)
{
	struct unit *u = arg;
	struct leader_out *lo;

	if (li >= u->n_leaders)
		return err_set(err, SETTLE_EX_SOFTWARE, "an item of leader %zu of %zu", li, u->n_leaders);
	lo = &u->outs[li];
	if (grow((void **)&u->items, &u->cap_items, u->n_items + 1, sizeof *u->items, err) < 0)
		return -1;
	if (lo->n_items && lo->items_at + lo->n_items != u->n_items)
		return err_set(err, SETTLE_EX_SOFTWARE, "items of leader %s did not come together",
			       u->leaders[li].leader_id);
	if (!lo->n_items)
		lo->items_at = u->n_items;
	u->items[u->n_items++] = *it;
	lo->n_items++;
	return 0;
}

static struct journal_entry *next_entry(struct unit *u, char **key)
{
	*key = u->keys[u->n_entries];
	u->key_ptrs[u->n_entries] = u->keys[u->n_entries];
	return &u->entries[u->n_entries];
}

/* The leader's payout, if one is due: every item no live payout carries,
 * withholding at payment by the rates of the business date. */
static int decide_payout(struct unit *u, size_t li, struct settle_err *err)
{
	const struct settle_ctx *c = u->c;
	const struct leader_rec *l = &u->leaders[li];
	struct leader_out *lo = &u->outs[li];
	struct payout_rec *p;
	struct payout_amounts pa;
	int64_t gross = 0;
	char currency[4];
	int reachable;

	lo->payout = -1;
	if (lo->n_items == 0)
		return 0;
	if (payout_gross(&u->items[lo->items_at], lo->n_items, &gross, currency, err) < 0)
		return err_prefix(err, "leader %s", l->leader_id);
	if (gross <= 0) {
		/* Clawbacks larger than what is owed: carried forward to the
		 * leader's next settlements, never lost. */
		lo->carried_gross = gross;
		lo->why_no_payout = "clawbacks exceed what is owed; carried forward";
		return 0;
	}
	if (payout_amounts(gross, l->kind, &c->rates, u->today, &pa, err) < 0)
		return err_prefix(err, "leader %s", l->leader_id);
	if (pa.amount < c->payout_minimum) {
		lo->carried_gross = gross;
		lo->why_no_payout = "below [payout] minimum; waits for more";
		return 0;
	}
	p = &u->payouts[u->n_payouts];
	memset(p, 0, sizeof *p);
	snprintf(p->leader_id, sizeof p->leader_id, "%s", l->leader_id);
	p->leader_kind = l->kind;
	memcpy(p->currency, currency, sizeof p->currency);
	p->gross = pa.gross;
	p->income_tax = pa.income_tax;
	p->local_tax = pa.local_tax;
	p->withholding = pa.withholding;
	p->amount = pa.amount;
	snprintf(p->channel, sizeof p->channel, "%s", c->channel);
	snprintf(p->business_date, sizeof p->business_date, "%s", u->today);
	/* No way to reach the leader yet: the payout waits, HELD. */
	reachable = c->channel_needs_account ? l->has_account : l->seller_id[0] != '\0';
	p->status = reachable ? PAYOUT_PENDING : PAYOUT_HELD;
	lo->payout = (long)u->n_payouts++;
	return 0;
}

/* The payouts' links to their items, and their withholding entries. */
static int link_payouts(struct unit *u, struct uow *tx, struct settle_err *err)
{
	const struct settle_ctx *c = u->c;

	u->n_links = 0;
	if (grow((void **)&u->links, &u->cap_links, u->n_items, sizeof *u->links, err) < 0)
		return -1;
	for (size_t li = 0; li < u->n_leaders; li++) {
		const struct leader_out *lo = &u->outs[li];
		const struct payout_rec *p;

		if (lo->payout < 0)
			continue;
		p = &u->payouts[lo->payout];
		for (size_t k = 0; k < lo->n_items; k++)
			u->links[u->n_links++] = (struct payout_link){p->id, u->items[lo->items_at + k]};
		if (p->withholding > 0) {
			char *key;
			struct journal_entry *je = next_entry(u, &key);

			if (postings_withholding(p, je, key, err) < 0)
				return -1;
			u->n_entries++;
		}
	}
	return c->payouts->link(c->payouts->self, tx, u->links, u->n_links, err);
}

/* What the leaders of the unit hear, in one statement: each leader with
 * settlements, their statement (statement.c); each payout made HELD (no
 * way to reach the leader yet), why, with a copy to the operators. After
 * the payouts' insert, which names them. */
static int add_notes(struct unit *u, struct uow *tx, struct settle_err *err)
{
	const struct settle_ctx *c = u->c;
	size_t k = 0;

	if (!c->outbox)
		return 0;
	if (grow((void **)&u->notes, &u->cap_notes, 3 * u->n_leaders, sizeof *u->notes, err) < 0)
		return -1;
	for (size_t li = 0; li < u->n_leaders; li++) {
		const struct leader_out *lo = &u->outs[li];
		const struct payout_rec *p = lo->payout >= 0 ? &u->payouts[lo->payout] : NULL;

		if (lo->n_settled &&
		    settle_note_statement(&u->notes[k++], &u->settled[lo->settled_at], lo->n_settled, p, u->now, err) < 0)
			return -1;
		if (p && p->status == PAYOUT_HELD) {
			note_payout_held(&u->notes[k], p, c->channel_needs_account ? HELD_NO_ACCOUNT : HELD_NOT_SELLER,
					 NULL, u->now);
			k += 2;
		}
	}
	return outbox_add_many(c->outbox, tx, u->notes, k, u->now, err);
}

/* One unit of work: up to [settlement] batch leaders claimed at once, each
 * settled and paid as if alone, in a handful of set-based statements: the
 * claim, the escrows of all their pods, one INSERT of the settlements and
 * one UPDATE tying the escrows, the items to carry, one INSERT of the
 * payouts and one of their items, one multi-row journal insert. The
 * leaders' rows stay locked (SKIP LOCKED for other runners) until commit. */
static int unit_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct unit *u = arg;
	const struct settle_ctx *c = u->c;
	size_t max = (size_t)(c->leaders_per_unit > 0 ? c->leaders_per_unit : 1);

	if (max > MAX_LEADERS_PER_UNIT)
		max = MAX_LEADERS_PER_UNIT;
	/* The unit may run again after a deadlock: start clean. */
	u->n_leaders = u->n_settled = u->n_items = u->n_payouts = u->n_entries = 0;
	u->at = 0;
	if (++u->tries > 1 && !u->o->n_pods) {
		/* Lost to a runner on another node: walk on from a random
		 * leader with money still to settle, rather than claim the
		 * leaders the winner claims next (a random row id was not
		 * enough: it lands among settled leaders and walks on into the
		 * winner's unit; galera-check saw a runner lose twelve times). */
		int64_t row_id;

		if (c->settlements->pick_leader(c->settlements->self, tx, walk_draw(&u->walk), &row_id, err) < 0)
			return -1;
		if (row_id > 0)
			walk_from(&u->walk, row_id - 1);
	}
	u->f = (struct settle_filter){u->o->pods, u->o->n_pods, u->walk.after, u->walk.upto};
	if (c->settlements->claim_leaders(c->settlements->self, tx, &u->f, u->leaders, max, &u->n_leaders, err) < 0)
		return -1;
	if (u->n_leaders == 0)
		return 0;
	memset(u->outs, 0, u->n_leaders * sizeof *u->outs);
	if (c->settlements->pods_to_settle(c->settlements->self, tx, u->leaders, u->n_leaders, &u->f, add_pod, u,
					   err) < 0)
		return -1;
	if (u->n_settled && c->settlements->insert(c->settlements->self, tx, u->settled, u->n_settled, u->now, err) < 0)
		return -1;
	/* A settlement entry per pod, a withholding entry per leader. */
	if (grow((void **)&u->entries, &u->cap_entries, u->n_settled + u->n_leaders, sizeof *u->entries, err) < 0)
		return -1;
	{
		size_t cap = u->cap_entries;
		void *k = realloc(u->keys, cap * sizeof *u->keys), *kp;

		if (!k)
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		u->keys = k;
		if (!(kp = realloc(u->key_ptrs, cap * sizeof *u->key_ptrs)))
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		u->key_ptrs = kp;
	}
	for (size_t i = 0; i < u->n_settled; i++) {
		const struct settlement_rec *s = &u->settled[i];
		char *key;
		struct journal_entry *je = next_entry(u, &key);

		if (postings_settlement(s->public_id, s->pod_id, s->leader_id, s->currency, &s->split, je, key, err) < 0)
			return -1;
		u->n_entries++;
	}
	if (c->settlements->carryable(c->settlements->self, tx, u->leaders, u->n_leaders, add_item, u, err) < 0)
		return -1;
	for (size_t li = 0; li < u->n_leaders; li++)
		if (decide_payout(u, li, err) < 0)
			return -1;
	if (u->n_payouts &&
	    (c->payouts->insert(c->payouts->self, tx, u->payouts, u->n_payouts, u->now, err) < 0 ||
	     link_payouts(u, tx, err) < 0))
		return -1;
	if (add_notes(u, tx, err) < 0)
		return -1;
	if (c->ledger->post(c->ledger->self, tx, u->key_ptrs, u->entries, u->n_entries, u->now, err) < 0)
		return -1;
	if (u->o->dry_run) {
		/* Everything was computed and written inside the unit: roll it
		 * back, so the printed table is exactly what a run would do. */
		u->rolled_back = 1;
		return err_set(err, SETTLE_EX_TEMPFAIL, "dry run");
	}
	return 0;
}

static void tally(struct settle_report *rep, const struct unit *u, const struct leader_out *lo)
{
	rep->leaders++;
	for (size_t i = lo->settled_at; i < lo->settled_at + lo->n_settled; i++) {
		const struct settlement_split *s = &u->settled[i].split;

		memcpy(rep->currency, u->settled[i].currency, sizeof rep->currency);
		rep->settlements++;
		rep->total += s->total;
		rep->fee += s->fee;
		rep->vat += s->vat;
		rep->leader_share += s->leader_share;
	}
	if (lo->payout >= 0) {
		const struct payout_rec *p = &u->payouts[lo->payout];

		rep->payouts++;
		rep->held += p->status == PAYOUT_HELD;
		rep->withholding += p->withholding;
		rep->paid_out += p->amount;
	} else if (lo->why_no_payout) {
		rep->carried++;
	}
}

int settle_run(const struct settle_ctx *c, const struct settle_opts *o, settle_row_fn fn, void *arg,
	       struct settle_report *rep, struct settle_err *err)
{
	struct unit *u;
	char now[TIME_SQL_LEN];
	int64_t now_us = c->clock->now_us(c->clock->self);
	int rc = 0;

	memset(rep, 0, sizeof *rep);
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
	if (!(u = calloc(1, sizeof *u)))
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	time_sql(now_us, now);
	u->c = c;
	u->o = o;
	u->now = now;
	walk_init(&u->walk, (uint64_t)now_us);
	kst_date(now_us, u->today);
	for (;;) {
		/* Each unit starts after the last leader a committed unit took
		 * (one pass: each leader once per run), or, retried, from where
		 * it jumped. */
		u->rolled_back = 0;
		u->tries = 0;
		if (uow_run(c->uow, unit_tx, u, err) < 0) {
			if (!u->rolled_back) {
				rc = -1;
				break;
			}
			err_clear(err);
		}
		if (!u->n_leaders) {
			if (walk_next(&u->walk, 0, 1, 0))
				break;
			continue;
		}
		walk_next(&u->walk, 1, 1, u->leaders[u->n_leaders - 1].row_id);
		FAILPOINT("settle.after_leader");
		for (size_t i = 0; i < u->n_leaders; i++) {
			const struct leader_out *lo = &u->outs[i];
			struct settle_leader_result res = {u->leaders[i].leader_id, &u->settled[lo->settled_at],
							   lo->n_settled, lo->payout >= 0 ? &u->payouts[lo->payout] : NULL,
							   lo->carried_gross, lo->why_no_payout};

			tally(rep, u, lo);
			if (fn && fn(arg, &res) < 0)
				goto out;
		}
	}
	if (rc == 0 && c->settlements->unknown_leaders(c->settlements->self, NULL, &rep->unknown_leaders,
						       &rep->unknown_pods, err) < 0)
		rc = -1;
out:
	free(u->settled);
	free(u->items);
	free(u->links);
	free(u->entries);
	free(u->notes);
	free(u->keys);
	free(u->key_ptrs);
	free(u);
	return rc;
}
