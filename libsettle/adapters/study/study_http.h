/*
 * study_http.h — the Study Service adapter behind struct study_port, over
 * HTTP JSON with a Bearer token.
 *
 * Rule: "cannot ask" (transport, 5xx) is EX_TEMPFAIL, "no such pod" is
 * EX_NOINPUT, a malformed answer is EX_DATAERR naming the field — callers
 * retry only the first.
 */
#ifndef SETTLE_ADAPTERS_STUDY_HTTP_H
#define SETTLE_ADAPTERS_STUDY_HTTP_H

#include <stddef.h>

#include "adapters/http/http.h"
#include "domain/err.h"
#include "ports/study.h"

struct study_http_config {
	const char *base_url;
	const char *token;        /* Bearer token; never printed */
	long connect_timeout_ms;  /* <= 0: 5 s */
	long timeout_ms;          /* <= 0: 30 s */
};

/* Copies what it keeps from cfg. NULL with err (EX_CONFIG) on a bad
 * configuration. Free with port->destroy(port->self). */
struct study_port *study_http_new(const struct study_http_config *cfg, struct settle_err *err);

/* Pure parts, exported for unit tests. */
int study_parse_pod(const char *body, size_t len, struct study_pod *out, struct settle_err *err);
int study_classify_pod(const struct http_response *resp, const char *pod_id, struct study_pod *out,
		       struct settle_err *err);
int study_classify_confirm(const struct http_response *resp, const char *pod_id, struct settle_err *err);

#endif
