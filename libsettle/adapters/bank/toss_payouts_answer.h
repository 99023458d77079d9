/*
 * toss_payouts_answer.h — reading what Toss payouts v2 answers: a body
 * that is a compact JWE (or plain JSON, as errors before decryption may
 * be), the v2 envelope {version, traceId, entityType, entityBody, error},
 * payout items and status names. Pure: no I/O.
 *
 * Rule: nothing here guesses. A body that does not decrypt is
 * UNDECRYPTABLE, one that decrypts to anything but a JSON object is
 * MALFORMED, and an item with a missing or mistyped member is refused.
 */
#ifndef SETTLE_ADAPTERS_BANK_TOSS_PAYOUTS_ANSWER_H
#define SETTLE_ADAPTERS_BANK_TOSS_PAYOUTS_ANSWER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "adapters/bank/jwe.h"
#include "adapters/bank/toss_payouts.h"
#include "domain/err.h"

enum tpa_open_result { TPA_OK = 0, TPA_UNDECRYPTABLE, TPA_MALFORMED };

/* body → a new reference to its JSON object. JWE unless the first non-blank
 * byte is '{'. On failure NULL, *why set and err naming what was wrong. */
json_t *tpa_open(const struct jwe_key *k, const char *body, size_t len, enum tpa_open_result *why,
		 struct settle_err *err);

/* A Toss error in root: {code, message} at the top or under "error".
 * 1 and code/message copied (cut to fit), else 0. */
int tpa_error(json_t *root, char *code, size_t code_len, char *message, size_t message_len);

/* The payouts of an answer: entityBody as an array, or its "items" array.
 * Borrowed; NULL when neither is there. */
json_t *tpa_items(json_t *root);

/* For list pages: entityBody.hasNext (0 when absent) and entityBody.lastCursor
 * (NULL when absent). */
int tpa_has_next(json_t *root);
const char *tpa_last_cursor(json_t *root);

/* The seller object of GET /v2/sellers/{id}: entityBody, or root itself. */
json_t *tpa_entity(json_t *root);

struct tpa_item {
	const char *ref;          /* refPayoutId */
	const char *id;           /* Toss payout id; "" when absent */
	const char *status;
	const char *destination;  /* "" when absent */
	const char *currency;     /* "" when absent */
	int64_t value;            /* amount.value; -1 when absent */
	const char *error_code;   /* error.code; "" when none */
	const char *error_message;
};

/* Reads one payout item (strings borrowed from o). 0, or -1 with err. */
int tpa_item(json_t *o, struct tpa_item *out, struct settle_err *err);

/* REQUESTED, IN_PROGRESS → ACCEPTED; COMPLETED → PAID; FAILED, CANCELED,
 * REJECTED → FAILED; anything else → UNKNOWN. */
enum bank_status tpa_payout_status(const char *s);

enum toss_seller_status tpa_seller_status(const char *s);

#endif
