/*
 * json_read.h — reading the fields of a JSON answer from an outside system
 * (a PG, the Study Service) into settle's fixed-size structs, over jansson.
 *
 * Rule: a field that does not fit is an error, never silently cut — a cut
 * paymentKey or pod id would name something else. Every error is one line
 * naming the field.
 */
#ifndef SETTLE_ADAPTERS_JSON_READ_H
#define SETTLE_ADAPTERS_JSON_READ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

/* Parses a body that must be one JSON object (duplicate keys refused).
 * Returns a new reference, or NULL with err set. */
json_t *jread_object_body(const char *body, size_t len, struct settle_err *err);

/* Copies the string member `name` of obj into dst[cap].
 * required: absent, null, empty or not a string → -1 with err naming it.
 * optional: absent or null → ""; present but not a string → -1.
 * Too long for dst, or holding a NUL byte → -1. */
int jread_str(json_t *obj, const char *name, int required, char *dst, size_t cap, struct settle_err *err);

/* Integer member `name` (a JSON integer in lo..hi) into *out; -1 with err
 * when absent, not an integer, or outside the range ("negative" when lo is
 * 0 and it is below). */
int jread_int(json_t *obj, const char *name, int64_t lo, int64_t hi, int64_t *out, struct settle_err *err);

/* An amount: jread_int over 0..INT64_MAX. */
int jread_amount(json_t *obj, const char *name, int64_t *out, struct settle_err *err);

#endif
