/*
 * settlements.c — the settlements report: a row a settlement made in the
 * period (Korea time), with its split, the clawbacks against it and the
 * payout carrying it; totals equal the settlement entries' postings.
 */
#include "app/reports/internal.h"

static const struct report_col cols[] = {
	{"settlement_id", "정산ID", RC_TEXT, 0},   {"settled_at_kst", "정산일시(KST)", RC_TEXT, 0},
	{"pod_id", "팟ID", RC_TEXT, 0},            {"title", "팟 제목", RC_TEXT, 0},
	{"leader_id", "리더ID", RC_TEXT, 0},       {"currency", "통화", RC_TEXT, 0},
	{"total", "정산총액", RC_MONEY, 0},        {"fee", "플랫폼 수수료(부가세 포함)", RC_MONEY, 0},
	{"supply", "공급가액", RC_MONEY, 0},       {"vat", "부가세", RC_MONEY, 0},
	{"leader_share", "리더 몫", RC_MONEY, 0},  {"clawed_back", "환수액", RC_MONEY, 0},
	{"payout_id", "지급ID", RC_TEXT, 0},       {"payout_status", "지급상태", RC_TEXT, 0},
	{"status", "정산상태", RC_TEXT, 0},
};

static int row(void *arg, const struct rq_settlement *s)
{
	struct rep_run *r = arg;
	const struct report_cell c[] = {
		{s->public_id, 0}, {s->settled_kst, 0}, {s->pod_id, 0}, {s->title, 0}, {s->leader_id, 0},
		{s->currency, 0}, {0, s->total}, {0, s->fee}, {0, s->supply}, {0, s->vat}, {0, s->leader_share},
		{0, s->clawed_back}, {s->payout_id, 0}, {s->payout_status, 0}, {s->status, 0},
	};

	return rep_row(r, c, s->currency, 1);
}

int report_settlements(const struct report_ctx *c, const struct period *p, struct report_sink *sink,
		       struct report_totals *tot, struct settle_err *err)
{
	const struct report_head h = {"settlements", "Settlements", "정산 내역", p->label, "KRW", cols,
				      sizeof cols / sizeof cols[0], NULL, 0};
	struct rep_run r;

	if (rep_begin(&r, &h, sink, tot, err) < 0)
		return -1;
	if (c->q->settlements(c->q->self, p, row, &r, err) < 0 || r.failed)
		return -1;
	return rep_end(&r);
}
