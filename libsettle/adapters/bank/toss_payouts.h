/*
 * toss_payouts.h — Toss payouts v2 (지급대행, research/pg-apis.md T8)
 * behind struct bank_port: each leader is a registered Toss seller, a
 * send() is one POST /v2/payouts of at most 100 items, bodies both ways
 * are JWE (dir + A256GCM, the 32-byte security key).
 *
 * A port owns one HTTP client (kept-alive connection): use one per thread.
 *
 * Rule: the secret key lives only in the Authorization header string and
 * the security key only inside jwe.c; both are wiped on destroy and never
 * printed. Every answer that is not a definite yes or no is BANK_IN_DOUBT.
 *
 * Outcomes of send(), per order:
 *  - an order settle cannot send (bad id, amount <= 0, currency not KRW,
 *    memo not text, the payout id twice in the batch) → BANK_REFUSED
 *    INVALID_REQUEST, without traffic; the rest of the batch goes;
 *  - transactionDescription is the memo cut to its first 7 characters
 *    (trailing spaces dropped; "정산" when empty); metadata {leaderId};
 *  - answered items: REQUESTED / IN_PROGRESS → BANK_OK + ACCEPTED,
 *    COMPLETED → BANK_OK + PAID, FAILED / CANCELED / REJECTED → BANK_OK +
 *    FAILED (code = the item's error code, else its status): the call
 *    succeeded, that payout did not; read `status` when the outcome is OK.
 *    reference = Toss's payout id;
 *  - transport error, 408, 409, 422, 429, any 5xx, an idempotency error
 *    (IDEMPOTENT_REQUEST_PROCESSING, INVALID_IDEMPOTENCY_KEY), a code that
 *    says the payout exists already (DUPLICATED_…, ALREADY_…: an earlier
 *    answer may have been lost), a 4xx without
 *    a Toss error → BANK_IN_DOUBT for every item sent; a body that does
 *    not decrypt → code UNDECRYPTABLE_RESPONSE, one that decrypts but is
 *    not the payout answer → MALFORMED_RESPONSE; an item missing from the
 *    answer → MISSING_IN_RESPONSE; an item whose amount is absent or
 *    differs from what was sent → AMOUNT_MISMATCH, another destination →
 *    DESTINATION_MISMATCH (possible tampering: money may have moved);
 *  - any other 4xx with a Toss error {code, message} (plain or JWE,
 *    top-level or under "error" as the v2 envelope has it) → BANK_REFUSED
 *    + FAILED for every item sent, with that code (FORBIDDEN_SELLER_PAYOUT…).
 * The Idempotency-Key is "payouts-" + SHA-256 of the sorted payout ids and
 * the items go out sorted by payout id, so a re-sent batch is the same
 * request byte for byte before encryption.
 *
 * status(): pages GET /v2/payouts (limit 100, startingAfter) until the
 * item with refPayoutId = payout_id is found → BANK_OK + its status; the
 * last page without it → BANK_OK + BANK_ST_NOT_FOUND; any error, a cursor
 * that repeats or more than max_lookup_pages pages → BANK_IN_DOUBT
 * (a lookup never refuses: nothing about the payout was learned).
 */
#ifndef SETTLE_ADAPTERS_BANK_TOSS_PAYOUTS_H
#define SETTLE_ADAPTERS_BANK_TOSS_PAYOUTS_H

#include "domain/err.h"
#include "ports/bank.h"

#define TOSS_PAYOUTS_MAX_BATCH 100
/* Toss pays sellers out of the merchant's balance at Toss. */
#define TOSS_PAYOUTS_SOURCE_ACCOUNT "pg_clearing:toss"

struct toss_payouts_config {
	const char *base_url;      /* https://api.tosspayments.com, or loopback http:// */
	const char *secret_key;    /* test_sk_… / live_sk_… */
	const char *security_key;  /* 64 hex digits (보안 키) */
	long connect_timeout_ms;   /* <= 0: 5 s */
	long timeout_ms;           /* <= 0: 60 s — Toss says payout calls may take that long */
	int max_lookup_pages;      /* <= 0: 50 pages of 100 */
};

/* Copies what it keeps. NULL with err (EX_CONFIG) on a bad configuration.
 * Free with port->destroy(port->self). */
struct bank_port *toss_payouts_new(const struct toss_payouts_config *cfg, struct settle_err *err);

enum toss_seller_status {
	TOSS_SELLER_UNKNOWN = 0,       /* a status this code does not know */
	TOSS_SELLER_APPROVAL_REQUIRED,
	TOSS_SELLER_PARTIALLY_APPROVED,
	TOSS_SELLER_KYC_REQUIRED,
	TOSS_SELLER_APPROVED,
	TOSS_SELLER_NOT_FOUND,
};

/* GET /v2/sellers/{seller_id} on a port made by toss_payouts_new. Returns
 * res->outcome: BANK_OK with *out set (NOT_FOUND included), BANK_REFUSED
 * INVALID_REQUEST for a bad id or a port of another kind (no traffic),
 * BANK_IN_DOUBT when Toss did not answer clearly. res->code is the seller
 * status name on BANK_OK. */
int toss_seller_status(const struct bank_port *port, const char *seller_id, enum toss_seller_status *out,
		       struct bank_result *res);

/* 1 when Toss lets a seller in this status receive payouts (PARTIALLY_APPROVED
 * and APPROVED); otherwise the use case refuses with FORBIDDEN_SELLER_PAYOUT. */
int toss_seller_may_receive(enum toss_seller_status s);

const char *toss_seller_status_name(enum toss_seller_status s);

#endif
