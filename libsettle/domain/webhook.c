/* webhook.c — see webhook.h. */
#include "domain/webhook.h"

#include <string.h>

int webhook_secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;
	unsigned char diff = (unsigned char)(la != lb);

	/* Every byte of the longer is read, so the time tells nothing of where
	 * they differ. */
	for (size_t i = 0; i < n; i++) {
		unsigned char x = i < la ? (unsigned char)a[i] : 0, y = i < lb ? (unsigned char)b[i] : 0;

		diff |= (unsigned char)(x ^ y);
	}
	return la > 0 && diff == 0;
}

int webhook_status_is_cancel(const char *status)
{
	static const char *const words[] = {"CANCELED", "PARTIAL_CANCELED", "ABORTED", "EXPIRED", "cancelled",
					    "partialCancelled", "expired", "failed"};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(status, words[i]))
			return 1;
	return 0;
}
