/* completions.c — pod completions from the Study Service (completions.h). */
#include "app/escrow/completions.h"

#include <stdlib.h>
#include <string.h>

#include "domain/timefmt.h"

struct page {
	const struct completions_ctx *c;
	const char *since, *next;
	const struct study_completion *items;
	size_t n, recorded, unknown;
};

static int record_page(struct uow *tx, void *arg, struct settle_err *err)
{
	struct page *p = arg;
	const struct completions_repo *r = p->c->repo;
	char pos[STUDY_CURSOR_MAX + 1], now[TIME_SQL_LEN];

	/* Rebuilt from scratch: uow_run may run this again after a deadlock. */
	p->recorded = p->unknown = 0;
	if (r->cursor_get(r->self, tx, COMPLETIONS_CURSOR, pos, sizeof pos, err) < 0)
		return -1;
	/* Another runner recorded this page while we were asking. */
	if (strcmp(pos, p->since))
		return err_set(err, SETTLE_EX_TEMPFAIL, "cursor %s moved during the run (another runner?); run again",
			       COMPLETIONS_CURSOR);
	for (size_t i = 0; i < p->n; i++) {
		int rc = r->pod_completed(r->self, tx, p->items[i].pod_id, p->items[i].completed_at, err);

		if (rc < 0)
			return -1;
		if (rc == 1)
			p->recorded++;
		else
			p->unknown++;
	}
	time_sql(p->c->clock->now_us(p->c->clock->self), now);
	return r->cursor_set(r->self, tx, COMPLETIONS_CURSOR, p->next, now, err);
}

int escrow_record_completions(const struct completions_ctx *c, struct completions_report *rep,
			      struct settle_err *err)
{
	size_t page = c->page ? c->page : 100;
	char since[STUDY_CURSOR_MAX + 1], next[STUDY_CURSOR_MAX + 1];
	struct study_completion *items;
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	if (!c->study || !c->study->completions)
		return 0; /* no feed: the pods table is the source */
	if (page > 1000)
		page = 1000;
	items = calloc(page, sizeof *items);
	if (!items)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (c->repo->cursor_get(c->repo->self, NULL, COMPLETIONS_CURSOR, since, sizeof since, err) < 0) {
		rc = -1;
		goto out;
	}
	for (;;) {
		struct page p = {.c = c, .since = since, .next = next, .items = items};

		if (c->study->completions(c->study->self, since, page, items, page, &p.n, next, sizeof next, err) < 0) {
			rc = -1;
			break;
		}
		/* Nothing new and the cursor did not move: caught up. */
		if (p.n == 0 && !strcmp(next, since))
			break;
		if (uow_run(c->uow, record_page, &p, err) < 0) {
			rc = -1;
			break;
		}
		rep->recorded += p.recorded;
		rep->unknown += p.unknown;
		rep->pages++;
		memcpy(since, next, sizeof since);
		if (p.n < page)
			break;
	}
out:
	free(items);
	return rc;
}
