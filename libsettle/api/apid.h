/*
 * apid.h — settle-apid's HTTP layer (issue 13 part 2; the seed's §7 API):
 * what cli/ is for argv, this is for HTTP requests. It authenticates
 * (bearer JWT, adapters/api/jwt_verify.h), rate-limits, makes every POST
 * idempotent by its Idempotency-Key, parses and checks the JSON body with
 * the programs' own kinds, asks domain/api_access.h whether the principal
 * may, and calls the same use cases as the programs. It decides nothing
 * about money: a rule found here is a bug.
 *
 * Errors are JSON {"code", "message"} with a stable code; a 5xx says only
 * what class of failure it was (the detail goes to the log, never to the
 * client).
 */
#ifndef SETTLE_API_APID_H
#define SETTLE_API_APID_H

#include <pthread.h>
#include <stdatomic.h>

#include "adapters/api/ratelimit.h"
#include "adapters/httpd/httpd.h"
#include "cli/cli.h"
#include "wire/wire_api.h"

#define APID_ROUTES 9
#define APID_CLASSES 5 /* 1xx..5xx */

struct apid {
	const struct cli *cli; /* spec and configuration, shared read-only */
	struct api_settings set;
	struct ratelimit *rl;
	const struct clock_port *clock;
	pthread_key_t conn_key;
	/* /metrics */
	atomic_llong requests[APID_ROUTES][APID_CLASSES];
	atomic_llong latency_us[APID_ROUTES];
	atomic_llong auth_failures, rate_limited, replays, conn_failures;
};

int apid_init(struct apid *a, const struct cli *cli, struct settle_err *err);
void apid_fini(struct apid *a);

/* The httpd handler; ctx is a struct apid. */
void apid_handle(void *ctx, const struct httpd_request *req, struct httpd_response *resp);
/* The httpd health check (WATCHDOG=1 only while it passes). */
int apid_healthy(void *ctx);

#endif
