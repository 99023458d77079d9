/*
 * routes.h — the endpoints of settle-apid and, for each, the body it takes,
 * the access rule it asks and the use case it calls.
 */
#ifndef SETTLE_API_ROUTES_H
#define SETTLE_API_ROUTES_H

#include "adapters/httpd/httpd.h"
#include "domain/api_access.h"
#include "wire/wire_api.h"

enum apid_route {
	APID_NOT_FOUND = 0,
	APID_HEALTHZ,          /* GET /healthz */
	APID_METRICS,          /* GET /metrics */
	APID_ORDER,            /* POST /api/v1/payments */
	APID_CONFIRM,          /* POST /api/v1/payments/confirm */
	APID_PAYMENT_GET,      /* GET /api/v1/payments/{id} */
	APID_REFUND,           /* POST /api/v1/payments/{id}/refund */
	APID_SETTLEMENTS_LEADER, /* GET /api/v1/settlements/leader/{leaderId} */
	APID_EXECUTE,          /* POST /api/v1/settlements/execute */
	APID_BAD_METHOD,       /* a known path with another method */
};

enum apid_route apid_route_of(const char *method, const char *path);

/* Whether the principal's role may ever use route (checked before an
 * Idempotency-Key is claimed, so a refused role leaves no row). */
int apid_route_role_ok(const struct api_principal *p, enum apid_route route);

/* Runs an authenticated route: parses, checks, authorises, calls. */
void apid_route_run(struct api_conn *c, const struct api_principal *p, enum apid_route route,
		    const struct httpd_request *req, struct httpd_response *resp);

#endif
