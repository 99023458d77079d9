/* card_mask.c — the truncated-card rule (see card_mask.h). */
#include "domain/card_mask.h"

#include <string.h>

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_mask(char ch)
{
	return ch == '*' || ch == 'x' || ch == 'X' || ch == '#';
}

static int is_sep(char ch)
{
	return ch == '-' || ch == ' ';
}

int card_number_keepable(const char *s)
{
	size_t len, positions = 0, masked = 0, run = 0, pos = 0;

	if (!s || !*s || (len = strlen(s)) > 32)
		return 0;
	/* First pass: the alphabet, the longest digit run (separators do not
	 * break a run: "4330-1234-5678-9012" is a full number), the counts. */
	for (size_t i = 0; i < len; i++) {
		if (is_digit(s[i])) {
			positions++;
			if (++run >= 13)
				return 0;
		} else if (is_mask(s[i])) {
			positions++;
			masked++;
			run = 0;
		} else if (!is_sep(s[i])) {
			return 0;
		}
	}
	if (positions < 13 || positions > 19 || masked == 0)
		return 0;
	if (positions >= 15 && positions <= 16 && masked < 4)
		return 0;
	/* Second pass: a clear digit only where PCI DSS allows one. */
	for (size_t i = 0; i < len; i++) {
		if (is_sep(s[i]))
			continue;
		if (is_digit(s[i]) && pos >= 8 && pos < positions - 4)
			return 0;
		pos++;
	}
	return 1;
}

int card_issuer_keepable(const char *s)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z')))
			return 0;
	return n >= 1 && n <= 16;
}
