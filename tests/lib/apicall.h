/*
 * apicall.h — one HTTP request to a daemon under test through libcurl,
 * the way a client of settle-apid sends it: method, path, bearer token,
 * Idempotency-Key, content type and body, each optional.
 */
#ifndef SETTLE_TESTS_APICALL_H
#define SETTLE_TESTS_APICALL_H

#include <stddef.h>

struct api_resp {
	long status;
	char body[65536];
	size_t n;
	char headers[8192];
	size_t hn;
};

struct api_req {
	const char *method, *path;
	const char *token; /* NULL: no Authorization header */
	const char *idem;  /* NULL: no Idempotency-Key */
	const char *ctype; /* NULL: application/json when there is a body */
	const char *body;  /* NULL: none */
	size_t body_len;   /* 0: strlen(body) */
};

/* Returns the status (0 when the request failed). */
long api_call(const char *base_url, const struct api_req *q, struct api_resp *r);
/* A header's value from r->headers (case-insensitive), copied; "" when absent. */
const char *api_header(const struct api_resp *r, const char *name, char *out, size_t len);

#endif
