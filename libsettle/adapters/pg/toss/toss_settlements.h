/*
 * toss_settlements.h — Toss's settlement lookup (GET /v1/settlements,
 * research/pg-apis.md T10) behind ports/pg_settlements.h.
 *
 * Decisions where Toss leaves room (T10: the API is known to drift):
 *  - the fee is the sum of fees[].fee when fees[] is there, else the
 *    scalar fee (a 2025 live answer had no fees[]); both present and
 *    disagreeing is bad data; neither is a fee of 0 only when
 *    payOutAmount says so (= amount);
 *  - the fee's supply value is supplyAmount (docs) or suppliedAmount
 *    (OpenAPI transcription); both present and different is bad data;
 *  - a record with a non-null cancel object, or a negative amount, is a
 *    cancel; soldDate/paidOutDate may come as dates or as ISO 8601
 *    date-times (the date part is taken);
 *  - amounts must be JSON integers: a 34000.0 is refused, never rounded;
 *  - pages are read until one holds fewer than `size` records; a page
 *    that is not a JSON array, an HTTP error or a transport failure stops
 *    the listing: 401/403 are configuration (78), 5xx and no answer are
 *    unavailable (69), anything malformed is bad data (65).
 */
#ifndef SETTLE_ADAPTERS_TOSS_SETTLEMENTS_H
#define SETTLE_ADAPTERS_TOSS_SETTLEMENTS_H

#include <jansson.h>

#include "domain/err.h"
#include "domain/reconcile.h"
#include "ports/pg_settlements.h"

struct toss_settlements_config {
	const char *base_url;    /* as [toss] base_url */
	const char *secret_key;
	long connect_timeout_ms; /* <= 0: 5 s */
	long timeout_ms;         /* <= 0: 60 s (Toss: the lookup may take up to 60 s) */
	int page_size;           /* 1..1000 (<= 0: 100) */
};

/* NULL with err (EX_CONFIG) on a bad configuration. Free with
 * port->destroy(port->self). */
struct pg_settlements_port *toss_settlements_new(const struct toss_settlements_config *cfg, struct settle_err *err);

/* One settlement object into out (pg "toss"); exported for tests. */
int toss_settlement_parse(json_t *o, struct recon_record *out, struct settle_err *err);

#endif
