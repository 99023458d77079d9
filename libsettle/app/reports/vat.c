/*
 * vat.c — the VAT report: the platform fee's supply value and VAT per
 * Korea-time month of the period and in total — settlements minus the
 * clawbacks of refunds after settlement. Totals equal what settlement and
 * refund entries of the period moved on platform_revenue and vat_payable.
 */
#include "app/reports/internal.h"
#include "domain/money.h"

static const struct report_col cols[] = {
	{"month_kst", "귀속월(KST)", RC_TEXT, 0},       {"currency", "통화", RC_TEXT, 0},
	{"settled_fee", "정산 수수료", RC_MONEY, 0},    {"clawed_back_fee", "환수 수수료", RC_MONEY, 0},
	{"settled_supply", "정산 공급가액", RC_MONEY, 0}, {"settled_vat", "정산 부가세", RC_MONEY, 0},
	{"supply", "공급가액", RC_MONEY, 0},            {"vat", "부가세", RC_MONEY, 0},
	{"clawed_back_supply", "환수 공급가액", RC_MONEY, 0}, {"clawed_back_vat", "환수 부가세", RC_MONEY, 0},
};

static int row(void *arg, const struct rq_vat_month *m)
{
	struct rep_run *r = arg;
	int64_t fee, back, supply, vat;

	if (i64_add(&fee, m->supply, m->vat) < 0 || i64_add(&back, m->clawback_supply, m->clawback_vat) < 0 ||
	    i64_sub(&supply, m->supply, m->clawback_supply) < 0 || i64_sub(&vat, m->vat, m->clawback_vat) < 0) {
		r->failed = 1;
		return err_set(r->err, SETTLE_EX_DATAERR, "VAT report: month %s overflows", m->month);
	}
	{
		const struct report_cell c[] = {
			{m->month, 0},       {m->currency, 0},         {0, fee},   {0, back},
			{0, m->supply},      {0, m->vat},              {0, supply}, {0, vat},
			{0, m->clawback_supply}, {0, m->clawback_vat},
		};

		return rep_row(r, c, m->currency, 1);
	}
}

int report_vat(const struct report_ctx *c, const struct period *p, struct report_sink *sink, struct report_totals *tot,
	       struct settle_err *err)
{
	const struct report_head h = {"vat", "VAT on the platform fee", "플랫폼 수수료 부가세", p->label, "KRW", cols,
				      sizeof cols / sizeof cols[0], NULL, 0};
	struct rep_run r;

	if (rep_begin(&r, &h, sink, tot, err) < 0)
		return -1;
	if (c->q->vat(c->q->self, p, row, &r, err) < 0 || r.failed)
		return -1;
	return rep_end(&r);
}
