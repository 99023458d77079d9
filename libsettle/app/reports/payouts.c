/*
 * payouts.c — the payouts report: a row a payout created in the period
 * (Korea time); --detail adds under each the settlements, clawbacks and
 * payments it carries (stripe-node#2135: a payout names what it pays).
 * Totals count live payouts only: a FAILED or RETURNED one was reversed in
 * the ledger, so the totals equal the payouts' net postings.
 */
#include <string.h>

#include "app/reports/internal.h"

static const struct report_col cols[] = {
	{"line", "구분", RC_TEXT, 0},                 {"payout_id", "지급ID", RC_TEXT, 0},
	{"leader_id", "리더ID", RC_TEXT, 0},          {"leader_kind", "리더 유형", RC_TEXT, 0},
	{"currency", "통화", RC_TEXT, 0},             {"gross", "지급총액", RC_MONEY, 0},
	{"income_tax", "소득세", RC_MONEY, 0},        {"local_tax", "지방소득세", RC_MONEY, 0},
	{"withholding", "원천징수 합계", RC_MONEY, 0}, {"amount", "실지급액", RC_MONEY, 0},
	{"channel", "지급 경로", RC_TEXT, 0},         {"status", "상태", RC_TEXT, 0},
	{"created_at_kst", "생성일시(KST)", RC_TEXT, 0}, {"sent_at_kst", "송금일시(KST)", RC_TEXT, 0},
	{"paid_at_kst", "지급완료일시(KST)", RC_TEXT, 0}, {"item_ref", "포함 항목", RC_TEXT, 0},
	{"item_amount", "항목 금액", RC_MONEY, 1},
};

static int row(void *arg, const struct rq_payout *p)
{
	struct rep_run *r = arg;
	int is_payout = !strcmp(p->line, "PAYOUT");
	int live = is_payout && strcmp(p->status, "FAILED") && strcmp(p->status, "RETURNED");
	const struct report_cell c[] = {
		{p->line, 0},        {p->public_id, 0},   {p->leader_id, 0},  {p->leader_kind, 0},
		{p->currency, 0},    {0, is_payout ? p->gross : 0}, {0, is_payout ? p->income_tax : 0},
		{0, is_payout ? p->local_tax : 0}, {0, is_payout ? p->withholding : 0}, {0, is_payout ? p->amount : 0},
		{p->channel, 0},     {p->status, 0},      {p->created_kst, 0}, {p->sent_kst, 0},
		{p->paid_kst, 0},    {p->item_ref, 0},    {0, p->item_amount},
	};

	return rep_row(r, c, p->currency, live);
}

int report_payouts(const struct report_ctx *c, const struct period *p, int detail, struct report_sink *sink,
		   struct report_totals *tot, struct settle_err *err)
{
	const struct report_head h = {detail ? "payouts-detail" : "payouts", "Payouts", "지급 내역", p->label, "KRW",
				      cols, sizeof cols / sizeof cols[0], NULL, 0};
	struct rep_run r;

	if (rep_begin(&r, &h, sink, tot, err) < 0)
		return -1;
	if (c->q->payouts(c->q->self, p, detail, row, &r, err) < 0 || r.failed)
		return -1;
	return rep_end(&r);
}
