/* settlement_queries.c — a leader's settlements, newest first (settle-apid). */
#include "adapters/mysql/settlement_queries.h"

#include <string.h>

#include "adapters/mysql/db.h"

static int by_leader(void *self, const char *leader_id, int limit,
		     int (*fn)(void *arg, const struct leader_settlement_row *r), void *arg, struct settle_err *err)
{
	char id[41], pod[65], title[801], cur[4], status[17], at[32];
	int64_t total, fee, vat, share, wh, net;
	struct db_cursor *c;
	struct leader_settlement_row r = {id, pod, title, cur, status, at, 0, 0, 0, 0, 0, 0};
	int rc, stop = 0;

	/* Cursor rows go to fn while it is open: fn must not query (the API
	 * only builds JSON from them). */
	if (db_query(self, &c,
		     "SELECT s.public_id, s.pod_id, COALESCE(p.title, ''), s.currency, s.status, "
		     "DATE_FORMAT(s.created_at, '%Y-%m-%dT%H:%i:%sZ'), s.total, s.fee, s.vat, s.leader_share, "
		     "s.withholding, s.net FROM settlements s LEFT JOIN pods p ON p.pod_id = s.pod_id "
		     "WHERE s.leader_id = ? ORDER BY s.created_at DESC, s.id DESC LIMIT ?",
		     DB_PARAMS(DB_S(leader_id), DB_I(limit)),
		     DB_COLS(DC_S(id), DC_S(pod), DC_S(title), DC_S(cur), DC_S(status), DC_S(at), DC_I(&total),
			     DC_I(&fee), DC_I(&vat), DC_I(&share), DC_I(&wh), DC_I(&net)),
		     err) < 0)
		return -1;
	while (!stop && (rc = db_fetch(c, err)) == 1) {
		r.total = total, r.fee = fee, r.vat = vat, r.leader_share = share, r.withholding = wh, r.net = net;
		stop = fn(arg, &r);
	}
	db_cursor_close(c);
	if (stop)
		return stop;
	return rc < 0 ? -1 : 0;
}

void mysql_settlement_queries(struct settlement_queries *out, struct db *db)
{
	memset(out, 0, sizeof *out);
	out->self = db;
	out->by_leader = by_leader;
}
