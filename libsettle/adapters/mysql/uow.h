/*
 * uow.h — the MySQL unit of work and repositories: one connection, every
 * port over it. A `struct uow *` handed to a repository is the connection
 * inside db_tx (with its 1213/1205 retry); NULL means "a read on its own".
 */
#ifndef SETTLE_ADAPTERS_MYSQL_UOW_H
#define SETTLE_ADAPTERS_MYSQL_UOW_H

#include "adapters/mysql/db.h"
#include "ports/breaker_repo.h"
#include "ports/claims.h"
#include "ports/clawbacks_repo.h"
#include "ports/disputes_repo.h"
#include "ports/escrows_repo.h"
#include "ports/ledger_repo.h"
#include "ports/participation_repo.h"
#include "ports/payment_queries.h"
#include "ports/payments_repo.h"
#include "ports/pods_repo.h"
#include "ports/payouts_repo.h"
#include "ports/refunds_repo.h"
#include "ports/settlement_repo.h"
#include "ports/release_repo.h"
#include "ports/uow.h"

/* The connection of tx, or the repository's own for a read outside one. */
static inline struct db *uow_db(struct uow *tx, void *self)
{
	return tx ? (struct db *)tx : (struct db *)self;
}

void mysql_uow(struct uow_port *out, struct db *db);
void mysql_payments_repo(struct payments_repo *out, struct db *db);
void mysql_refunds_repo(struct refunds_repo *out, struct db *db);
void mysql_escrows_repo(struct escrows_repo *out, struct db *db);
void mysql_participation_repo(struct participation_repo *out, struct db *db);
void mysql_pods_repo(struct pods_repo *out, struct db *db);
void mysql_ledger_repo(struct ledger_repo *out, struct db *db);
void mysql_breaker_repo(struct breaker_repo *out, struct db *db);
void mysql_claims(struct claims_port *out, struct db *db);
void mysql_payment_queries(struct payment_queries *out, struct db *db);
void mysql_release_repo(struct release_repo *out, struct db *db);
void mysql_settlement_repo(struct settlement_repo *out, struct db *db);
void mysql_payouts_repo(struct payouts_repo *out, struct db *db);
void mysql_clawbacks_repo(struct clawbacks_repo *out, struct db *db);
void mysql_disputes_repo(struct disputes_repo *out, struct db *db);

#endif
