/*
 * registry.h — the bank adapters settle knows, by name, like the PG
 * registry: the payout use case asks for the adapter named in settle.conf
 * ([payout] bank = toss-payouts | bulk-file) and never names one itself.
 *
 * Rule: adding a bank adds one row to the table in registry.c and a
 * settle.conf section of the same name; nothing in app/ changes. Secrets
 * in bank_settings are wiped by bank_settings_wipe once the port is open
 * (the port keeps its own copy).
 */
#ifndef SETTLE_ADAPTERS_BANK_REGISTRY_H
#define SETTLE_ADAPTERS_BANK_REGISTRY_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/bank.h"
#include "ports/seller_registry.h"

/* One bank's settings, read from its settle.conf section; a field an
 * adapter does not use stays empty. */
struct bank_settings {
	char base_url[512];        /* toss-payouts */
	char secret_key[256];      /* toss-payouts; secret */
	char security_key[128];    /* toss-payouts: 64 hex digits; secret */
	long connect_timeout_ms;   /* toss-payouts; <= 0: 5 s */
	long timeout_ms;           /* toss-payouts; <= 0: 60 s */
	int max_lookup_pages;      /* toss-payouts; <= 0: 50 */
	char outbox_dir[1024];     /* bulk-file */
};

struct bank_adapter {
	const char *name;          /* the settle.conf section */
	const char *needs;         /* the keys it cannot do without, for messages */
	struct bank_port *(*open)(const struct bank_settings *s, struct settle_err *err);
	int needs_account;         /* pays to a bank account (1) or to a seller id (0) */
};

/* The adapter called name, or NULL. */
const struct bank_adapter *bank_adapter_find(const char *name);

/* Every adapter, in table order (the default first); NULL past the end. */
const struct bank_adapter *bank_adapter_at(size_t i);

/* "toss-payouts, bulk-file", for messages. */
void bank_registry_names(char *buf, size_t len);

/* Opens the adapter called name with s. NULL with err: EX_CONFIG naming
 * the known adapters for an unknown name, or the missing keys. */
struct bank_port *bank_open(const char *name, const struct bank_settings *s, struct settle_err *err);

void bank_settings_wipe(struct bank_settings *s);

/* The seller registry of the bank called name (toss-payouts: Toss sellers
 * v2), opened with s. NULL with err: EX_CONFIG when that bank pays bank
 * accounts and registers no sellers, or its keys are missing. */
struct seller_registry *seller_registry_open(const char *name, const struct bank_settings *s, struct settle_err *err);

#endif
