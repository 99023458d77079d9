/*
 * register.h — payout-send --register-sellers: leaders registered as
 * sellers with the payouts provider (Toss payouts v2) with DESIGN.md §7's
 * discipline, and the status of registered sellers refreshed.
 *
 * One run, in this order:
 *  1. registrations in doubt (IN_DOUBT, or SENDING left by a killed run
 *     past the lease) are looked up by refSellerId: found → recorded; not
 *     found → sent again with the same Idempotency-Key; no clear answer →
 *     still in doubt (asked again after a back-off);
 *  2. leaders with no seller (NONE, no seller id) are claimed (SKIP
 *     LOCKED); one whose data is incomplete for its kind is listed (and
 *     looked at again after recheck_s), the others get their intent
 *     committed (refSellerId = the leader id, attempt + 1, the key derived
 *     from both, SENDING), are registered outside any transaction, and the
 *     outcome is recorded: seller id and status (WAITING or READY), a
 *     refusal with its code (REFUSED, listed), or IN_DOUBT;
 *  3. registered sellers Toss does not let receive payouts yet (WAITING)
 *     have their status asked for, every recheck_s; an approved one turns
 *     READY, and its HELD payouts go out on the next payout-send.
 */
#ifndef SETTLE_APP_PAYOUTS_REGISTER_H
#define SETTLE_APP_PAYOUTS_REGISTER_H

#include <stdint.h>

#include "domain/err.h"
#include "ports/claims.h"
#include "ports/clock.h"
#include "ports/seller_registry.h"
#include "ports/sellers_repo.h"
#include "ports/uow.h"

struct seller_reg_ctx {
	const struct uow_port *uow;
	const struct sellers_repo *sellers;
	const struct claims_port *claims;
	const struct clock_port *clock;
	struct seller_registry *registry;
	const char *owner;   /* this process as a claimer */
	int batch;           /* leaders per unit of work */
	int lease_s;
	int doubt_backoff_s; /* next look after a doubt */
	int recheck_s;       /* how often a WAITING seller (or an incomplete leader) is looked at */
	/* Called for every leader the run could not register (incomplete
	 * data, a refusal, a seller that vanished) and every doubt: one line
	 * for the operator. May be NULL. */
	void (*note)(void *arg, const char *leader_id, const char *what, const char *code, const char *message);
	void *note_arg;
};

struct seller_reg_report {
	int64_t registered;  /* new sellers recorded (sent now, or found by look-up) */
	int64_t ready;       /* of the sellers seen this run, how many may receive payouts */
	int64_t waiting;     /* registered, not yet approved */
	int64_t refused, incomplete, in_doubt, not_found;
	int64_t refreshed;   /* statuses asked for */
	int64_t held_by_others;
};

int seller_register(const struct seller_reg_ctx *c, struct seller_reg_report *rep, struct settle_err *err);

#endif
