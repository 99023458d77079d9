/* wire_kpi.h — settle-report kpi's context: the KPI queries over the
 * database and the clock. */
#ifndef SETTLE_WIRE_KPI_H
#define SETTLE_WIRE_KPI_H

#include "app/reports/kpi.h"
#include "cli/cli.h"

struct kpi_wiring {
	struct kpi_ctx ctx;
	struct kpi_queries q;
};

/* The cli_run hook: cli->wired is a struct kpi_wiring. */
extern const struct cli_wiring kpi_wiring;

#endif
