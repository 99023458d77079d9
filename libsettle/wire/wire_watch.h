/* wire_watch.h — builds settle-watch from settle.conf's [watch] thresholds. */
#ifndef SETTLE_WIRE_WATCH_H
#define SETTLE_WIRE_WATCH_H

#include "app/notify/watch.h"
#include "cli/cli.h"

struct watch_wiring {
	struct watch_ctx ctx;
	struct uow_port uow;
	struct watch_queries q;
	struct outbox_port outbox;
};

extern const struct cli_wiring watch_wiring;

#endif
