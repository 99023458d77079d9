/*
 * ports/settlement_queries.h — the read model of a leader's settlements
 * (the seed's §7.2 "정산 조회", settle-apid's GET
 * /api/v1/settlements/leader/{leaderId}): newest first, row by row.
 *
 * Rule: a query never changes anything and never holds a lock.
 */
#ifndef SETTLE_PORTS_SETTLEMENT_QUERIES_H
#define SETTLE_PORTS_SETTLEMENT_QUERIES_H

#include <stdint.h>

#include "domain/err.h"

struct leader_settlement_row {
	const char *settlement_id, *pod_id, *pod_title, *currency, *status, *settled_at; /* settled_at: UTC */
	int64_t total, fee, vat, leader_share, withholding, net;
};

struct settlement_queries {
	void *self;
	/* At most limit rows; fn returning non-zero stops (and is returned). */
	int (*by_leader)(void *self, const char *leader_id, int limit,
			 int (*fn)(void *arg, const struct leader_settlement_row *r), void *arg, struct settle_err *err);
};

#endif
