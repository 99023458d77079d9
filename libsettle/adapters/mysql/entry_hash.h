/*
 * entry_hash.h — the hex SHA-256 of a journal entry's canonical bytes
 * (domain/seal.h), shared by the writer (ledger_store.c), the sealer
 * (seal_store.c) and the checker (seal_audit.c): the rule is one, the SQL
 * around it is each one's own.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_ENTRY_HASH_H
#define SETTLE_ADAPTERS_MYSQL_ENTRY_HASH_H

#include "domain/seal.h"

/* 0, or -1 (EX_OSERR) when an entry too large for the stack is out of memory. */
int entry_hash_hex(struct seal_entry *e, char hex[SEAL_HEX_LEN], struct settle_err *err);

/* The hex hash of a block header. */
void block_hash_hex(const struct seal_block *b, char hex[SEAL_HEX_LEN]);

#endif
