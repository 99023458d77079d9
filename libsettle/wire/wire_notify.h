/*
 * wire_notify.h — builds settle-notify from settle.conf's [notify]: the
 * templates (loaded and checked now), the mailer (smtp or maildir), the
 * contacts (operators; users through [study] base_url), the queue.
 */
#ifndef SETTLE_WIRE_NOTIFY_H
#define SETTLE_WIRE_NOTIFY_H

#include "app/notify/notify.h"
#include "cli/cli.h"
#include "ports/claims.h"

struct notify_wiring {
	struct notify_ctx ctx;
	struct notify_templates templates;
	struct uow_port uow;
	struct claims_port claims;
	struct notify_queue queue;
	struct contacts_port *contacts;
	struct mailer_port *mailer;
	char owner[64];
};

/* Reads [notify] templates_dir ($SETTLE_TEMPLATES_DIR, else the installed
 * share/settle/templates) and checks every template: usable without a
 * database, so a broken template stops the program before it connects. */
int wire_notify_templates(const struct config *cfg, struct notify_templates *ts, struct settle_err *err);

extern const struct cli_wiring notify_wiring;

#endif
