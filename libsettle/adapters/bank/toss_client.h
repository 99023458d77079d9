/*
 * toss_client.h — what the Toss payouts v2 adapters share (payouts in
 * toss_payouts.c, sellers in toss_sellers.c): one kept-alive HTTP client,
 * the security key for JWE bodies, the Basic auth header, the
 * ENCRYPTION security-mode header, and a GET whose answer is opened and
 * sorted (found, not found, or in doubt).
 *
 * Rule: the secret key lives only in the Authorization header string and
 * the security key only inside jwe.c; both are wiped by toss_client_free
 * and never printed.
 */
#ifndef SETTLE_ADAPTERS_BANK_TOSS_CLIENT_H
#define SETTLE_ADAPTERS_BANK_TOSS_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "adapters/bank/jwe.h"
#include "adapters/http/http.h"
#include "domain/err.h"

struct toss_client {
	struct http_client *http;
	struct jwe_key *key;
	char *auth_header; /* "Authorization: Basic ..."; secret */
	size_t auth_len;
};

/* who prefixes the messages ("toss-payouts"). timeout_ms <= 0: 60 s (Toss
 * says payout calls may take that long). 0, or -1 with err (EX_CONFIG on
 * a bad key or URL); free with toss_client_free either way. */
int toss_client_init(struct toss_client *c, const char *who, const char *base_url, const char *secret_key,
		     const char *security_key, long connect_timeout_ms, long timeout_ms, struct settle_err *err);
void toss_client_free(struct toss_client *c);

/* One request: body (already a JWE) or NULL for a GET; idem NULL or the
 * Idempotency-Key. Returns http_request's result; resp to free. */
int toss_client_call(struct toss_client *c, const char *method, const char *path, const char *body,
		     const char *idem, struct http_response *resp);

/* TIMEOUT, CONNECTION, CONNECTION_LOST or TRANSPORT. */
const char *toss_transport_code(enum http_xerr x);

enum toss_get_result { TOSS_GET_OK = 0, TOSS_GET_NOT_FOUND, TOSS_GET_IN_DOUBT };

/* GET path and open the answer. TOSS_GET_OK: *root is the JSON (caller
 * decrefs). TOSS_GET_NOT_FOUND: a 404 with a Toss error (code/message set).
 * TOSS_GET_IN_DOUBT: anything else (transport error, 5xx, a body that
 * does not decrypt — UNDECRYPTABLE_RESPONSE — or parse — MALFORMED_RESPONSE),
 * code/message set. */
enum toss_get_result toss_client_get(struct toss_client *c, const char *path, json_t **root, char *code,
				     size_t code_len, char *msg, size_t msg_len);

#endif
