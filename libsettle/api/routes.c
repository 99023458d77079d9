/*
 * routes.c — settle-apid's routing (see routes.h): a path and method to a
 * route, the role a route needs, and the handler that runs it
 * (routes_payments.c, routes_settlements.c). Each body field is checked
 * with the kind its program option uses (cli/kinds.h), unknown fields are
 * refused (answers.c), and what the principal may do is asked of
 * domain/api_access.h.
 */
#include "api/routes.h"

#include <string.h>

#include "api/answers.h"

enum apid_route apid_route_of(const char *method, const char *path)
{
	char id[ID_MAX + 1];
	int get = !strcmp(method, "GET"), post = !strcmp(method, "POST");

#define R(ok, r) return (ok) ? (r) : APID_BAD_METHOD
	if (!strcmp(path, "/healthz"))
		R(get, APID_HEALTHZ);
	if (!strcmp(path, "/metrics"))
		R(get, APID_METRICS);
	if (!strcmp(path, P_PAYMENTS))
		R(post, APID_ORDER);
	if (!strcmp(path, "/api/v1/payments/confirm"))
		R(post, APID_CONFIRM);
	if (!strcmp(path, "/api/v1/settlements/execute"))
		R(post, APID_EXECUTE);
	if (api_segment(path, "/api/v1/payments/", "/refund", id, sizeof id))
		R(post, APID_REFUND);
	if (api_segment(path, "/api/v1/payments/", NULL, id, sizeof id))
		R(get, APID_PAYMENT_GET);
	if (api_segment(path, P_LEADER, NULL, id, sizeof id))
		R(get, APID_SETTLEMENTS_LEADER);
#undef R
	return APID_NOT_FOUND;
}

int apid_route_role_ok(const struct api_principal *p, enum apid_route route)
{
	/* The owner is the principal itself: "could this role ever". */
	switch (route) {
	case APID_ORDER: return api_may(p, API_ORDER, NULL);
	case APID_CONFIRM: return api_may(p, API_CONFIRM, p->sub);
	case APID_PAYMENT_GET: return api_may(p, API_PAYMENT_READ, p->sub);
	case APID_REFUND: return api_may(p, API_PAYMENT_REFUND, p->sub);
	case APID_SETTLEMENTS_LEADER: return api_may(p, API_SETTLEMENTS_READ, p->sub);
	case APID_EXECUTE: return api_may(p, API_SETTLE_EXECUTE, NULL);
	default: return 0;
	}
}

void apid_route_run(struct api_conn *c, const struct api_principal *p, enum apid_route route,
		    const struct httpd_request *req, struct httpd_response *resp)
{
	switch (route) {
	case APID_ORDER: return api_order(c, p, req, resp);
	case APID_CONFIRM: return api_confirm(c, p, req, resp);
	case APID_PAYMENT_GET: return api_payment_get(c, p, req, resp);
	case APID_REFUND: return api_refund(c, p, req, resp);
	case APID_SETTLEMENTS_LEADER: return api_leader_settlements(c, p, req, resp);
	case APID_EXECUTE: return api_execute(c, p, req, resp);
	default: return api_not_found(resp, "no such endpoint");
	}
}
