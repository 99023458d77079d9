/*
 * leader.c — a leader's statement for a month: what was paid in and
 * refunded on their pods, the fee and VAT kept, withholding, clawbacks,
 * what was paid out, and what is carried forward — the facts on top; the
 * rows are every movement of leader_payable:{leader} in the month with a
 * running balance, from the opening balance to the closing one (the
 * ledger's), so the statement reconciles to the won.
 */
#include <stdio.h>

#include "app/reports/internal.h"
#include "domain/money.h"

static const struct report_col cols[] = {
	{"at_kst", "일시(KST)", RC_TEXT, 0},  {"event", "구분", RC_TEXT, 0},
	{"ref", "참조", RC_TEXT, 0},          {"currency", "통화", RC_TEXT, 0},
	{"amount", "금액", RC_MONEY, 0},      {"balance", "잔액", RC_MONEY, 2},
};

struct lead {
	struct rep_run r;
	int64_t balance;
};

static int row(void *arg, const struct rq_leader_line *l)
{
	struct lead *x = arg;

	if (i64_add(&x->balance, x->balance, l->amount) < 0) {
		x->r.failed = 1;
		return err_set(x->r.err, SETTLE_EX_DATAERR, "leader statement: the balance overflows");
	}
	{
		const struct report_cell c[] = {
			{l->at_kst, 0}, {l->kind, 0}, {l->ref, 0}, {l->currency, 0}, {0, l->amount}, {0, x->balance},
		};

		return rep_row(&x->r, c, l->currency, 1);
	}
}

int report_leader(const struct report_ctx *c, const char *leader_id, const struct period *p, struct report_sink *sink,
		  struct report_totals *tot, struct settle_err *err)
{
	struct rq_leader_summary s;
	int rc = c->q->leader_summary(c->q->self, leader_id, p, &s, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown leader %s", leader_id);
	{
		const struct report_fact facts[] = {
			{"leader_id", "리더ID", leader_id, 0},
			{"name", "성명", s.name, 0},
			{"kind", "유형", s.kind, 0},
			{"opening_balance", "전월 이월", NULL, s.opening},
			{"paid_in", "결제액", NULL, s.paid_in},
			{"refunded", "환불액", NULL, s.refunded},
			{"settled_total", "정산총액", NULL, s.settled_total},
			{"fee", "플랫폼 수수료(부가세 포함)", NULL, s.fee},
			{"vat", "그 중 부가세", NULL, s.vat},
			{"leader_share", "리더 몫", NULL, s.leader_share},
			{"clawbacks", "환수액", NULL, s.clawbacks},
			{"withholding", "원천징수", NULL, s.withholding},
			{"paid_out", "지급액", NULL, s.paid_out},
			{"reversed", "지급 취소(반환)", NULL, s.reversed},
			{"carried_forward", "차월 이월", NULL, s.closing},
		};
		char title[160];
		const struct report_head h = {"leader", title, "리더 정산 명세서", p->label, s.currency[0] ? s.currency : "KRW",
					      cols, sizeof cols / sizeof cols[0], facts, sizeof facts / sizeof facts[0]};
		struct lead x = {.balance = s.opening};
		const struct report_cell open[] = {
			{p->first_day, 0}, {"OPENING", 0}, {"", 0}, {s.currency, 0}, {0, 0}, {0, s.opening},
		};

		snprintf(title, sizeof title, "Statement for %s", leader_id);
		if (rep_begin(&x.r, &h, sink, tot, err) < 0 || rep_row(&x.r, open, NULL, 0) < 0)
			return -1;
		if (c->q->leader_lines(c->q->self, leader_id, p, row, &x, err) < 0 || x.r.failed)
			return -1;
		if (x.balance != s.closing)
			return err_set(err, SETTLE_EX_DATAERR,
				       "leader %s: the movements (%lld) do not reach the ledger's closing balance (%lld)",
				       leader_id, (long long)x.balance, (long long)s.closing);
		tot->col[5] = x.balance;
		return rep_end(&x.r);
	}
}
