/*
 * reconcile_report.c — settle-report reconcile's findings as a finance
 * report (see reconcile.h): one row per finding, money in minor units,
 * days in Korea time, the totals row summed by the shared report run.
 */
#include <stdio.h>

#include "app/reports/internal.h"
#include "app/reports/reconcile.h"

static const struct report_col cols[] = {
	{"status", "상태", RC_TEXT, 0},            {"kind", "구분", RC_TEXT, 0},
	{"pg", "PG", RC_TEXT, 0},                  {"payment_key", "결제키", RC_TEXT, 0},
	{"order_id", "주문번호", RC_TEXT, 0},      {"transaction_key", "거래키", RC_TEXT, 0},
	{"ref", "참조", RC_TEXT, 0},               {"date_kst", "당사 일자(KST)", RC_TEXT, 0},
	{"currency", "통화", RC_TEXT, 0},          {"our_amount", "당사 금액", RC_MONEY, 0},
	{"pg_amount", "PG 금액", RC_MONEY, 0},     {"difference", "차액", RC_MONEY, 0},
	{"pg_fee", "PG 수수료", RC_MONEY, 0},      {"payout", "지급액", RC_MONEY, 0},
	{"sold_date_kst", "매출일(KST)", RC_TEXT, 0}, {"paid_out_date_kst", "지급일(KST)", RC_TEXT, 0},
	{"note", "비고", RC_TEXT, 0},
};

struct rr {
	struct rep_run run;
	struct report_head head;
	struct report_sink *sink;
	struct report_totals *tot;
	int begun;
};

static int begin(struct rr *x, struct settle_err *err)
{
	if (x->begun)
		return 0;
	x->begun = 1;
	return rep_begin(&x->run, &x->head, x->sink, x->tot, err);
}

static int row(void *arg, const struct recon_finding *f, struct settle_err *err)
{
	struct rr *x = arg;
	const struct recon_ours *u = f->ours;
	const struct recon_record *r = f->pg;
	const char *cur = r ? r->currency : u->currency;
	const struct report_cell c[] = {
		{recon_status_name(f->status), 0},
		{recon_kind_name(u ? u->kind : r->kind), 0},
		{u ? u->pg : r->pg, 0},
		{u ? u->payment_key : r->payment_key, 0},
		{u ? u->order_id : r->order_id, 0},
		{r ? r->transaction_key : "", 0},
		{u ? u->ref : "", 0},
		{u ? u->date : "", 0},
		{cur, 0},
		{0, u ? u->amount : 0},
		{0, r ? r->amount : 0},
		{0, f->difference},
		{0, r ? r->fee : 0},
		{0, r ? r->payout : 0},
		{r ? r->sold_date : "", 0},
		{r ? r->paid_out_date : "", 0},
		{f->why, 0},
	};

	if (begin(x, err) < 0)
		return -1;
	return rep_row(&x->run, c, cur, 1);
}

int report_reconcile(const struct reconcile_ctx *c, const struct reconcile_opts *o, struct report_sink *sink,
		     struct reconcile_report *rep, struct report_totals *tot, struct settle_err *err)
{
	char period[48];
	struct rr x = {.sink = sink, .tot = tot};

	snprintf(period, sizeof period, "%s..%s", o->from, o->to);
	x.head = (struct report_head){"reconcile", "PG reconciliation", "PG 정산 대사", period, "KRW", cols,
				      sizeof cols / sizeof cols[0], NULL, 0};
	if (reconcile_run(c, o, row, &x, rep, err) < 0)
		return -1;
	if (begin(&x, err) < 0)
		return -1;
	return rep_end(&x.run);
}
