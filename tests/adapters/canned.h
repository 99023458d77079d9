/*
 * canned.h — builds the struct http_response the classifiers read from a
 * canned status and body, so adapter tests need no network.
 */
#ifndef SETTLE_TESTS_ADAPTERS_CANNED_H
#define SETTLE_TESTS_ADAPTERS_CANNED_H

#include <string.h>

#include "adapters/http/http.h"

/* The body is borrowed, not copied: never pass the result to
 * http_response_free. */
static inline struct http_response canned(long status, const char *body)
{
	struct http_response r;

	memset(&r, 0, sizeof r);
	r.status = status;
	r.body = (char *)body;
	r.body_len = body ? strlen(body) : 0;
	return r;
}

static inline struct http_response canned_xerr(enum http_xerr kind, const char *msg)
{
	struct http_response r;

	memset(&r, 0, sizeof r);
	r.xerr = kind;
	strncpy(r.errmsg, msg, sizeof r.errmsg - 1);
	return r;
}

#endif
