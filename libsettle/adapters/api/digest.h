/* digest.h — the fingerprint of an API request (method, path, body), so a
 * reused Idempotency-Key with another request is told apart from a repeat. */
#ifndef SETTLE_ADAPTERS_API_DIGEST_H
#define SETTLE_ADAPTERS_API_DIGEST_H

#include <stddef.h>

/* SHA-256 over method NUL path NUL body, as 64 lowercase hex digits. */
void api_request_digest(const char *method, const char *path, const char *body, size_t body_len, char out[65]);

#endif
