/*
 * lease.c — take, renew, release and take over job leases with plain
 * row updates. Each operation is its own short transaction, so it works
 * the same on one server and on a Galera cluster.
 */
#include "adapters/mysql/lease.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/mysql/db.h"

struct take_args {
	const char *name, *owner, *now;
	int ttl_s;
	struct lease *out;
	int taken;
	char holder[129];
};

static int take_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct take_args *a = arg;
	char owner[129] = "", expires[40] = "";
	int64_t token = 0, live = 0;
	int rc;

	if (db_exec(db, "INSERT IGNORE INTO job_leases (name, token) VALUES (?, 0)", DB_PARAMS(DB_S(a->name)), NULL,
		    NULL, err) < 0)
		return -1;
	rc = db_query_one(db,
			  "SELECT COALESCE(owner, ''), token, COALESCE(CAST(expires_at AS CHAR), ''), "
			  "(owner IS NOT NULL AND expires_at > ?) FROM job_leases WHERE name = ? FOR UPDATE",
			  DB_PARAMS(DB_S(a->now), DB_S(a->name)),
			  DB_COLS(DC_S(owner), DC_I(&token), DC_S(expires), DC_I(&live)), err);
	if (rc != 1)
		return rc < 0 ? -1 : err_set(err, SETTLE_EX_SOFTWARE, "lease %s row missing", a->name);
	if (live && strcmp(owner, a->owner)) {
		a->taken = 0;
		snprintf(a->holder, sizeof a->holder, "%s", owner);
		return 0;
	}
	if (db_exec(db,
		    "UPDATE job_leases SET owner = ?, token = token + 1, acquired_at = ?, "
		    "expires_at = ? + INTERVAL ? SECOND WHERE name = ?",
		    DB_PARAMS(DB_S(a->owner), DB_S(a->now), DB_S(a->now), DB_I(a->ttl_s), DB_S(a->name)), NULL, NULL,
		    err) < 0)
		return -1;
	snprintf(a->out->name, sizeof a->out->name, "%s", a->name);
	snprintf(a->out->owner, sizeof a->out->owner, "%s", a->owner);
	a->out->token = (uint64_t)token + 1;
	a->taken = 1;
	return 0;
}

int lease_take(struct db *db, const char *name, const char *owner, const char *now, int ttl_s, struct lease *out,
	       struct settle_err *err)
{
	struct take_args a = {.name = name, .owner = owner, .now = now, .ttl_s = ttl_s, .out = out};

	if (db_tx(db, take_tx, &a, err) < 0)
		return -1;
	if (!a.taken) {
		err_set(err, SETTLE_EX_TEMPFAIL, "job %s is running elsewhere (lease held by %s)", name, a.holder);
		return 0;
	}
	return 1;
}

int lease_renew(struct db *db, const struct lease *l, const char *now, int ttl_s, struct settle_err *err)
{
	uint64_t affected = 0;

	if (db_exec(db,
		    "UPDATE job_leases SET expires_at = ? + INTERVAL ? SECOND "
		    "WHERE name = ? AND owner = ? AND token = ?",
		    DB_PARAMS(DB_S(now), DB_I(ttl_s), DB_S(l->name), DB_S(l->owner), DB_I((int64_t)l->token)),
		    &affected, NULL, err) < 0)
		return -1;
	if (affected == 0) {
		err_set(err, SETTLE_EX_TEMPFAIL, "lease %s was taken over; stopping", l->name);
		return 0;
	}
	return 1;
}

int lease_release(struct db *db, const struct lease *l, struct settle_err *err)
{
	return db_exec(db,
		       "UPDATE job_leases SET owner = NULL, expires_at = NULL WHERE name = ? AND owner = ? AND token = ?",
		       DB_PARAMS(DB_S(l->name), DB_S(l->owner), DB_I((int64_t)l->token)), NULL, NULL, err);
}

void lease_owner_default(char *buf, size_t len)
{
	char host[64] = "host";

	gethostname(host, sizeof host - 1);
	snprintf(buf, len, "%s:%d:%04lx", host, (int)getpid(), (unsigned long)(random() & 0xffff));
}
