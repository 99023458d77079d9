/*
 * ports/seller_registry.h — registering leaders with a payouts provider
 * that pays "sellers" (Toss payouts v2: POST /v2/sellers, GET
 * /v2/sellers). The use case never names the provider: the adapter comes
 * from the configured payout channel.
 *
 * Rule: as with the bank port, every call answers with a definite outcome
 * (SELLER_OK, SELLER_REFUSED) or SELLER_IN_DOUBT, which means "ask later":
 * a registration in doubt is looked up by its refSellerId (find) before
 * anything is sent again, and a re-send carries the same idempotency key.
 */
#ifndef SETTLE_PORTS_SELLER_REGISTRY_H
#define SETTLE_PORTS_SELLER_REGISTRY_H

#include "domain/seller.h"

enum seller_outcome { SELLER_OK = 0, SELLER_REFUSED = 1, SELLER_IN_DOUBT = 2 };

struct seller_result {
	enum seller_outcome outcome;
	enum seller_status status; /* on SELLER_OK; SELLER_ST_NOT_FOUND from find/status */
	char seller_id[65];        /* the provider's id ("seller_…") on SELLER_OK */
	char code[64];             /* error or status code */
	char message[256];         /* one line, never an account number */
};

struct seller_registry {
	void *self;
	const char *name;
	/* Registers one seller. OK: seller_id and status set. */
	void (*register_seller)(void *self, const struct seller_application *a, struct seller_result *res);
	/* The seller registered with this refSellerId: OK with its id and
	 * status, or OK + SELLER_ST_NOT_FOUND when the provider has none. */
	void (*find)(void *self, const char *ref_seller_id, struct seller_result *res);
	/* The status of a registered seller by the provider's id. */
	void (*status)(void *self, const char *seller_id, struct seller_result *res);
	void (*destroy)(void *self);
};

#endif
