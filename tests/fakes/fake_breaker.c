/* fake_breaker.c — PG health rows in memory (adapters/mysql/breaker_repo.c):
 * failures since the window began or the last good answer, whichever is
 * later; one probe per trip every every_s. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int record(void *self, struct uow *tx, const char *pg, int ok, const char *code, const char *now,
		  struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_health_row *row;

	(void)tx;
	(void)err;
	if (s->db.n_health >= FAKE_MAX_HEALTH) /* keep the newest */
		memmove(&s->db.health[0], &s->db.health[1], --s->db.n_health * sizeof s->db.health[0]);
	row = &s->db.health[s->db.n_health++];
	snprintf(row->pg, sizeof row->pg, "%s", pg);
	row->ok = ok ? 1 : 0;
	snprintf(row->code, sizeof row->code, "%s", code ? code : "");
	snprintf(row->at, sizeof row->at, "%s", now);
	return 0;
}

static int64_t last_ok(const struct fake_store *s, const char *pg)
{
	int64_t at = 0;

	for (size_t i = 0; i < s->db.n_health; i++)
		if (s->db.health[i].ok && !strcmp(s->db.health[i].pg, pg) && fake_ts_us(s->db.health[i].at) > at)
			at = fake_ts_us(s->db.health[i].at);
	return at;
}

static int failures(void *self, struct uow *tx, const char *pg, int window_s, const char *now, int64_t *n,
		    struct settle_err *err)
{
	struct fake_store *s = self;
	int64_t since = fake_ts_us(now) - (int64_t)window_s * 1000000, ok = last_ok(s, pg);

	(void)tx;
	(void)err;
	if (ok > since)
		since = ok;
	*n = 0;
	for (size_t i = 0; i < s->db.n_health; i++)
		if (!s->db.health[i].ok && !strcmp(s->db.health[i].pg, pg) && fake_ts_us(s->db.health[i].at) > since)
			(*n)++;
	return 0;
}

static int take_probe(void *self, struct uow *tx, const char *pg, int every_s, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_probe_row *row = NULL;
	int64_t probed, fresh, due;

	(void)tx;
	for (size_t i = 0; i < s->db.n_probes; i++)
		if (!strcmp(s->db.probes[i].pg, pg))
			row = &s->db.probes[i];
	if (!row) {
		if (s->db.n_probes >= FAKE_MAX_PGS)
			return err_set(err, SETTLE_EX_SOFTWARE, "fake: probes table full");
		row = &s->db.probes[s->db.n_probes++];
		snprintf(row->pg, sizeof row->pg, "%s", pg);
		snprintf(row->probed_at, sizeof row->probed_at, "1970-01-01");
	}
	probed = fake_ts_us(row->probed_at);
	fresh = probed <= last_ok(s, pg);
	due = probed <= fake_ts_us(now) - (int64_t)every_s * 1000000;
	if (!fresh && !due)
		return 0;
	snprintf(row->probed_at, sizeof row->probed_at, "%s", now);
	return !fresh && due;
}

static int prune(void *self, const char *now, int keep_s, struct settle_err *err)
{
	struct fake_store *s = self;
	int64_t before = fake_ts_us(now) - (int64_t)keep_s * 1000000;
	size_t k = 0;

	(void)err;
	for (size_t i = 0; i < s->db.n_health; i++)
		if (fake_ts_us(s->db.health[i].at) >= before)
			s->db.health[k++] = s->db.health[i];
	s->db.n_health = k;
	return 0;
}

void fake_breaker_repo(struct breaker_repo *out, struct fake_store *s)
{
	*out = (struct breaker_repo){
		.self = s, .record = record, .failures = failures, .take_probe = take_probe, .prune = prune};
}
