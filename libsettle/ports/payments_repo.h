/*
 * ports/payments_repo.h — the payments aggregate: one row per order, from
 * PENDING to its end, and its history of events.
 *
 * Rule: the repository stores and loads. What a payment may become is
 * decided in domain/ (payment_transition and the rules beside it) before
 * save() is called; save() writes what it is given.
 */
#ifndef SETTLE_PORTS_PAYMENTS_REPO_H
#define SETTLE_PORTS_PAYMENTS_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/payment.h" /* struct payment_rec */
#include "ports/uow.h"

enum payment_lookup { PAY_BY_ORDER_ID, PAY_BY_PUBLIC_ID, PAY_BY_KEY };

struct new_payment {
	const char *pod_id, *user_id, *method, *pg;
	int64_t amount;
	const char *currency;
};

/* One line of a payment's history. */
struct payment_event {
	const char *from, *to; /* status names; from NULL for the first */
	const char *actor, *code, *message;
};

struct payments_repo {
	void *self;
	/* 1 found, 0 none, -1 error. tx may be NULL for a read on its own. */
	int (*find)(void *self, struct uow *tx, enum payment_lookup by, const char *key, struct payment_rec *out,
		    struct settle_err *err);
	/* Locks the row for the rest of tx and loads it; a missing id is an
	 * error (EX_DATAERR). */
	int (*lock)(void *self, struct uow *tx, int64_t id, struct payment_rec *out, struct settle_err *err);
	/* Loads many by id in one round trip, in ids[] order; missing ids are
	 * skipped (*n_out says how many were found). */
	int (*load_many)(void *self, struct uow *tx, const int64_t *ids, size_t n, struct payment_rec *out,
			 size_t *n_out, struct settle_err *err);
	/* The user's payment that holds a place in the pod, if any. */
	int (*find_live_place)(void *self, struct uow *tx, const char *pod_id, const char *user_id,
			       struct payment_rec *out, struct settle_err *err);
	int (*count_live_places)(void *self, struct uow *tx, const char *pod_id, int64_t *n, struct settle_err *err);
	/* 1 when another payment owns this PG key (captured with it). */
	int (*key_owned_elsewhere)(void *self, struct uow *tx, const char *pg, const char *payment_key,
				   int64_t except_id, struct settle_err *err);
	/* Inserts a PENDING payment with fresh public and order ids. */
	int (*insert)(void *self, struct uow *tx, const struct new_payment *np, const char *now,
		      struct payment_rec *out, struct settle_err *err);
	/* Writes the mutable columns of p (status, keys, codes, virtual
	 * account, approval, doubts, next check, refunded amount). */
	int (*save)(void *self, struct uow *tx, const struct payment_rec *p, const char *now, struct settle_err *err);
	int (*add_event)(void *self, struct uow *tx, int64_t payment_id, const struct payment_event *ev,
			 const char *now, struct settle_err *err);
	/* Records the card the PG reported for the payment: the truncated
	 * number and the issuer code, each NULL to store none. The caller
	 * has applied domain/card_mask.h; this stores what it is given. */
	int (*set_card)(void *self, struct uow *tx, int64_t payment_id, const char *masked_number, const char *issuer,
			struct settle_err *err);
};

#endif
