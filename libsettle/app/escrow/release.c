/*
 * release.c — escrow-release: the HOLDING escrows of completed pods whose
 * hold has passed (or whose dispute was resolved) move to released:{pod},
 * batch by batch. Several runners on several hosts share the backlog: the
 * due rows are locked with SKIP LOCKED, and a row another runner holds is
 * simply left to it; a runner whose batch was taken by a runner on another
 * Galera node (where its locks are not seen) walks on from elsewhere in
 * the backlog (domain/walk.h). Each unit tells the leader of each pod it
 * releases (release_notes.c), and a full batch takes the rest of its
 * pods' due escrows, so that is once per pod and run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/escrow/escrow.h"
#include "domain/postings.h"
#include "domain/release.h"
#include "domain/timefmt.h"
#include "domain/validate.h"
#include "domain/walk.h"
#include "util/failpoint.h"

struct batch {
	const struct escrow_ctx *c;
	const struct release_opts *o;
	struct release_filter f;
	struct release_row *rows;
	struct journal_entry *entries;
	char (*keys)[ENTRY_KEY_MAX];
	const char **key_ptrs;
	const struct release_row **scratch; /* the rows sorted by pod, for the notices */
	struct outbox_note *notes;          /* a notice per pod of the unit */
	const char **pods;                  /* the batch's pods, for the rest of them */
	size_t n;                           /* rows of the unit */
	size_t n_walked;                    /* of them, the batch walked by id */
	const char *now;
	struct walk walk;
	int tries; /* calls of batch_tx for this batch: more than one is a retry */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A full batch walked escrows by id and may have left some of its pods'
 * to the next unit: with the notices on, the rest of those pods' due
 * escrows join this unit (the pod's index finds them), so each pod is
 * released, and its leader told, once per run. Rows another runner holds
 * stay its own (SKIP LOCKED); past another batch's worth, the rest waits. */
static int take_rest_of_pods(struct batch *b, struct uow *tx, size_t limit, struct settle_err *err)
{
	const struct escrow_ctx *c = b->c;
	struct release_filter f = b->f;
	size_t n_pods = 0, more = 0;

	for (size_t i = 0; i < b->n; i++)
		b->pods[i] = b->rows[i].e.pod_id;
	qsort(b->pods, b->n, sizeof *b->pods, by_name);
	for (size_t i = 0; i < b->n; i++)
		if (!n_pods || strcmp(b->pods[n_pods - 1], b->pods[i]))
			b->pods[n_pods++] = b->pods[i];
	f.pods = b->pods;
	f.n_pods = n_pods;
	f.after_id = b->rows[b->n - 1].e.id; /* the batch took every due row up to here */
	f.upto_id = 0;                       /* whichever leg of the walk this is */
	if (c->release->due(c->release->self, tx, &f, b->rows + b->n, limit, &more, err) < 0)
		return -1;
	b->n += more;
	return 0;
}

static int batch_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct batch *b = arg;
	const struct escrow_ctx *c = b->c;
	size_t limit = (size_t)(c->batch > 0 ? c->batch : 500);

	if (++b->tries > 1 && !b->f.n_pods) {
		/* Lost to another runner: walk on from a random escrow still
		 * holding, rather than take the batch the winner takes next. */
		int64_t id;

		if (c->release->pick_holding(c->release->self, tx, walk_draw(&b->walk), &id, err) < 0)
			return -1;
		if (id > 0)
			walk_from(&b->walk, id - 1);
	}
	b->f.after_id = b->walk.after;
	b->f.upto_id = b->walk.upto;
	if (c->release->due(c->release->self, tx, &b->f, b->rows, limit, &b->n, err) < 0)
		return -1;
	b->n_walked = b->n;
	if (c->outbox && !b->o->dry_run && b->n == limit && take_rest_of_pods(b, tx, limit, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		struct escrow *e = &b->rows[i].e;

		if (escrow_release(e, err) < 0)
			return -1;
		if (b->o->dry_run)
			continue;
		if (postings_release(e, &b->entries[i], b->keys[i], err) < 0)
			return -1;
		b->key_ptrs[i] = b->keys[i];
	}
	if (b->o->dry_run || b->n == 0)
		return 0;
	if (c->release->released(c->release->self, tx, b->rows, b->n, b->now, err) < 0 ||
	    c->ledger->post(c->ledger->self, tx, b->key_ptrs, b->entries, b->n, b->now, err) < 0)
		return -1;
	if (c->outbox) {
		size_t n_notes = 0;

		if (escrow_release_notes(b->rows, b->n, b->now, b->scratch, b->notes, &n_notes, err) < 0 ||
		    outbox_add_many(c->outbox, tx, b->notes, n_notes, b->now, err) < 0)
			return -1;
	}
	return 0;
}

/* A named pod that cannot be released says why, before anything moves. */
static int check_named_pod(const struct escrow_ctx *c, const char *pod, const char *cutoff, int now,
			   struct settle_err *err)
{
	char status[32], completed[32], due_kst[11];
	int64_t holding = 0, disputed = 0, completed_us = 0;
	int rc;

	if (validate_ref_id("--pod", pod, err) < 0)
		return -1;
	rc = c->release->pod_state(c->release->self, NULL, pod, status, sizeof status, completed, sizeof completed,
				   &holding, &disputed, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown pod %s", pod);
	if (strcmp(status, "COMPLETED") || !completed[0])
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is not completed (it is %s)", pod, status);
	if (!now && strcmp(completed, cutoff) >= 0 && time_parse_utc(completed, &completed_us) == 0) {
		kst_date(release_due_us(completed_us, c->hold_days), due_kst);
		return err_set(err, SETTLE_EX_DATAERR,
			       "pod %s completed at %s UTC and is inside its hold of %d days until %s (Korea time); "
			       "--now releases it anyway",
			       pod, completed, c->hold_days, due_kst);
	}
	if (holding == 0)
		return err_set(err, SETTLE_EX_DATAERR, "pod %s has no escrow holding money%s", pod,
			       disputed ? " (its escrows are disputed)" : "");
	return 0;
}

int escrow_release_run(const struct escrow_ctx *c, const struct release_opts *o, release_row_fn fn, void *arg,
		       struct release_report *rep, struct settle_err *err)
{
	size_t limit = (size_t)(c->batch > 0 ? c->batch : 500), room;
	char now[TIME_SQL_LEN], cutoff[TIME_SQL_LEN];
	int64_t now_us = c->clock->now_us(c->clock->self);
	struct batch b = {.c = c, .o = o, .now = now};
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	time_sql(now_us, now);
	time_sql(release_cutoff_us(now_us, c->hold_days), cutoff);
	for (size_t i = 0; i < o->n_pods; i++)
		if (check_named_pod(c, o->pods[i], cutoff, o->now, err) < 0)
			return -1;
	b.f = (struct release_filter){cutoff, o->pods, o->n_pods, o->now, 0, 0};
	walk_init(&b.walk, (uint64_t)now_us);
	/* With the notices on, a unit holds a batch and the rest of its pods
	 * (take_rest_of_pods): room for two batches. */
	room = c->outbox ? 2 * limit : limit;
	b.rows = calloc(room, sizeof *b.rows);
	b.entries = calloc(room, sizeof *b.entries);
	b.keys = calloc(room, sizeof *b.keys);
	b.key_ptrs = calloc(room, sizeof *b.key_ptrs);
	if (c->outbox) {
		b.scratch = calloc(room, sizeof *b.scratch);
		b.notes = calloc(limit, sizeof *b.notes); /* one per pod: the walked rows' pods */
		b.pods = calloc(limit, sizeof *b.pods);
	}
	if (!b.rows || !b.entries || !b.keys || !b.key_ptrs || (c->outbox && (!b.scratch || !b.notes || !b.pods))) {
		rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	for (;;) {
		b.tries = 0;
		if (uow_run(c->uow, batch_tx, &b, err) < 0) {
			rc = -1;
			break;
		}
		FAILPOINT("release.after_batch");
		for (size_t i = 0; i < b.n; i++) {
			const struct escrow *e = &b.rows[i].e;

			if (rep->currency[0] && strcmp(rep->currency, e->currency)) {
				rc = err_set(err, SETTLE_EX_DATAERR, "escrows in %s and %s: totals are per currency",
					     rep->currency, e->currency);
				goto out;
			}
			memcpy(rep->currency, e->currency, sizeof rep->currency);
			rep->escrows++;
			rep->total += e->released;
			if (fn && fn(arg, &b.rows[i]) < 0)
				goto out;
		}
		/* Page past what was walked (a dry run changes nothing); rows a
		 * unit took beyond it (the rest of its pods) are released, not
		 * due, when the walk comes to them. */
		if (walk_next(&b.walk, b.n_walked, limit, b.n_walked ? b.rows[b.n_walked - 1].e.id : 0))
			break;
	}
out:
	free(b.rows);
	free(b.entries);
	free(b.keys);
	free(b.key_ptrs);
	free(b.scratch);
	free(b.notes);
	free(b.pods);
	return rc;
}
