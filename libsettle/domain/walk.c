/* walk.c — see walk.h. */
#include "domain/walk.h"

void walk_init(struct walk *w, uint64_t seed)
{
	*w = (struct walk){.rng = seed ? seed : 0x9e3779b97f4a7c15u};
}

bool walk_next(struct walk *w, size_t n, size_t limit, int64_t last)
{
	if (n > 0 && n >= limit) {
		w->after = last;
		return false;
	}
	if (!w->wrapped && w->start > 0) {
		/* The first leg reached the end: now the ids before the start. */
		w->wrapped = true;
		w->after = 0;
		w->upto = w->start;
		return false;
	}
	return true;
}

/* xorshift64*: enough to spread runners; nothing here needs more. */
uint64_t walk_draw(struct walk *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1du;
}

void walk_from(struct walk *w, int64_t after)
{
	if (after < 0)
		return;
	w->start = after;
	w->after = after;
	w->upto = 0;
	w->wrapped = false;
}
