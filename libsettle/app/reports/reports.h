/*
 * app/reports/reports.h — settle-report's use cases: the finance reports
 * (settlements, payouts, escrow, a leader's statement, withholding, VAT)
 * written row by row to a report sink, the remittances of withholding and
 * VAT to the tax office, and the month's close.
 *
 * Rules: rows stream from the query port to the sink (constant memory);
 * the totals row is the overflow-checked sum of the rows, which equals the
 * ledger for the same period (tests prove it per report); a report never
 * mixes currencies; a remittance books exactly what its report's totals
 * say, once per period, with a balanced entry in the same transaction as
 * its row; a close refuses while anything of the month is unsettled or in
 * doubt.
 */
#ifndef SETTLE_APP_REPORTS_H
#define SETTLE_APP_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/report_period.h"
#include "ports/clock.h"
#include "ports/ledger_repo.h"
#include "ports/remittances_repo.h"
#include "ports/report_pack.h"
#include "ports/report_queries.h"
#include "ports/report_sink.h"
#include "ports/rrn.h"
#include "ports/uow.h"

struct report_ctx {
	const struct report_queries *q;
	const struct uow_port *uow;
	const struct ledger_repo *ledger;
	const struct remittances_repo *remittances;
	const struct clock_port *clock;
	const struct rrn_port *rrn; /* NULL unless --with-rrn */
};

#define REPORT_MAX_COLS 24

/* What a report added up (per column, in its column order). */
struct report_totals {
	int64_t rows;
	int64_t col[REPORT_MAX_COLS];
	char currency[4];
};

/* Column indexes the remittances and tests rely on. */
enum { WH_COL_GROSS = 6, WH_COL_INCOME = 7, WH_COL_LOCAL = 8, WH_COL_WITHHOLDING = 9, WH_COL_AMOUNT = 10 };
enum { VAT_COL_SUPPLY = 6, VAT_COL_VAT = 7 };

/* sink may be NULL (totals only). */
int report_settlements(const struct report_ctx *c, const struct period *p, struct report_sink *sink,
		       struct report_totals *tot, struct settle_err *err);
int report_payouts(const struct report_ctx *c, const struct period *p, int detail, struct report_sink *sink,
		   struct report_totals *tot, struct settle_err *err);
/* Balances as of the end of day p (Korea time). */
int report_escrow(const struct report_ctx *c, const struct period *day, struct report_sink *sink,
		  struct report_totals *tot, struct settle_err *err);
int report_leader(const struct report_ctx *c, const char *leader_id, const struct period *p, struct report_sink *sink,
		  struct report_totals *tot, struct settle_err *err);
int report_withholding(const struct report_ctx *c, const struct period *p, struct report_sink *sink,
		       struct report_totals *tot, struct settle_err *err);
int report_vat(const struct report_ctx *c, const struct period *p, struct report_sink *sink, struct report_totals *tot,
	       struct settle_err *err);

/* Remittances. */
enum remit_kind { REMIT_WITHHOLDING, REMIT_VAT };

struct remit_req {
	enum remit_kind kind;
	struct period period;   /* a month (withholding) or a quarter (VAT) */
	const char *paid_on;    /* YYYY-MM-DD, checked */
	int early;              /* the period has not ended: allowed only with --early */
	int dry_run;
};

struct remit_result {
	struct remittance r;
	int64_t payable_after;  /* the payable's ledger balance afterwards (owed: > 0) */
	int64_t open_items;
};

/* open_fn (may be NULL) gets what stays on the payable afterwards. */
int remit(const struct report_ctx *c, const struct remit_req *req, int (*open_fn)(void *arg, const struct rq_open_item *r),
	  void *arg, struct remit_result *out, struct settle_err *err);

/* The month's close. */
struct close_req {
	struct period month;
	int early;
};

struct close_result {
	char dir[512];
	char manifest_sha256[65];
	size_t files;
	size_t blockers;
};

/* blocker_fn (may be NULL) gets each reason the month cannot close; then
 * the close is refused (65) and nothing is written. */
int month_close(const struct report_ctx *c, const struct report_pack *pack, const struct close_req *req,
		int (*blocker_fn)(void *arg, const struct rq_blocker *b), void *arg, struct close_result *out,
		struct settle_err *err);

#endif
