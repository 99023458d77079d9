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
	char toss_seller_id[65]; /* "" when not registered at Toss payouts */
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
};

struct settlement_repo {
	void *self;
	/* The next leader (by row id) with released money to settle or items
	 * to carry, locked for tx; 1 found, 0 none. */
	int (*next_leader)(void *self, struct uow *tx, const struct settle_filter *f, struct leader_rec *out,
			   struct settle_err *err);
	/* The leader's pods with released, unsettled money, escrows locked. */
	int (*pods_to_settle)(void *self, struct uow *tx, const char *leader_id, const struct settle_filter *f,
			      struct pod_release *out, size_t cap, size_t *n, struct settle_err *err);
	/* Inserts s (fresh public id written back) and ties the pod's
	 * released, unsettled escrows to it. */
	int (*insert)(void *self, struct uow *tx, struct settlement_rec *s, const char *now, struct settle_err *err);
	/* The leader's settlements and clawbacks no live payout carries. */
	int (*carryable)(void *self, struct uow *tx, const char *leader_id, struct carry_item *out, size_t cap,
			 size_t *n, struct settle_err *err);
	/* Leaders with released money whom settle does not know (no leaders
	 * row): their pods wait for `settle-db load-leaders`. */
	/* 1 when settle knows the pod, 0 when not. */
	int (*pod_known)(void *self, struct uow *tx, const char *pod_id, struct settle_err *err);
	int (*unknown_leaders)(void *self, struct uow *tx, int64_t *leaders, int64_t *pods, struct settle_err *err);
};

#endif
