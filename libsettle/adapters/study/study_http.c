/*
 * study_http.c — the Study Service over HTTP JSON (study_http.h). Its
 * one rule: a pod is believed only when every field is there with the
 * right JSON type; the token lives only in the Authorization header.
 */
#include "adapters/study/study_http.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http.h"
#include "adapters/json/json_read.h"
#include "domain/validate.h"

struct study_http {
	struct study_port port;
	struct http_client *http;
	char *auth_header;
	size_t auth_len;
};

/* A count (capacity, participants): 0..1 000 000, into an int. */
static int get_int(json_t *obj, const char *name, int *out, struct settle_err *err)
{
	int64_t n;

	if (jread_int(obj, name, 0, 1000000, &n, err) < 0)
		return -1;
	*out = (int)n;
	return 0;
}

int study_parse_pod(const char *body, size_t len, struct study_pod *out, struct settle_err *err)
{
	json_t *root;
	int rc = -1;

	memset(out, 0, sizeof *out);
	root = jread_object_body(body, len, err);
	if (!root)
		return err_prefix(err, "study service");
	if (jread_str(root, "podId", 1, out->pod_id, sizeof out->pod_id, err) < 0 ||
	    jread_str(root, "leaderId", 1, out->leader_id, sizeof out->leader_id, err) < 0 ||
	    jread_str(root, "title", 1, out->title, sizeof out->title, err) < 0 ||
	    jread_amount(root, "fee", &out->fee, err) < 0 ||
	    jread_str(root, "currency", 1, out->currency, sizeof out->currency, err) < 0 ||
	    jread_str(root, "status", 1, out->status, sizeof out->status, err) < 0 ||
	    get_int(root, "capacity", &out->capacity, err) < 0 ||
	    get_int(root, "participants", &out->participants, err) < 0 ||
	    jread_str(root, "startsOn", 1, out->starts_on, sizeof out->starts_on, err) < 0 ||
	    jread_str(root, "endsOn", 1, out->ends_on, sizeof out->ends_on, err) < 0 ||
	    jread_str(root, "completedAt", 0, out->completed_at, sizeof out->completed_at, err) < 0)
		goto out;
	if (validate_date("field startsOn", out->starts_on, err) < 0 ||
	    validate_date("field endsOn", out->ends_on, err) < 0)
		goto out;
	rc = 0;
out:
	json_decref(root);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* Transport failures and 5xx: the service cannot be asked now. */
static int unreachable(const struct http_response *resp, struct settle_err *err)
{
	if (resp->xerr != HTTP_XERR_NONE || resp->status == 0)
		return err_set(err, SETTLE_EX_TEMPFAIL, "study service unreachable: %s",
			       resp->errmsg[0] ? resp->errmsg : "transport error");
	return err_set(err, SETTLE_EX_TEMPFAIL, "study service answered HTTP %ld", resp->status);
}

int study_classify_pod(const struct http_response *resp, const char *pod_id, struct study_pod *out,
		       struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	if (resp->xerr != HTTP_XERR_NONE || resp->status == 0 || resp->status >= 500 || resp->status == 429)
		return unreachable(resp, err);
	if (resp->status == 404)
		return err_set(err, SETTLE_EX_NOINPUT, "unknown pod %s", pod_id);
	if (resp->status != 200)
		return err_set(err, SETTLE_EX_UNAVAILABLE, "study service refused pod %s: HTTP %ld", pod_id,
			       resp->status);
	if (study_parse_pod(resp->body, resp->body_len, out, err) < 0)
		return err_prefix(err, "study service pod %s", pod_id);
	if (strcmp(out->pod_id, pod_id)) {
		memset(out, 0, sizeof *out);
		return err_set(err, SETTLE_EX_DATAERR, "study service answered for pod %s when asked for another",
			       out->pod_id);
	}
	return 0;
}

/* A PG-style error code: a few upper-case letters, digits and '_'. */
static int validate_code_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= 48 || !((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n > 0;
}

int study_classify_confirm(const struct http_response *resp, const char *pod_id, struct settle_err *err)
{
	if (resp->xerr != HTTP_XERR_NONE || resp->status == 0 || resp->status >= 500 || resp->status == 429)
		return unreachable(resp, err);
	if (resp->status == 404)
		return err_set(err, SETTLE_EX_NOINPUT, "unknown pod %s", pod_id);
	if (resp->status == 409) {
		/* A definite refusal (POD_FULL, POD_NOT_OPEN, PAYMENT_ID_CONFLICT):
		 * asking again will not change it. */
		char code[64] = "";
		json_t *body = resp->body ? json_loadb(resp->body, resp->body_len, 0, NULL) : NULL;
		const char *c = json_is_object(body) ? json_string_value(json_object_get(body, "code")) : NULL;

		snprintf(code, sizeof code, "%s", c && validate_code_ok(c) ? c : "CONFLICT");
		json_decref(body);
		return err_set(err, SETTLE_EX_DATAERR, "study service refused the place in pod %s: %s", pod_id, code);
	}
	if (resp->status < 200 || resp->status >= 300)
		return err_set(err, SETTLE_EX_UNAVAILABLE,
			       "study service refused the participation in pod %s: HTTP %ld", pod_id, resp->status);
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ", a real date and time of day: what the
 * release's hold period is counted from, so nothing looser is believed. */
static int valid_utc_time(const char *field, const char *v, struct settle_err *err)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	char date[11];

	if (strlen(v) != sizeof shape - 1)
		goto bad;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != shape[i])
			goto bad;
	memcpy(date, v, 10);
	date[10] = '\0';
	if (validate_date(field, date, err) < 0)
		return -1;
	if ((v[11] - '0') * 10 + (v[12] - '0') > 23 || (v[14] - '0') * 10 + (v[15] - '0') > 59 ||
	    (v[17] - '0') * 10 + (v[18] - '0') > 59)
		goto bad;
	return 0;
bad:
	return err_set(err, SETTLE_EX_DATAERR, "%s is not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)", field);
}

int study_classify_completions(const struct http_response *resp, struct study_completion *out, size_t cap,
			       size_t *n, char *next_cursor, size_t cursor_len, struct settle_err *err)
{
	json_t *root = NULL, *arr;
	char field[64];
	int rc = -1;

	*n = 0;
	if (cursor_len)
		next_cursor[0] = '\0';
	if (resp->xerr != HTTP_XERR_NONE || resp->status == 0 || resp->status >= 500 || resp->status == 429)
		return unreachable(resp, err);
	if (resp->status != 200)
		return err_set(err, SETTLE_EX_UNAVAILABLE, "study service refused the completions request: HTTP %ld",
			       resp->status);
	root = jread_object_body(resp->body, resp->body_len, err);
	if (!root)
		return err_prefix(err, "study service completions");
	arr = json_object_get(root, "completions");
	if (!json_is_array(arr)) {
		err_set(err, SETTLE_EX_DATAERR, "study service completions: field completions is not an array");
		goto out;
	}
	if (json_array_size(arr) > cap) {
		err_set(err, SETTLE_EX_DATAERR, "study service completions: %zu items when at most %zu were asked for",
			json_array_size(arr), cap);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *it = json_array_get(arr, i);

		snprintf(field, sizeof field, "completions[%zu]", i);
		if (!json_is_object(it)) {
			err_set(err, SETTLE_EX_DATAERR, "study service completions: %s is not an object", field);
			goto out;
		}
		if (jread_str(it, "podId", 1, out[i].pod_id, sizeof out[i].pod_id, err) < 0 ||
		    jread_str(it, "completedAt", 1, out[i].completed_at, sizeof out[i].completed_at, err) < 0)
			goto bad;
		snprintf(field, sizeof field, "completions[%zu].podId", i);
		if (validate_ref_id(field, out[i].pod_id, err) < 0)
			goto bad;
		snprintf(field, sizeof field, "completions[%zu].completedAt", i);
		if (valid_utc_time(field, out[i].completed_at, err) < 0)
			goto bad;
	}
	if (jread_str(root, "nextCursor", 1, next_cursor, cursor_len, err) < 0)
		goto bad;
	/* The cursor is opaque but goes back into a URL and a VARCHAR(200). */
	if (validate_text("field nextCursor", next_cursor, STUDY_CURSOR_MAX, err) < 0)
		goto bad;
	*n = json_array_size(arr);
	rc = 0;
	goto out;
bad:
	err->code = SETTLE_EX_DATAERR;
	err_prefix(err, "study service completions");
out:
	json_decref(root);
	if (rc < 0 && cursor_len)
		next_cursor[0] = '\0';
	return rc;
}

static int study_completions(void *self, const char *since, size_t limit, struct study_completion *out,
			     size_t cap, size_t *n, char *next_cursor, size_t cursor_len, struct settle_err *err)
{
	struct study_http *s = self;
	const char *headers[2] = {s->auth_header, NULL};
	struct http_response resp = {0};
	char *esc, *path;
	size_t len;
	int rc;

	*n = 0;
	if (limit > cap)
		limit = cap;
	if (limit == 0 || limit > 1000 || cursor_len < STUDY_CURSOR_MAX + 1)
		return err_set(err, SETTLE_EX_SOFTWARE, "study completions: limit 1..1000 and a cursor buffer of %d",
			       STUDY_CURSOR_MAX + 1);
	/* Path escaping also escapes '&', '=', '?' and '#': safe in a query value. */
	esc = http_path_escape(since ? since : "");
	if (!esc)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	len = strlen("/v1/pods/completions?since=&limit=") + strlen(esc) + 24;
	path = malloc(len);
	if (!path) {
		free(esc);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	snprintf(path, len, "/v1/pods/completions?since=%s&limit=%zu", esc, limit);
	free(esc);
	http_request(s->http, "GET", path, headers, NULL, &resp);
	rc = study_classify_completions(&resp, out, limit, n, next_cursor, cursor_len, err);
	http_response_free(&resp);
	free(path);
	return rc;
}

static char *pod_path(const char *pod_id, const char *tail)
{
	char *esc = http_path_escape(pod_id), *path;
	size_t n;

	if (!esc)
		return NULL;
	n = strlen("/v1/pods/") + strlen(esc) + strlen(tail) + 1;
	path = malloc(n);
	if (path)
		snprintf(path, n, "/v1/pods/%s%s", esc, tail);
	free(esc);
	return path;
}

static int study_get_pod(void *self, const char *pod_id, struct study_pod *out, struct settle_err *err)
{
	struct study_http *s = self;
	const char *headers[2] = {s->auth_header, NULL};
	struct http_response resp = {0};
	char *path;
	int rc;

	if (!pod_id || !*pod_id)
		return err_set(err, SETTLE_EX_USAGE, "pod id is empty");
	path = pod_path(pod_id, "");
	if (!path)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	http_request(s->http, "GET", path, headers, NULL, &resp);
	rc = study_classify_pod(&resp, pod_id, out, err);
	http_response_free(&resp);
	free(path);
	return rc;
}

static int study_confirm(void *self, const char *pod_id, const char *user_id, const char *payment_id,
			 struct settle_err *err)
{
	struct study_http *s = self;
	const char *headers[2] = {s->auth_header, NULL};
	struct http_response resp = {0};
	char *path, *text = NULL;
	json_t *body;
	int rc;

	if (!pod_id || !*pod_id || !user_id || !*user_id || !payment_id || !*payment_id)
		return err_set(err, SETTLE_EX_USAGE, "confirm participation needs pod, user and payment ids");
	body = json_pack("{s:s, s:s}", "userId", user_id, "paymentId", payment_id);
	if (body)
		text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	path = pod_path(pod_id, "/participants");
	if (!text || !path) {
		free(text);
		free(path);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	http_request(s->http, "POST", path, headers, text, &resp);
	rc = study_classify_confirm(&resp, pod_id, err);
	http_response_free(&resp);
	free(text);
	free(path);
	return rc;
}

static void study_destroy(void *self)
{
	struct study_http *s = self;

	if (!s)
		return;
	http_client_free(s->http);
	if (s->auth_header) {
		OPENSSL_cleanse(s->auth_header, s->auth_len);
		free(s->auth_header);
	}
	free(s);
}

struct study_port *study_http_new(const struct study_http_config *cfg, struct settle_err *err)
{
	static const char prefix[] = "Authorization: Bearer ";
	struct study_http *s;

	if (!cfg || !http_header_value_ok(cfg->token, 4096)) {
		err_set(err, SETTLE_EX_CONFIG, "study service: token is missing, too long or has control characters");
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		err_set(err, SETTLE_EX_OSERR, "study service: out of memory");
		return NULL;
	}
	s->http = http_client_new(cfg->base_url, cfg->connect_timeout_ms, cfg->timeout_ms, err);
	if (!s->http) {
		err_prefix(err, "study service");
		study_destroy(s);
		return NULL;
	}
	s->auth_len = sizeof prefix + strlen(cfg->token);
	s->auth_header = malloc(s->auth_len);
	if (!s->auth_header) {
		study_destroy(s);
		err_set(err, SETTLE_EX_OSERR, "study service: out of memory");
		return NULL;
	}
	snprintf(s->auth_header, s->auth_len, "%s%s", prefix, cfg->token);
	s->port.self = s;
	s->port.get_pod = study_get_pod;
	s->port.confirm_participation = study_confirm;
	s->port.completions = study_completions;
	s->port.destroy = study_destroy;
	return &s->port;
}
