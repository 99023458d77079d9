/*
 * withholding.c — the withholding report of a month: per individual
 * leader, each payout sent in that month (Korea time) with gross paid,
 * income tax and local tax — the rows of the monthly withholding return
 * and the simplified statement of business income (tax.md §9). Resident
 * numbers are masked unless the context can open them (--with-rrn).
 * Totals equal what the month's payouts left on withholding_payable.
 */
#include <stdio.h>
#include <string.h>

#include "app/reports/internal.h"
#include "domain/report_period.h"

static const struct report_col cols[] = {
	{"leader_id", "리더ID", RC_TEXT, 0},        {"name", "성명", RC_TEXT, 0},
	{"resident_number", "주민등록번호", RC_TEXT, 0}, {"payout_id", "지급ID", RC_TEXT, 0},
	{"paid_on_kst", "지급일(KST)", RC_TEXT, 0}, {"currency", "통화", RC_TEXT, 0},
	{"gross", "지급액", RC_MONEY, 0},           {"income_tax", "소득세", RC_MONEY, 0},
	{"local_tax", "지방소득세", RC_MONEY, 0},   {"withholding", "원천징수 합계", RC_MONEY, 0},
	{"amount", "차인지급액", RC_MONEY, 0},
};

struct wh {
	struct rep_run r;
	const struct rrn_port *rrn;
};

static int row(void *arg, const struct rq_withholding *w)
{
	struct wh *x = arg;
	char clear[32] = "", shown[32] = "";
	int rc;

	if (w->rrn_sealed && w->rrn_len) {
		if (x->rrn) {
			if (x->rrn->open(x->rrn->self, w->rrn_sealed, w->rrn_len, clear, sizeof clear, x->r.err) < 0) {
				x->r.failed = 1;
				return err_prefix(x->r.err, "leader %s: resident number", w->leader_id);
			}
			rrn_format(clear, shown, sizeof shown);
		} else {
			/* masked without opening it: the key is not even loaded */
			snprintf(shown, sizeof shown, "%s", RRN_MASKED);
		}
	}
	{
		const struct report_cell c[] = {
			{w->leader_id, 0}, {w->name, 0}, {shown, 0}, {w->payout_id, 0}, {w->sent_kst, 0},
			{w->currency, 0},  {0, w->gross}, {0, w->income_tax}, {0, w->local_tax}, {0, w->withholding},
			{0, w->amount},
		};

		rc = rep_row(&x->r, c, w->currency, 1);
	}
	explicit_bzero(clear, sizeof clear);
	explicit_bzero(shown, sizeof shown);
	return rc;
}

int report_withholding(const struct report_ctx *c, const struct period *p, struct report_sink *sink,
		       struct report_totals *tot, struct settle_err *err)
{
	const struct report_head h = {"withholding", "Withholding on business income", "사업소득 원천징수", p->label,
				      "KRW", cols, sizeof cols / sizeof cols[0], NULL, 0};
	struct wh x = {.rrn = c->rrn};

	if (rep_begin(&x.r, &h, sink, tot, err) < 0)
		return -1;
	if (c->q->withholding(c->q->self, p, row, &x, err) < 0 || x.r.failed)
		return -1;
	return rep_end(&x.r);
}
