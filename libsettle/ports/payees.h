/*
 * ports/payees.h — who a payout goes to: the leader's bank account
 * (decrypted only in memory, for the call) or seller id.
 */
#ifndef SETTLE_PORTS_PAYEES_H
#define SETTLE_PORTS_PAYEES_H

#include "domain/err.h"
#include "domain/settlement.h"
#include "ports/uow.h"

struct payee {
	char leader_id[65];
	char name[101];
	enum leader_kind kind;
	char bank_code[4];
	char account[65];     /* clear text: wipe after use (payee_wipe) */
	char holder[101];
	char seller_id[65];
	int has_account;
};

struct payees_port {
	void *self;
	/* 1 found (account decrypted), 0 no such leader. */
	int (*get)(void *self, struct uow *tx, const char *leader_id, struct payee *out, struct settle_err *err);
};

#include <string.h>

static inline void payee_wipe(struct payee *p)
{
	explicit_bzero(p->account, sizeof p->account);
}

#endif
