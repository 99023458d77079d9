/*
 * api_access.h — who may do what through settle-apid (issue 13): the roles
 * a bearer token carries and the one rule per action. Pure: the daemon
 * asks here after loading what the action is about, and never decides
 * access anywhere else.
 *
 *   user    orders and confirms their own payments, sees and refunds only
 *           their own (the refund policy still decides how much);
 *   leader  sees only their own settlements;
 *   admin   executes settlements, and may see any payment or settlement.
 */
#ifndef SETTLE_DOMAIN_API_ACCESS_H
#define SETTLE_DOMAIN_API_ACCESS_H

enum api_role { API_ROLE_NONE = 0, API_ROLE_USER, API_ROLE_LEADER, API_ROLE_ADMIN };

struct api_principal {
	char sub[65]; /* the Study Service's user or leader id */
	enum api_role role;
};

enum api_action {
	API_ORDER,           /* POST /payments: for the principal itself */
	API_CONFIRM,         /* POST /payments/confirm: owner's order */
	API_PAYMENT_READ,    /* GET /payments/{id} */
	API_PAYMENT_REFUND,  /* POST /payments/{id}/refund */
	API_SETTLEMENTS_READ,/* GET /settlements/leader/{id} */
	API_SETTLE_EXECUTE,  /* POST /settlements/execute */
};

/* The role named in a token's "role" claim; API_ROLE_NONE when unknown. */
enum api_role api_role_parse(const char *s);

/* 1 when p may do action on something owned by owner (the payment's user,
 * the settlements' leader; NULL when the action has no owner). */
int api_may(const struct api_principal *p, enum api_action action, const char *owner);

#endif
