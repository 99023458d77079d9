/*
 * toss_sellers.h — Toss payouts v2 sellers (research/pg-apis.md T8) behind
 * struct seller_registry: POST /v2/sellers (a JWE body), GET /v2/sellers
 * (paged, to find a seller by refSellerId), GET /v2/sellers/{id}. The
 * request pieces (auth, security mode, JWE key) are toss_client.c's.
 *
 * A registry owns one HTTP client: use one per thread.
 *
 * Outcomes of register_seller():
 *  - an application settle cannot send (an id outside [A-Za-z0-9_-]{1,64},
 *    a field its business type needs missing, bank code not 3 digits,
 *    account not 8..20 digits, phone not 9..11 digits, business number
 *    not 10 digits, text with control characters) → SELLER_REFUSED
 *    INVALID_REQUEST, without traffic;
 *  - 2xx with a seller {id, status} → SELLER_OK (status UNKNOWN, code =
 *    the status text, when Toss names one this code does not know);
 *    another refSellerId in the answer → SELLER_IN_DOUBT REF_MISMATCH;
 *  - transport error, 408, 409, 422, 429, any 5xx, an idempotency error
 *    (IDEMPOTENT_REQUEST_PROCESSING, INVALID_IDEMPOTENCY_KEY), a code that
 *    says the seller exists already (DUPLICATED_…, ALREADY_…: an earlier
 *    answer may have been lost), a 4xx without a Toss error, a body that
 *    does not decrypt (UNDECRYPTABLE_RESPONSE) or is not a seller
 *    (MALFORMED_RESPONSE) → SELLER_IN_DOUBT: find() it before sending again;
 *  - any other 4xx with a Toss error → SELLER_REFUSED with that code.
 * The body carries the account number: it is put into the JSON text only
 * in a buffer that is wiped after encryption (never into a jansson value).
 *
 * find(): pages GET /v2/sellers (limit 100, startingAfter) until the seller
 * with that refSellerId → SELLER_OK; the last page without it → SELLER_OK
 * + SELLER_ST_NOT_FOUND; any error, a cursor that repeats or more than
 * max_lookup_pages pages → SELLER_IN_DOUBT (a look-up never refuses).
 * status(): GET /v2/sellers/{id}; 404 → SELLER_OK + SELLER_ST_NOT_FOUND.
 */
#ifndef SETTLE_ADAPTERS_BANK_TOSS_SELLERS_H
#define SETTLE_ADAPTERS_BANK_TOSS_SELLERS_H

#include "adapters/bank/toss_payouts.h"
#include "domain/err.h"
#include "ports/seller_registry.h"

/* The same settings as the payouts adapter ([toss-payouts] section).
 * Copies what it keeps; NULL with err (EX_CONFIG) on a bad configuration.
 * Free with r->destroy(r->self). */
struct seller_registry *toss_sellers_new(const struct toss_payouts_config *cfg, struct settle_err *err);

#endif
