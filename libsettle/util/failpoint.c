/* failpoint.c — SIGKILL at a named step, test builds only. */
#include "util/failpoint.h"

#ifdef SETTLE_FAILPOINTS
#include <signal.h>
#include <stdlib.h>
#include <string.h>

void failpoint_hit(const char *name)
{
	const char *list = getenv("SETTLE_FAILPOINT");
	size_t len = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && !strncmp(p, name, len))
			raise(SIGKILL); /* abrupt: no cleanup, no flush, like a crash */
		p = comma ? comma + 1 : p + n;
	}
}
#else
/* Keeps the translation unit non-empty in release builds. */
typedef int failpoint_unused;
#endif
