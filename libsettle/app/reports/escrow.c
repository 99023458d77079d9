/*
 * escrow.c — escrow balances per pod as of the end of a day (Korea time),
 * computed from the postings up to that instant (the ledger is the
 * history): held (of it, disputed) on escrow:{pod}, and released but not
 * yet settled on released:{pod}. The totals equal those accounts' balances.
 */
#include <stdio.h>

#include "app/reports/internal.h"

static const struct report_col cols[] = {
	{"pod_id", "팟ID", RC_TEXT, 0},     {"title", "팟 제목", RC_TEXT, 0},
	{"leader_id", "리더ID", RC_TEXT, 0}, {"currency", "통화", RC_TEXT, 0},
	{"held", "예치금(분쟁 포함)", RC_MONEY, 0}, {"disputed", "분쟁 중", RC_MONEY, 0},
	{"released_unsettled", "해제·미정산", RC_MONEY, 0},
};

static int row(void *arg, const struct rq_escrow *e)
{
	struct rep_run *r = arg;
	const struct report_cell c[] = {
		{e->pod_id, 0}, {e->title, 0}, {e->leader_id, 0}, {e->currency, 0},
		{0, e->held},   {0, e->disputed}, {0, e->released_unsettled},
	};

	return rep_row(r, c, e->currency, 1);
}

int report_escrow(const struct report_ctx *c, const struct period *day, struct report_sink *sink,
		  struct report_totals *tot, struct settle_err *err)
{
	char label[48];
	const struct report_head h = {"escrow", "Escrow balances", "에스크로 잔액", label, "KRW", cols,
				      sizeof cols / sizeof cols[0], NULL, 0};
	struct rep_run r;

	snprintf(label, sizeof label, "end of %s (KST)", day->last_day);
	if (rep_begin(&r, &h, sink, tot, err) < 0)
		return -1;
	if (c->q->escrow_at(c->q->self, day->to_us, row, &r, err) < 0 || r.failed)
		return -1;
	return rep_end(&r);
}
