/*
 * json_read.c — field readers for JSON answers (json_read.h). Its one
 * rule: nothing is cut to fit.
 */
#include "adapters/json/json_read.h"

#include <inttypes.h>
#include <string.h>

json_t *jread_object_body(const char *body, size_t len, struct settle_err *err)
{
	json_error_t jerr;
	json_t *root;

	if (!body || !len) {
		err_set(err, SETTLE_EX_DATAERR, "empty body");
		return NULL;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_set(err, SETTLE_EX_DATAERR, "body is not JSON: %s (line %d)", jerr.text, jerr.line);
		return NULL;
	}
	if (!json_is_object(root)) {
		err_set(err, SETTLE_EX_DATAERR, "body is not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

int jread_str(json_t *obj, const char *name, int required, char *dst, size_t cap, struct settle_err *err)
{
	json_t *v = json_object_get(obj, name);
	size_t len;

	dst[0] = '\0';
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(err, SETTLE_EX_DATAERR, "field %s is missing", name);
		return 0;
	}
	if (!json_is_string(v))
		return err_set(err, SETTLE_EX_DATAERR, "field %s is not a string", name);
	len = json_string_length(v);
	if (len >= cap)
		return err_set(err, SETTLE_EX_DATAERR, "field %s is longer than %zu bytes", name, cap - 1);
	if (strlen(json_string_value(v)) != len)
		return err_set(err, SETTLE_EX_DATAERR, "field %s contains a NUL byte", name);
	if (required && len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "field %s is empty", name);
	memcpy(dst, json_string_value(v), len + 1);
	return 0;
}

int jread_int(json_t *obj, const char *name, int64_t lo, int64_t hi, int64_t *out, struct settle_err *err)
{
	json_t *v = json_object_get(obj, name);
	json_int_t n;

	if (!v || json_is_null(v))
		return err_set(err, SETTLE_EX_DATAERR, "field %s is missing", name);
	if (!json_is_integer(v))
		return err_set(err, SETTLE_EX_DATAERR, "field %s is not an integer", name);
	n = json_integer_value(v);
	if (n < 0 && lo == 0)
		return err_set(err, SETTLE_EX_DATAERR, "field %s is negative", name);
	if (n < lo || n > hi)
		return err_set(err, SETTLE_EX_DATAERR, "field %s is out of range (%" PRId64 "..%" PRId64 ")", name, lo,
			       hi);
	*out = (int64_t)n;
	return 0;
}

int jread_amount(json_t *obj, const char *name, int64_t *out, struct settle_err *err)
{
	return jread_int(obj, name, 0, INT64_MAX, out, err);
}
