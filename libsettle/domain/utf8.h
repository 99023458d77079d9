/*
 * utf8.h — strict UTF-8, as RFC 3629 defines it: no overlong forms, no
 * surrogates (U+D800–U+DFFF), nothing above U+10FFFF.
 *
 * Rule: every check of text that arrives from outside decodes with
 * utf8_decode, so "valid UTF-8" means the same thing everywhere.
 */
#ifndef SETTLE_DOMAIN_UTF8_H
#define SETTLE_DOMAIN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one character from s (n bytes available, n > 0). Returns its
 * length in bytes (1–4) and the code point in *cp, or -1 when the bytes at
 * s do not start a valid character. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* A C0 or C1 control character or DEL: never printed raw on a terminal. */
int utf8_is_control(uint32_t cp);

#endif
