/*
 * seal_audit.h — ledger-check --seals and --digest: recomputes every
 * entry's hash from its content and every block of the chain from its
 * entries, with its own SQL (it shares only the byte rules of
 * domain/seal.h with the writers), and hands out findings one at a time
 * like ledger_audit.h.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_SEAL_AUDIT_H
#define SETTLE_ADAPTERS_MYSQL_SEAL_AUDIT_H

#include "adapters/mysql/ledger_audit.h"
#include "domain/seal.h"

/* Checks entries and blocks; with digest (may be NULL: "HEIGHT:HASH"),
 * also that the chain still extends it. Adds to totals (findings, blocks,
 * unsealed). */
int seal_audit(struct db *db, const char *digest, audit_fn fn, void *arg, struct audit_totals *totals,
	       struct settle_err *err);

#endif
