/*
 * answers.h — inside settle-apid's routes: the answers and body checks
 * every route shares, and the route handlers routes.c dispatches to.
 */
#ifndef SETTLE_API_ANSWERS_H
#define SETTLE_API_ANSWERS_H

#include <jansson.h>
#include <stddef.h>

#include "api/routes.h"
#include "cli/cli.h"
#include "domain/err.h"

#define ID_MAX 64
#define EXECUTE_PODS_MAX CLI_LIST_MAX
#define LEADER_ROWS_MAX 500

#define P_PAYMENTS "/api/v1/payments"
#define P_LEADER "/api/v1/settlements/leader/"

int api_segment(const char *path, const char *prefix, const char *suffix, char *out, size_t cap);
void api_reply(struct httpd_response *resp, int status, json_t *j);
void api_reply_err(struct httpd_response *resp, const char *what, const struct settle_err *err);
void api_forbidden(struct httpd_response *resp);
void api_not_found(struct httpd_response *resp, const char *what);
json_t *api_iso(const char *sql);
json_t *api_body_object(const struct httpd_request *req, struct httpd_response *resp);
int api_only_fields(json_t *o, const char *const *allowed, struct httpd_response *resp);
const char *api_text_field(json_t *o, const char *name, const struct cli_kind *kind, int required, int *bad,
			   struct httpd_response *resp);
int api_amount_field(json_t *o, const char *name, int required, char *out, size_t cap, int *bad,
		     struct httpd_response *resp);
int api_path_id(const char *path, const char *prefix, const char *suffix, char *id, struct httpd_response *resp);

/* The handlers (routes_payments.c, routes_settlements.c). */
void api_order(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
	       struct httpd_response *resp);
void api_confirm(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		 struct httpd_response *resp);
void api_payment_get(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		     struct httpd_response *resp);
void api_refund(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		struct httpd_response *resp);
void api_leader_settlements(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
			    struct httpd_response *resp);
void api_execute(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		 struct httpd_response *resp);

#endif
