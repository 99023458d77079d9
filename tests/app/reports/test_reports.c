/*
 * test_reports.c — the report use cases against in-memory ports: totals
 * are the rows' overflow-checked sums, a report mixing currencies or
 * overflowing is refused; a remittance books exactly the report's total
 * under remittance:{kind}:{period}, refuses a period not ended, a second
 * booking and nothing to remit, each without posting; a close refuses
 * while anything blocks it (the pack is never opened), writes five
 * reports and the manifest otherwise, and is recorded once.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/reports/reports.h"
#include "fakes/fakes.h"

/* --- a query port over arrays ------------------------------------------------ */

static struct rq_withholding wh[4];
static size_t n_wh;
static struct rq_settlement st[4];
static size_t n_st;
static struct rq_blocker bl[2];
static size_t n_bl;

static int q_settlements(void *self, const struct period *p, int (*fn)(void *, const struct rq_settlement *), void *arg,
			 struct settle_err *err)
{
	(void)self, (void)p, (void)err;
	for (size_t i = 0; i < n_st; i++)
		if (fn(arg, &st[i]) < 0)
			return -1;
	return 0;
}

static int q_withholding(void *self, const struct period *p, int (*fn)(void *, const struct rq_withholding *),
			 void *arg, struct settle_err *err)
{
	(void)self, (void)p, (void)err;
	for (size_t i = 0; i < n_wh; i++)
		if (fn(arg, &wh[i]) < 0)
			return -1;
	return 0;
}

static int q_none_vat(void *self, const struct period *p, int (*fn)(void *, const struct rq_vat_month *), void *arg,
		      struct settle_err *err)
{
	(void)self, (void)p, (void)fn, (void)arg, (void)err;
	return 0;
}

static int q_payouts(void *self, const struct period *p, int detail, int (*fn)(void *, const struct rq_payout *),
		     void *arg, struct settle_err *err)
{
	(void)self, (void)p, (void)detail, (void)fn, (void)arg, (void)err;
	return 0;
}

static int q_escrow(void *self, int64_t at, int (*fn)(void *, const struct rq_escrow *), void *arg,
		    struct settle_err *err)
{
	(void)self, (void)at, (void)fn, (void)arg, (void)err;
	return 0;
}

static int q_blockers(void *self, const struct period *p, int (*fn)(void *, const struct rq_blocker *), void *arg,
		      struct settle_err *err)
{
	(void)self, (void)p, (void)err;
	for (size_t i = 0; i < n_bl; i++)
		if (fn(arg, &bl[i]) < 0)
			return -1;
	return 0;
}

static int q_balance(void *self, const char *account, const char *cur, int64_t *out, struct settle_err *err)
{
	(void)self, (void)account, (void)cur, (void)err;
	*out = 0;
	return 0;
}

static struct report_queries q = {.settlements = q_settlements, .payouts = q_payouts, .escrow_at = q_escrow,
				  .withholding = q_withholding, .vat = q_none_vat, .close_blockers = q_blockers,
				  .balance = q_balance};

/* --- remittances and closes in memory ---------------------------------------- */

static struct remittance rem[4];
static size_t n_rem;
static int closes, close_finds_one;

static int r_insert(void *self, struct uow *tx, const struct remittance *r, const char *now, struct settle_err *err)
{
	(void)self, (void)tx, (void)now, (void)err;
	rem[n_rem++] = *r;
	return 1;
}

static int r_find(void *self, struct uow *tx, const char *kind, const char *period, struct remittance *out,
		  struct settle_err *err)
{
	(void)self, (void)tx, (void)err;
	for (size_t i = 0; i < n_rem; i++)
		if (!strcmp(rem[i].kind, kind) && !strcmp(rem[i].period, period)) {
			*out = rem[i];
			return 1;
		}
	return 0;
}

static int c_insert(void *self, struct uow *tx, const struct month_close *c, const char *now, struct settle_err *err)
{
	(void)self, (void)tx, (void)c, (void)now, (void)err;
	closes++;
	return 1;
}

static int c_find(void *self, struct uow *tx, const char *month, struct month_close *out, struct settle_err *err)
{
	(void)self, (void)tx, (void)month, (void)err;
	memset(out, 0, sizeof *out);
	return close_finds_one;
}

static struct remittances_repo remittances = {NULL, r_insert, r_find, c_insert, c_find};

/* --- a sink and a pack that count ----------------------------------------- */

