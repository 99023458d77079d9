/*
 * answers.c — what every settle-apid route shares (see answers.h): JSON
 * answers and errors with a stable code, request bodies read strictly,
 * ids taken from the path.
 */
#include "api/answers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kinds.h"
#include "cli/output.h"
#include "util/log.h"

/* The one path segment after prefix, up to suffix (or the end); 1 when the
 * path has that shape. The segment is checked later by its kind. */
int api_segment(const char *path, const char *prefix, const char *suffix, char *out, size_t cap)
{
	size_t pl = strlen(prefix), n;
	const char *s, *end;

	if (strncmp(path, prefix, pl))
		return 0;
	s = path + pl;
	end = strchr(s, '/');
	n = end ? (size_t)(end - s) : strlen(s);
	if (!n || n >= cap)
		return 0;
	if (suffix ? !end || strcmp(end, suffix) : end != NULL)
		return 0;
	memcpy(out, s, n);
	out[n] = 0;
	return 1;
}

void api_reply(struct httpd_response *resp, int status, json_t *j)
{
	resp->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!resp->body) {
		httpd_json_error(resp, 500, "internal", "the answer could not be built");
		return;
	}
	resp->status = status;
}

/* A use case's refusal as an HTTP answer. 4xx carry the use case's own
 * one-line message (it names the input); 5xx only their class. */
void api_reply_err(struct httpd_response *resp, const char *what, const struct settle_err *err)
{
	switch (err->code) {
	case SETTLE_EX_DATAERR:
	case SETTLE_EX_USAGE:
		httpd_json_error(resp, 422, err->pg_code[0] ? "refused_by_pg" : "rejected", err->msg);
		return;
	case SETTLE_EX_NOINPUT:
		httpd_json_error(resp, 404, "not_found", err->msg);
		return;
	case SETTLE_EX_TEMPFAIL:
		log_kv(LOG_WARN, "api.in_doubt", "route", what, "error", err->msg, NULL);
		httpd_json_error(resp, 503, "in_doubt", "the outcome is not known yet; retry with the same Idempotency-Key");
		httpd_add_header(resp, "Retry-After", "5");
		return;
	case SETTLE_EX_UNAVAILABLE:
		log_kv(LOG_WARN, "api.unavailable", "route", what, "error", err->msg, NULL);
		httpd_json_error(resp, 503, "unavailable", "a service behind the API is unavailable; try again");
		httpd_add_header(resp, "Retry-After", "5");
		return;
	default:
		log_kv(LOG_ERROR, "api.internal", "route", what, "error", err->msg, NULL);
		httpd_json_error(resp, 500, "internal", "internal error");
	}
}

void api_forbidden(struct httpd_response *resp)
{
	httpd_json_error(resp, 403, "forbidden", "the token's role may not do this");
}

void api_not_found(struct httpd_response *resp, const char *what)
{
	httpd_json_error(resp, 404, "not_found", what);
}

/* "2026-11-24 10:00:00[.ffffff]" (UTC) → "2026-11-24T10:00:00Z"; "" stays "". */
json_t *api_iso(const char *sql)
{
	char b[24];

	if (!sql[0] || strlen(sql) < 19)
		return json_null();
	snprintf(b, sizeof b, "%.10sT%.8sZ", sql, sql + 11);
	return json_string(b);
}

/* ---------------------------------------------------------------- bodies */

/* The request's JSON object; NULL with resp set (400/415). */
json_t *api_body_object(const struct httpd_request *req, struct httpd_response *resp)
{
	const char *ct = httpd_header(req, "Content-Type");
	json_error_t je;
	json_t *j;

	if (!ct || strncasecmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		httpd_json_error(resp, 415, "unsupported_media_type", "the body must be application/json");
		return NULL;
	}
	j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		httpd_json_error(resp, 400, "malformed_body", "the body is not a JSON object (or repeats a key)");
		return NULL;
	}
	return j;
}

/* Refuses a field outside allowed (NULL-ended): 0, or -1 with resp 400. */
int api_only_fields(json_t *o, const char *const *allowed, struct httpd_response *resp)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		int ok = 0;

		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, k);
		if (!ok) {
			char m[160];

			snprintf(m, sizeof m, "unknown field \"%.60s\"", k);
			httpd_json_error(resp, 400, "unknown_field", m);
			return -1;
		}
	}
	return 0;
}

/* A string field checked by its kind: the value, NULL when absent and not
 * required; on a refusal NULL with *bad set and resp a 400. */
const char *api_text_field(json_t *o, const char *name, const struct cli_kind *kind, int required, int *bad,
			   struct httpd_response *resp)
{
	json_t *v = json_object_get(o, name);
	struct settle_err err = {0};
	char m[200];

	if (!v && !required)
		return NULL;
	if (!json_is_string(v)) {
		snprintf(m, sizeof m, "\"%s\" must be a string", name);
		httpd_json_error(resp, 400, "invalid_field", m);
		*bad = 1;
		return NULL;
	}
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    kind->check(kind, name, json_string_value(v), &err) < 0) {
		snprintf(m, sizeof m, "\"%s\": %s", name, err.msg[0] ? err.msg : "contains NUL");
		httpd_json_error(resp, 400, "invalid_field", m);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

/* A positive integer amount as the use cases take it (text). */
int api_amount_field(json_t *o, const char *name, int required, char *out, size_t cap, int *bad,
		     struct httpd_response *resp)
{
	json_t *v = json_object_get(o, name);
	char m[160];

	out[0] = 0;
	if (!v && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		snprintf(m, sizeof m, "\"%s\" must be a positive whole number of minor units", name);
		httpd_json_error(resp, 400, "invalid_field", m);
		*bad = 1;
		return -1;
	}
	snprintf(out, cap, "%lld", (long long)json_integer_value(v));
	return 1;
}

int api_path_id(const char *path, const char *prefix, const char *suffix, char *id, struct httpd_response *resp)
{
	struct settle_err err = {0};

	if (!api_segment(path, prefix, suffix, id, ID_MAX + 1) || !id[0] ||
	    cli_kind_ref_id.check(&cli_kind_ref_id, "id", id, &err) < 0) {
		api_not_found(resp, "no such resource");
		return -1;
	}
	return 0;
}
