/*
 * lease.h — job leases in rows (job_leases), never in a connection.
 *
 * Rule: a job that must run alone takes its lease, renews it while it
 * works (well before expiry), and releases it at the end. An expired lease
 * is taken over; every take bumps the fencing token, so an owner that lost
 * its lease finds out on its next renew and stops.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_LEASE_H
#define SETTLE_ADAPTERS_MYSQL_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct db;

struct lease {
	char name[65];
	char owner[129];
	uint64_t token;
};

/* 1 taken, 0 held by another live owner (holder in err->msg), -1 error.
 * now is 'YYYY-MM-DD HH:MM:SS.ffffff' UTC from the clock port. */
int lease_take(struct db *db, const char *name, const char *owner, const char *now, int ttl_s, struct lease *out,
	       struct settle_err *err);
/* 1 renewed, 0 lost (taken over by someone else), -1 error. */
int lease_renew(struct db *db, const struct lease *l, const char *now, int ttl_s, struct settle_err *err);
int lease_release(struct db *db, const struct lease *l, struct settle_err *err);

/* A default owner string: host:pid:random. */
void lease_owner_default(char *buf, size_t len);

#endif
