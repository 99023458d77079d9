/* The backlog walk: one runner alone visits every id once, in order; a
 * runner that jumps still visits every id after its last jump. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/walk.h"

/* A jump to a random id in [lo, hi], as the use cases jump to a random
 * row of the work left. */
static void jump(struct walk *w, int64_t lo, int64_t hi)
{
	if (lo <= hi)
		walk_from(w, lo + (int64_t)(walk_draw(w) % (uint64_t)(hi - lo + 1)));
}

/* Runs a pass over ids 1..total, taking batches of limit from the walk's
 * bounds; jump_at: the batch numbers after which the runner jumps (lost
 * its batch). Counts the visits per id. */
static int walk_over(int total, size_t limit, const int *jump_at, int n_jumps, int *visits, uint64_t seed)
{
	struct walk w;
	int batches = 0, j = 0;

	walk_init(&w, seed);
	for (;;) {
		size_t n = 0;
		int64_t last = 0;

		if (j < n_jumps && batches == jump_at[j]) {
			j++;
			memset(visits, 0, sizeof(int) * (size_t)(total + 1)); /* count after the last jump */
			jump(&w, 1, total);
		}
		for (int id = (int)w.after + 1; id <= total && n < limit; id++) {
			if (w.upto && id > w.upto)
				break;
			visits[id]++;
			n++;
			last = id;
		}
		batches++;
		if (walk_next(&w, n, limit, last))
			return batches;
		cr_assert(batches < 10000, "the walk does not end");
	}
}

Test(domain_walk, alone_it_walks_once_from_the_beginning)
{
	int visits[1001] = {0};
	struct walk w;

	walk_init(&w, 42);
	cr_assert_eq(w.after, 0);
	cr_assert_eq(w.upto, 0);
	cr_assert_eq(walk_over(1000, 100, NULL, 0, visits, 42), 11); /* ten full, one empty */
	for (int id = 1; id <= 1000; id++)
		cr_assert_eq(visits[id], 1, "id %d visited %d times", id, visits[id]);
}

Test(domain_walk, after_jumps_every_id_is_visited_once)
{
	const int jumps[] = {2, 3, 7};

	for (uint64_t seed = 1; seed <= 200; seed++) {
		int visits[1001] = {0};

		walk_over(1000, 64, jumps, 3, visits, seed);
		for (int id = 1; id <= 1000; id++)
			cr_assert_eq(visits[id], 1, "seed %llu: id %d visited %d times", (unsigned long long)seed, id,
				     visits[id]);
	}
}

Test(domain_walk, jumps_land_inside_the_range_and_spread)
{
	struct walk w;
	int low = 0, high = 0;

	walk_init(&w, 7);
	for (int i = 0; i < 1000; i++) {
		jump(&w, 100, 199);
		cr_assert(w.start >= 100 && w.start <= 199, "%lld", (long long)w.start);
		cr_assert_eq(w.after, w.start);
		if (w.start < 150)
			low++;
		else
			high++;
	}
	cr_assert(low > 300 && high > 300, "low %d high %d", low, high);
}

Test(domain_walk, an_empty_range_or_a_negative_place_changes_nothing)
{
	struct walk w;

	walk_init(&w, 7);
	w.after = 5;
	jump(&w, 10, 9);
	cr_assert_eq(w.after, 5);
	walk_from(&w, -1);
	cr_assert_eq(w.after, 5);
	cr_assert_eq(w.start, 0);
}
