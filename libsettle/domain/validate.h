/*
 * validate.h — pure checks of identifiers, dates and codes that arrive
 * from outside (command lines, CSV files, PG answers). Each returns 0 or
 * -1 with a one-line reason naming the field.
 */
#ifndef SETTLE_DOMAIN_VALIDATE_H
#define SETTLE_DOMAIN_VALIDATE_H

#include <stddef.h>

#include "domain/err.h"

/* Study Service ids (pods, users, leaders): 1–64 of [A-Za-z0-9_.-]. */
int validate_ref_id(const char *field, const char *v, struct settle_err *err);
/* PG order ids: 6–64 of [A-Za-z0-9_-] (Toss's rule). */
int validate_order_id(const char *field, const char *v, struct settle_err *err);
/* YYYY-MM-DD, a real calendar date. */
int validate_date(const char *field, const char *v, struct settle_err *err);
/* Non-empty printable text up to max bytes, no control characters. */
int validate_text(const char *field, const char *v, size_t max, struct settle_err *err);
/* Exactly n ASCII digits. */
int validate_digits(const char *field, const char *v, size_t n_min, size_t n_max, struct settle_err *err);
/* A Korean phone number: 9–11 digits starting with 0, hyphens allowed
 * between digit groups ("010-1234-5678"). The digits alone go to out
 * (at least 12 bytes). */
int validate_phone(const char *field, const char *v, char *out, size_t out_len, struct settle_err *err);
/* Strict non-negative decimal integer in [min, max]. */
int validate_int(const char *field, const char *v, long long min, long long max, long long *out,
		 struct settle_err *err);
/* One of a NULL-terminated list of words. */
int validate_enum(const char *field, const char *v, const char *const *words, struct settle_err *err);
/* A minimal e-mail shape: local@domain.tld, no spaces. */
int validate_email(const char *field, const char *v, struct settle_err *err);
/* len bytes of well-formed UTF-8 (RFC 3629): no overlong form, no
 * surrogate (U+D800–U+DFFF), nothing above U+10FFFF, no cut sequence. The
 * reason names the field and the byte offset (1-based) of the bad byte. */
int validate_utf8(const char *field, const char *v, size_t len, struct settle_err *err);
/* An id that goes into a URL path or a header: lo–hi bytes, each an ASCII
 * letter or digit or one of `extra`; `rule` is how the message says it. */
int validate_id_chars(const char *field, const char *v, size_t lo, size_t hi, const char *extra, const char *rule,
		      struct settle_err *err);
/* Non-empty text of at most max bytes that is valid UTF-8 (no overlong
 * forms, no surrogates) without control characters (C0, DEL, C1). */
int validate_utf8_text(const char *field, const char *v, size_t max, struct settle_err *err);
/* lo–hi characters, each a letter, a digit or one of extra; rule names the
 * set in the message ("[A-Za-z0-9_-]"). */
int validate_token(const char *field, const char *v, size_t lo, size_t hi, const char *extra, const char *rule,
		   struct settle_err *err);

#endif
