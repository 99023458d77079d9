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
/* A completions answer: 200 with {"completions":[{"podId","completedAt"}],
 * "nextCursor"}, every podId a Study id and every completedAt
 * "YYYY-MM-DDTHH:MM:SSZ" (a real date), at most cap items; else
 * EX_DATAERR and *n = 0. Transport/5xx/429 as get_pod: EX_TEMPFAIL. */
int study_classify_completions(const struct http_response *resp, struct study_completion *out, size_t cap,
			       size_t *n, char *next_cursor, size_t cursor_len, struct settle_err *err);
int study_classify_confirm(const struct http_response *resp, const char *pod_id, struct settle_err *err);

#endif
