/*
 * ports/sellers_repo.h — leaders as payouts sellers: what registering one
 * reads (the application, the account decrypted only in memory) and
 * where the registration stands (schema/010_sellers.sql).
 */
#ifndef SETTLE_PORTS_SELLERS_REPO_H
#define SETTLE_PORTS_SELLERS_REPO_H

#include <stdint.h>
#include <string.h>

#include "domain/err.h"
#include "domain/seller.h"
#include "domain/timefmt.h"
#include "ports/uow.h"

struct seller_rec {
	int64_t id; /* leaders.id: the claim key */
	char leader_id[65];
	enum leader_kind kind;
	char name[101];
	char representative_name[101];
	char business_number[11];
	char email[255];
	char phone[21];
	char bank_code[4];
	char account[65]; /* clear text: wipe after use (seller_rec_wipe) */
	char holder[101];
	/* the registration */
	enum seller_reg reg;
	int attempt;
	char ref[65];           /* refSellerId of the intent; "" before */
	char seller_id[65];     /* Toss's id; "" before */
	char seller_status[25]; /* as Toss named it last; "" before */
	char code[64], message[256];
	char next_check_at[TIME_SQL_LEN]; /* "" = due at once */
};

struct sellers_repo {
	void *self;
	/* Reads leader id (the surrogate key), locking the row; with_account
	 * decrypts the bank account. 1 found, 0 no such leader. */
	int (*lock)(void *self, struct uow *tx, int64_t id, int with_account, struct seller_rec *out,
		    struct settle_err *err);
	/* Writes the registration columns of r (reg, attempt, ref, seller id
	 * and status, code, message, next check; seller_reg_at = now when the
	 * state is SENDING). */
	int (*save)(void *self, struct uow *tx, const struct seller_rec *r, const char *now, struct settle_err *err);
};

static inline void seller_rec_wipe(struct seller_rec *r)
{
	explicit_bzero(r->account, sizeof r->account);
}

#endif
