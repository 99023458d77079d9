/*
 * ledger_audit.h — the "second pair of eyes" over the ledger, used by
 * ledger-check. It recomputes every invariant from the postings with its
 * own SQL and shares no code with the writer (ledger_store.c), so a bug in
 * one is caught by the other.
 *
 * Rule: streaming only; findings are handed out one at a time.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_LEDGER_AUDIT_H
#define SETTLE_ADAPTERS_MYSQL_LEDGER_AUDIT_H

#include <stdint.h>

#include "domain/err.h"

struct db;

struct audit_finding {
	const char *check;   /* "balanced", "postings", "account_sign", "account_name", "capture", "reference", … */
	int64_t entry_id;    /* 0 when about an account */
	char entry_key[161];
	char account[129];
	char currency[4];
	char amount[32];     /* the offending sum, as decimal text */
	char detail[256];
	int warning;         /* 1: reported, not a broken invariant */
	int64_t block;       /* seal checks: the block's height, 0 when not about a block */
};

struct audit_totals {
	int64_t entries, postings, accounts, findings, warnings;
	int64_t blocks, unsealed; /* seal checks (seal_audit.h) */
};

typedef int (*audit_fn)(void *arg, const struct audit_finding *f);

int ledger_audit(struct db *db, audit_fn fn, void *arg, struct audit_totals *totals, struct settle_err *err);

#endif
