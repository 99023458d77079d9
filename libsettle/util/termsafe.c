/* termsafe.c — \xNN for what a terminal would interpret; valid UTF-8 text passes unchanged. */
#include "util/termsafe.h"

#include <stdio.h>
#include <string.h>

#include "domain/utf8.h"

/* Length of the character at s that may be copied as it is, or 0 when its
 * first byte must be escaped. */
static size_t printable_len(const char *s, size_t n)
{
	uint32_t cp;
	int len = utf8_decode(s, n, &cp);

	if (len < 0 || utf8_is_control(cp))
		return 0;
	return (size_t)len;
}

char *term_escape(char *out, size_t len, const char *in)
{
	size_t used = 0, n = in ? strlen(in) : 0;

	if (len == 0)
		return out;
	for (size_t i = 0; i < n;) {
		size_t c = printable_len(in + i, n - i);

		if (c == 0) {
			if (used + 4 >= len)
				break;
			snprintf(out + used, len - used, "\\x%02x", (unsigned char)in[i]);
			used += 4;
			i++;
		} else {
			if (used + c >= len)
				break;
			memcpy(out + used, in + i, c);
			used += c;
			i += c;
		}
	}
	out[used] = '\0';
	return out;
}

bool term_needs_escape(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		size_t c = printable_len(s + i, n - i);

		if (c == 0)
			return true;
		i += c;
	}
	return false;
}
