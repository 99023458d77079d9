/*
 * ports/settlement_repo.h — settle-run's view of the database: leaders
 * with work, their pods' released money, settlements, and what is not yet
 * carried by a live payout.
 *
 * Rule: work is claimed by leader (the leader's row, SKIP LOCKED), so all
 * of a leader's pods settle together and how settlements group into
 * payouts never depends on which runner took what.
 */
#ifndef SETTLE_PORTS_SETTLEMENT_REPO_H
#define SETTLE_PORTS_SETTLEMENT_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/payout.h"
#include "domain/settlement.h"
#include "ports/uow.h"

struct leader_rec {
	int64_t row_id;
	char leader_id[65];
	enum leader_kind kind;
	int has_account;         /* a bank account is on file */
	char seller_id[65];      /* the payouts provider's seller id; "" when not registered */
};

/* One pod's released, unsettled money (its escrows locked). */
struct pod_release {
	char pod_id[65];
	char leader_id[65];
	int fee_bps;             /* the pod's own rate, or -1 for the default */
	int64_t total;
	char currency[4];
	int64_t escrows;
};

struct settlement_rec {
	int64_t id;
	char public_id[41];
	char pod_id[65];
	char leader_id[65];
	char currency[4];
	int fee_bps;
	struct settlement_split split;
	int64_t escrows; /* how many escrows it takes (insert ties exactly these) */
};

struct settle_filter {
	const char *const *pods; /* --pod: only these pods' money (NULL = all) */
	size_t n_pods;
	int64_t after_row_id;    /* leaders after this row (one pass per run) */
	int64_t upto_row_id;     /* and, when not 0, up to this row (domain/walk.h) */
};

/* A pod's released money, handed over as the escrows are read. */
typedef int (*pod_release_fn)(void *arg, const struct pod_release *r, struct settle_err *err);
/* An item a leader may carry; leader is its index in the leaders asked. */
typedef int (*carry_item_fn)(void *arg, size_t leader, const struct carry_item *it, struct settle_err *err);

/* Each call covers a whole unit of work's leaders in a few set-based
 * statements: the cost of a run is then per unit, not per leader. */
struct settlement_repo {
	void *self;
	/* Up to cap leaders after f->after_row_id (by row id) with released
	 * money to settle or items to carry, locked for tx; rows another
	 * runner holds are skipped. */
	int (*claim_leaders)(void *self, struct uow *tx, const struct settle_filter *f, struct leader_rec *out,
			     size_t cap, size_t *n, struct settle_err *err);
	/* Where a runner that lost its unit walks on (domain/walk.h): the row
	 * id of the (r mod n)-th of the n leaders with released money to
	 * settle, by row id; 0 when none has. */
	int (*pick_leader)(void *self, struct uow *tx, uint64_t r, int64_t *row_id, struct settle_err *err);
	/* The pods of these leaders with released, unsettled money (only f's
	 * pods when it names some), escrows locked, one call of fn per pod and
	 * currency, in (leader id, pod, currency) order. */
	int (*pods_to_settle)(void *self, struct uow *tx, const struct leader_rec *leaders, size_t n_leaders,
			      const struct settle_filter *f, pod_release_fn fn, void *arg, struct settle_err *err);
	/* Inserts the settlements (fresh public ids written back) and ties each
	 * pod's released, unsettled escrows to its settlement; refuses, keeping
	 * nothing, when the escrows tied are not exactly those summed. */
	int (*insert)(void *self, struct uow *tx, struct settlement_rec *s, size_t n, const char *now,
		      struct settle_err *err);
	/* These leaders' settlements and clawbacks no live payout carries,
	 * settlements first. */
	int (*carryable)(void *self, struct uow *tx, const struct leader_rec *leaders, size_t n_leaders,
			 carry_item_fn fn, void *arg, struct settle_err *err);
	/* 1 when settle knows the pod, 0 when not. */
	int (*pod_known)(void *self, struct uow *tx, const char *pod_id, struct settle_err *err);
	/* Leaders with released money whom settle does not know (no leaders
	 * row): their pods wait for `settle-db load-leaders`. */
	int (*unknown_leaders)(void *self, struct uow *tx, int64_t *leaders, int64_t *pods, struct settle_err *err);
};

#endif
