/*
 * linkhub.h — the LinkHub token request's signature, as the LinkHub SDK
 * computes it (linkhub-sdk/linkhub.py, API version 1.0): HMAC-SHA1, keyed
 * with the base64-decoded SecretKey, over
 *   "POST\n" + base64(MD5(body)) + "\n" + x-lh-date + "\n" + "1.0\n" + uri
 * sent as "Authorization: LINKHUB {LinkID} {base64 HMAC}". Shared by the
 * adapter and the sandbox, which checks it as the real service does.
 */
#ifndef SETTLE_ADAPTERS_EINVOICE_LINKHUB_H
#define SETTLE_ADAPTERS_EINVOICE_LINKHUB_H

#include "domain/err.h"

#define LINKHUB_API_VERSION "1.0"
#define LINKHUB_SIG_LEN 29 /* base64 of 20 bytes + NUL */

/* 0 and the base64 signature, or -1 (EX_CONFIG) when the secret is not
 * base64. */
int linkhub_signature(const char *secret_b64, const char *body, const char *date, const char *uri,
		      char out[LINKHUB_SIG_LEN], struct settle_err *err);

#endif
