/*
 * strbuf.h — a string that grows as text is appended (templates, MIME
 * messages). Out of memory is sticky: later appends do nothing, and the
 * caller checks oom once at the end instead of after every append.
 */
#ifndef SETTLE_DOMAIN_STRBUF_H
#define SETTLE_DOMAIN_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;  /* NUL-ended once anything was appended; NULL before */
	size_t n, cap;
	int oom;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_adds(struct strbuf *b, const char *s);

#endif