static int64_t sink_rows, sink_totals[REPORT_MAX_COLS];
static int s_begin(void *s, const struct report_head *h, struct settle_err *e)
{
	(void)s, (void)h, (void)e;
	return 0;
}
static int s_row(void *s, const struct report_cell *c, struct settle_err *e)
{
	(void)s, (void)c, (void)e;
	sink_rows++;
	return 0;
}
static int s_totals(void *s, const struct report_cell *c, struct settle_err *e)
{
	(void)s, (void)e;
	for (size_t i = 0; i < REPORT_MAX_COLS; i++)
		sink_totals[i] = c[i].v;
	return 0;
}
static int s_end(void *s, struct settle_err *e)
{
	(void)s, (void)e;
	return 0;
}
static struct report_sink sink = {NULL, s_begin, s_row, s_totals, s_end};

static int pack_opens, pack_files, pack_manifests;
static int p_open(void *s, const char *m, char *dir, size_t len, struct settle_err *e)
{
	(void)s, (void)e;
	pack_opens++;
	snprintf(dir, len, "/packs/%s", m);
	return 0;
}
static int p_file(void *s, const char *name, struct report_sink **out, struct settle_err *e)
{
	(void)s, (void)name, (void)e;
	*out = &sink;
	return 0;
}
static int p_done(void *s, struct report_sink *k, int ok, struct settle_err *e)
{
	(void)s, (void)k, (void)e;
	pack_files += ok;
	return 0;
}
static int p_extras(void *s, size_t *n, struct settle_err *e)
{
	(void)s, (void)e;
	*n = 0;
	return 0;
}
static int p_manifest(void *s, char sha[65], struct settle_err *e)
{
	(void)s, (void)e;
	pack_manifests++;
	memset(sha, 'a', 64);
	sha[64] = '\0';
	return 0;
}
static struct report_pack pack = {NULL, p_open, p_file, p_done, p_extras, p_manifest};

/* --- the context ---------------------------------------------------------- */

static struct fake_store store;
static struct fake_uow fuow;
static struct fake_clock clk;
static struct uow_port uow;
static struct ledger_repo ledger;
static struct clock_port clock_port;
static struct report_ctx ctx;

static void setup(void)
{
	memset(&store, 0, sizeof store);
	memset(&fuow, 0, sizeof fuow);
	fuow.store = &store;
	fake_uow_port(&uow, &fuow);
	fake_ledger_repo(&ledger, &store);
	fake_clock_port(&clock_port, &clk);
	ctx = (struct report_ctx){&q, &uow, &ledger, &remittances, &clock_port, NULL};
	n_wh = n_st = n_bl = n_rem = 0;
	closes = close_finds_one = 0;
	pack_opens = pack_files = pack_manifests = 0;
	sink_rows = 0;
	memset(sink_totals, 0, sizeof sink_totals);
	wh[n_wh++] = (struct rq_withholding){"leader-kim", "Kim", "pyo_1", "2026-11-20", "KRW", NULL, 0, 80000, 2400, 240, 2640, 77360};
	wh[n_wh++] = (struct rq_withholding){"leader-choi", "Choi", "pyo_2", "2026-11-21", "KRW", NULL, 0, 10000, 300, 30, 330, 9670};
}

TestSuite(app_reports, .init = setup);

static void at(const char *day)
{
	struct period p;
	struct settle_err err = {0};

	cr_assert_eq(period_day("now", day, &p, &err), 0);
	clk.now_us = p.from_us + 3600 * 1000000LL;
}

Test(app_reports, totals_are_the_rows_sums)
{
	struct period p;
	struct report_totals tot;
	struct settle_err err = {0};

	period_month("--month", "2026-11", &p, &err);
	cr_assert_eq(report_withholding(&ctx, &p, &sink, &tot, &err), 0, "%s", err.msg);
	cr_assert_eq(sink_rows, 2);
	cr_assert_eq(tot.rows, 2);
	cr_assert_eq(tot.col[WH_COL_WITHHOLDING], 2970);
	cr_assert_eq(sink_totals[WH_COL_GROSS], 90000);
	cr_assert_str_eq(tot.currency, "KRW");
}

Test(app_reports, mixed_currencies_and_overflow_are_refused)
{
	struct period p;
	struct report_totals tot;
	struct settle_err err = {0};

	period_month("--month", "2026-11", &p, &err);
	wh[1].currency = "USD";
	cr_assert_eq(report_withholding(&ctx, &p, NULL, &tot, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "mixes currencies"), "%s", err.msg);
	wh[1].currency = "KRW";
	wh[1].gross = INT64_MAX;
	cr_assert_eq(report_withholding(&ctx, &p, NULL, &tot, &err), -1);
	cr_assert(strstr(err.msg, "gross total overflows"), "%s", err.msg);
}

