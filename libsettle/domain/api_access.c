/* api_access.c — the access rule of each API action (see api_access.h). */
#include "domain/api_access.h"

#include <string.h>

enum api_role api_role_parse(const char *s)
{
	if (!s)
		return API_ROLE_NONE;
	if (!strcmp(s, "user"))
		return API_ROLE_USER;
	if (!strcmp(s, "leader"))
		return API_ROLE_LEADER;
	if (!strcmp(s, "admin"))
		return API_ROLE_ADMIN;
	return API_ROLE_NONE;
}

static int owns(const struct api_principal *p, const char *owner)
{
	return owner && p->sub[0] && !strcmp(p->sub, owner);
}

int api_may(const struct api_principal *p, enum api_action action, const char *owner)
{
	switch (action) {
	case API_ORDER:
		/* An order is a user's own: nobody orders for someone else. */
		return p->role == API_ROLE_USER;
	case API_CONFIRM:
		return p->role == API_ROLE_USER && owns(p, owner);
	case API_PAYMENT_READ:
		return p->role == API_ROLE_ADMIN || (p->role == API_ROLE_USER && owns(p, owner));
	case API_PAYMENT_REFUND:
		return p->role == API_ROLE_ADMIN || (p->role == API_ROLE_USER && owns(p, owner));
	case API_SETTLEMENTS_READ:
		return p->role == API_ROLE_ADMIN || (p->role == API_ROLE_LEADER && owns(p, owner));
	case API_SETTLE_EXECUTE:
		return p->role == API_ROLE_ADMIN;
	}
	return 0;
}
