/*
 * ports/remittances_repo.h — remittances of tax to the tax office (one per
 * kind and period) and the months closed, as rows.
 *
 * Rule: the database's unique keys are the second guard: a second
 * remittance of a kind and period, or a second close of a month, is
 * refused by insert (returns 0) even when two runs race.
 */
#ifndef SETTLE_PORTS_REMITTANCES_REPO_H
#define SETTLE_PORTS_REMITTANCES_REPO_H

#include <stdint.h>

#include "domain/err.h"
#include "ports/uow.h"

struct remittance {
	char kind[16];      /* "withholding", "vat" */
	char period[16];    /* "2026-11", "2026-Q4" */
	char currency[4];
	int64_t amount;
	char paid_on[11];   /* KST date the money left */
	char public_id[41];
	char created_at[27];
};

struct month_close {
	char month[8];
	char dir[512];
	char manifest_sha256[65];
	char closed_at[27];
};

struct remittances_repo {
	void *self;
	/* 1 inserted, 0 the kind and period already has one. */
	int (*insert)(void *self, struct uow *tx, const struct remittance *r, const char *now, struct settle_err *err);
	/* 1 found (out filled), 0 none. */
	int (*find)(void *self, struct uow *tx, const char *kind, const char *period, struct remittance *out,
		    struct settle_err *err);
	int (*close_insert)(void *self, struct uow *tx, const struct month_close *c, const char *now,
			    struct settle_err *err);
	int (*close_find)(void *self, struct uow *tx, const char *month, struct month_close *out, struct settle_err *err);
};

#endif