Test(app_reports, remit_books_the_report_total_once)
{
	struct remit_req req = {.kind = REMIT_WITHHOLDING, .paid_on = "2026-12-10"};
	struct remit_result res;
	struct settle_err err = {0};

	period_month("--month", "2026-11", &req.period, &err);
	at("2026-11-30");
	req.paid_on = "2026-11-30";
	cr_assert_eq(remit(&ctx, &req, NULL, NULL, &res, &err), -1);
	cr_assert(strstr(err.msg, "has not ended"), "%s", err.msg);
	cr_assert_eq(store.db.n_entries, 0u);
	req.early = 1;
	req.paid_on = "2026-12-01";
	cr_assert_eq(remit(&ctx, &req, NULL, NULL, &res, &err), -1, "paid in the future");
	req.early = 0;

	at("2026-12-10");
	req.paid_on = "2026-12-10";
	cr_assert_eq(remit(&ctx, &req, NULL, NULL, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.r.amount, 2970);
	cr_assert_eq(n_rem, 1u);
	cr_assert_eq(store.db.n_entries, 1u);
	cr_assert_str_eq(store.db.entries[0].key, "remittance:withholding:2026-11");
	cr_assert_eq(store.db.entries[0].entry.postings[0].amount, 2970);
	cr_assert_str_eq(store.db.entries[0].entry.postings[1].account, "bank");

	cr_assert_eq(remit(&ctx, &req, NULL, NULL, &res, &err), -1);
	cr_assert(strstr(err.msg, "already remitted: 2970 KRW paid on 2026-12-10"), "%s", err.msg);
	cr_assert_eq(store.db.n_entries, 1u);
	cr_assert_eq(n_rem, 1u);
}

Test(app_reports, nothing_to_remit_and_dry_run_book_nothing)
{
	struct remit_req req = {.kind = REMIT_VAT, .paid_on = "2027-01-10"};
	struct remit_result res;
	struct settle_err err = {0};

	period_quarter("--quarter", "2026-Q4", &req.period, &err);
	at("2027-01-10");
	cr_assert_eq(remit(&ctx, &req, NULL, NULL, &res, &err), -1);
	cr_assert(strstr(err.msg, "nothing to remit"), "%s", err.msg);
	cr_assert_eq(n_rem, 0u);
	req.kind = REMIT_WITHHOLDING;
	period_month("--month", "2026-12", &req.period, &err);
	req.dry_run = 1;
	cr_assert_eq(remit(&ctx, &req, NULL, NULL, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.r.amount, 2970);
	cr_assert_eq(n_rem, 0u);
	cr_assert_eq(store.db.n_entries, 0u);
}

Test(app_reports, close_refuses_while_blocked_then_packs_once)
{
	struct close_req req = {0};
	struct close_result res;
	struct settle_err err = {0};

	period_month("--month", "2026-11", &req.month, &err);
	at("2026-12-01");
	bl[n_bl++] = (struct rq_blocker){"pod", "pod-algo-101", "COMPLETED", "1 escrow(s) not settled", 50000};
	bl[n_bl++] = (struct rq_blocker){"payout", "pyo_9", "SENDING", "in doubt", 100};
	cr_assert_eq(month_close(&ctx, &pack, &req, NULL, NULL, &res, &err), -1);
	cr_assert(strstr(err.msg, "1 pod(s) with unsettled money, 1 payout(s) in doubt"), "%s", err.msg);
	cr_assert_eq(pack_opens, 0);
	cr_assert_eq(closes, 0);
	n_bl = 0;
	cr_assert_eq(month_close(&ctx, &pack, &req, NULL, NULL, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(pack_files, 5);
	cr_assert_eq(pack_manifests, 1);
	cr_assert_eq(closes, 1);
	cr_assert_str_eq(res.dir, "/packs/2026-11");
	close_finds_one = 1;
	cr_assert_eq(month_close(&ctx, &pack, &req, NULL, NULL, &res, &err), -1);
	cr_assert(strstr(err.msg, "already closed"), "%s", err.msg);
	at("2026-11-30");
	close_finds_one = 0;
	cr_assert_eq(month_close(&ctx, &pack, &req, NULL, NULL, &res, &err), -1);
	cr_assert(strstr(err.msg, "has not ended"), "%s", err.msg);
}
