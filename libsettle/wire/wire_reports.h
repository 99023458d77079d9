/*
 * wire_reports.h — settle-report's context from settle.conf: the MySQL
 * report queries, remittances, unit of work and ledger; on demand the
 * data key (--with-rrn) and the month's pack ([reports] dir, plus the
 * directories other finance parts leave files in for the month).
 */
#ifndef SETTLE_WIRE_REPORTS_H
#define SETTLE_WIRE_REPORTS_H

#include "adapters/report/report_out.h"
#include "app/reports/reports.h"
#include "cli/cli.h"

struct reports_wiring {
	struct report_ctx ctx;
	struct uow_port uow;
	struct ledger_repo ledger;
	struct report_queries q;
	struct remittances_repo remittances;
	struct rrn_port *rrn;
	struct report_pack *pack;
	struct pack_extra extras[4];
};

/* Opens the data key for resident numbers (EX_CONFIG when missing). */
int wire_reports_rrn(struct cli *cli, struct reports_wiring *w, struct settle_err *err);
/* Builds the pack under [reports] dir (default /var/lib/settle/reports). */
int wire_reports_pack(struct cli *cli, struct reports_wiring *w, const struct report_out_opts *o,
		      struct settle_err *err);

extern const struct cli_wiring reports_wiring;

#endif
