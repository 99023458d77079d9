/*
 * escrow_record_completions with in-memory ports: pages through the feed,
 * records known pods and counts unknown ones, moves the cursor with the
 * pods in one unit of work (a failure or a retry leaves no half page), and
 * refuses to record a page when another runner moved the cursor.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/escrow/completions.h"

/* ---- the "database": pods and the cursor, rolled back as one ---- */

struct mem {
	char pods[8][16];
	char completed[8][32];
	int npods;
	char cursor[32];
	int cursor_sets;
};

static struct mem db;
static int fail_pod = -1; /* pod_completed fails on this pod index */
static int deadlocks;     /* commits that fail once and are retried */
static int runs;

static int run(void *self, uow_fn fn, void *arg, struct settle_err *err)
{
	struct mem snap;

	(void)self;
	runs++;
	for (;;) {
		int rc;

		snap = db;
		rc = fn(NULL, arg, err);
		if (rc == 0 && deadlocks > 0) {
			deadlocks--;
			db = snap;
			continue;
		}
		if (rc < 0)
			db = snap;
		return rc;
	}
}

static int cursor_get(void *self, struct uow *tx, const char *name, char *pos, size_t len, struct settle_err *err)
{
	(void)self, (void)tx, (void)err;
	cr_assert_str_eq(name, COMPLETIONS_CURSOR);
	snprintf(pos, len, "%s", db.cursor);
	return 0;
}

static int cursor_set(void *self, struct uow *tx, const char *name, const char *pos, const char *now,
		      struct settle_err *err)
{
	(void)self, (void)tx, (void)name, (void)now, (void)err;
	snprintf(db.cursor, sizeof db.cursor, "%s", pos);
	db.cursor_sets++;
	return 0;
}

static int pod_completed(void *self, struct uow *tx, const char *pod, const char *at, struct settle_err *err)
{
	(void)self, (void)tx;
	for (int i = 0; i < db.npods; i++)
		if (!strcmp(db.pods[i], pod)) {
			if (i == fail_pod)
				return err_set(err, SETTLE_EX_TEMPFAIL, "injected failure on %s", pod);
			if (!db.completed[i][0])
				snprintf(db.completed[i], sizeof db.completed[i], "%s", at);
			return 1;
		}
	return 0;
}

/* ---- the feed: a log of pods, the cursor the index as text ---- */

static const char *feed[] = {"p0", "p1", "ghost", "p2", "p3"};
static size_t feed_n = 5;
static int feed_calls;
static int feed_moves_cursor; /* another runner moves the cursor before the commit */

static int completions(void *self, const char *since, size_t limit, struct study_completion *out, size_t cap,
		       size_t *n, char *next, size_t next_len, struct settle_err *err)
{
	size_t from = *since ? (size_t)atoi(since) : 0;

	(void)self, (void)err;
	feed_calls++;
	*n = 0;
	for (size_t i = from; i < feed_n && *n < limit && *n < cap; i++, (*n)++) {
		snprintf(out[*n].pod_id, sizeof out[*n].pod_id, "%s", feed[i]);
		snprintf(out[*n].completed_at, sizeof out[*n].completed_at, "2026-11-0%zuT00:00:00Z", i + 1);
	}
	snprintf(next, next_len, "%zu", from + *n);
	if (feed_moves_cursor)
		snprintf(db.cursor, sizeof db.cursor, "%s", "99");
	return 0;
}

static int64_t now_us(void *self)
{
	(void)self;
	return 1764000000000000;
}

static struct uow_port uow = {NULL, run};
static struct completions_repo repo = {NULL, cursor_get, cursor_set, pod_completed};
static struct study_port study = {.completions = completions};
static struct clock_port clk = {.now_us = now_us};
static struct completions_ctx ctx = {&uow, &repo, &study, &clk, 2};

static void setup(void)
{
	memset(&db, 0, sizeof db);
	for (int i = 0; i < 4; i++)
		snprintf(db.pods[i], sizeof db.pods[i], "p%d", i);
	db.npods = 4;
	fail_pod = -1;
	deadlocks = runs = feed_calls = feed_moves_cursor = 0;
}

TestSuite(app_completions, .init = setup);

Test(app_completions, pages_records_and_counts_unknown)
{
	struct completions_report r;
	struct settle_err err = {0};

	deadlocks = 2;
	cr_assert_eq(escrow_record_completions(&ctx, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.recorded, 4);
	cr_assert_eq(r.unknown, 1);
	cr_assert_eq(r.pages, 3);
	cr_assert_str_eq(db.cursor, "5");
	cr_assert_str_eq(db.completed[0], "2026-11-01T00:00:00Z");
	cr_assert_str_eq(db.completed[3], "2026-11-05T00:00:00Z");

	/* caught up: one call, nothing written */
	feed_calls = runs = 0;
	cr_assert_eq(escrow_record_completions(&ctx, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.recorded + r.unknown + r.pages, 0);
	cr_assert_eq(feed_calls, 1);
	cr_assert_eq(runs, 0);
}

Test(app_completions, failure_keeps_pods_and_cursor_together)
{
	struct completions_report r;
	struct settle_err err = {0};

	fail_pod = 2; /* "p2", on the second page */
	cr_assert_eq(escrow_record_completions(&ctx, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert_str_eq(db.cursor, "2"); /* the first page committed, not the second */
	cr_assert_str_eq(db.completed[1], "2026-11-02T00:00:00Z");
	cr_assert_str_eq(db.completed[2], "");
	fail_pod = -1;
	cr_assert_eq(escrow_record_completions(&ctx, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.recorded, 2);
	cr_assert_eq(r.unknown, 1);
	cr_assert_str_eq(db.cursor, "5");
}

Test(app_completions, cursor_moved_by_another_runner)
{
	struct completions_report r;
	struct settle_err err = {0};

	feed_moves_cursor = 1;
	cr_assert_eq(escrow_record_completions(&ctx, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert_not_null(strstr(err.msg, "moved"), "%s", err.msg);
	cr_assert_str_eq(db.completed[0], "");
	cr_assert_eq(db.cursor_sets, 0);
}

Test(app_completions, no_feed)
{
	struct study_port none = {0};
	struct completions_ctx c = ctx;
	struct completions_report r;
	struct settle_err err = {0};

	c.study = &none;
	cr_assert_eq(escrow_record_completions(&c, &r, &err), 0);
	cr_assert_eq(r.recorded, 0);
	cr_assert_eq(runs, 0);
}
