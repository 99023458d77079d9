/*
 * wire_invoice.h — builds invoice-issue's context from settle.conf:
 * [invoice] (outbox, schema, the provider's URLs and keys, the signing
 * certificate) and [platform] (the supplier on every invoice), the MySQL
 * unit of work and the invoices repository.
 */
#ifndef SETTLE_WIRE_INVOICE_H
#define SETTLE_WIRE_INVOICE_H

#include "app/invoices/invoices.h"
#include "cli/cli.h"

struct popbill;
struct einvoice_xml;

struct invoice_wiring {
	struct invoice_ctx ctx;
	struct uow_port uow;
	struct invoices_repo repo;
	struct einvoice_port provider;
	struct invoice_outbox outbox;
	struct outbox_port notes;
	struct popbill *popbill;
	struct einvoice_xml *xml;
};

/* The cli_run hook: cli->wired is a struct invoice_wiring. */
extern const struct cli_wiring invoice_wiring;

#endif
