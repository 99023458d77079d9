/*
 * domain/walk.h — one pass over a backlog of rows keyed by increasing ids,
 * batch by batch, that a runner may leave and re-enter elsewhere.
 *
 * Why: runners on several Galera nodes do not see each other's row locks
 * (SKIP LOCKED is node-local), so runners that walk the backlog from the
 * same end take the same batch, and only one of them commits it; the others
 * lose at certification, take the next batch together with the winner, and
 * lose again (galera-check: two escrow-release runners gave up after twelve
 * attempts, two settle-runs made nothing). A runner that lost its batch
 * jumps to a random place and walks from there to the end, then from the
 * beginning back to where it jumped: every id is still visited once after
 * the last jump, and runners spread over the backlog instead of colliding.
 * A runner that never loses walks from the beginning, as before.
 *
 * Pure: the random numbers come from a seed the caller gives.
 */
#ifndef SETTLE_DOMAIN_WALK_H
#define SETTLE_DOMAIN_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct walk {
	int64_t after;  /* the next batch takes ids > after … */
	int64_t upto;   /* … and <= upto (0: no upper bound) */
	int64_t start;  /* where the pass began (0: at the beginning) */
	bool wrapped;   /* the pass is in its second leg, 0 .. start */
	uint64_t rng;
};

void walk_init(struct walk *w, uint64_t seed);
/* After a batch of n rows (limit asked for) whose last id is last: moves
 * on and returns false, or returns true when the pass is over. */
bool walk_next(struct walk *w, size_t n, size_t limit, int64_t last);
/* The batch was lost to another runner: the pass starts again after id
 * `after`, a place the caller chose with walk_draw — a random row of the
 * work left (a random id is not enough when finished work sits in long
 * runs: the jump lands in them and walks into another runner's batch). */
uint64_t walk_draw(struct walk *w);
void walk_from(struct walk *w, int64_t after);

#endif
