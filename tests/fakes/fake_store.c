/* fake_store.c — what the in-memory repositories share: the write counter
 * that injects a failure half-way through a unit of work, and time text. */
#include <string.h>

#include "domain/timefmt.h"
#include "fakes/fakes.h"

int fake_store_write(struct fake_store *s, const char *what, struct settle_err *err)
{
	s->writes++;
	if (s->fail_write_in > 0 && --s->fail_write_in == 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: injected failure at %s", what);
	return 0;
}

int64_t fake_ts_us(const char *ts)
{
	int64_t us = 0;

	if (!ts || !*ts || !strncmp(ts, "1970-01-01", 10))
		return 0;
	if (time_parse_utc(ts, &us) < 0)
		return 0;
	return us;
}
