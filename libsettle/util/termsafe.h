/*
 * termsafe.h — text that came from outside (ids, reasons, PG messages),
 * made safe to write on a terminal.
 *
 * Rule: every line settle writes to stdout or stderr passes what it echoes
 * through term_escape: a control character (C0, DEL, C1) or a byte that is
 * not part of valid UTF-8 is written as \xNN, so no input can move the
 * cursor, change colours or split a line.
 */
#ifndef SETTLE_UTIL_TERMSAFE_H
#define SETTLE_UTIL_TERMSAFE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the escaped form of in into out (always NUL-terminated, cut at a
 * character boundary when out is too small). Returns out. */
char *term_escape(char *out, size_t len, const char *in);
/* True when term_escape would change s. */
bool term_needs_escape(const char *s);

#endif
