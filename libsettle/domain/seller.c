/* seller.c — seller registration states and statuses (see seller.h). */
#include "domain/seller.h"

#include <stdio.h>
#include <string.h>

static const char *const reg_names[SELLER_REG_COUNT] = {"NONE",	   "SENDING", "IN_DOUBT",
							  "WAITING", "READY",	"REFUSED"};

/* moves[from][to] */
static const unsigned char moves[SELLER_REG_COUNT][SELLER_REG_COUNT] = {
	[SELLER_REG_NONE] = {[SELLER_REG_SENDING] = 1},
	[SELLER_REG_SENDING] = {[SELLER_REG_WAITING] = 1, [SELLER_REG_READY] = 1, [SELLER_REG_REFUSED] = 1,
				[SELLER_REG_IN_DOUBT] = 1},
	[SELLER_REG_IN_DOUBT] = {[SELLER_REG_SENDING] = 1, [SELLER_REG_WAITING] = 1, [SELLER_REG_READY] = 1,
				 [SELLER_REG_REFUSED] = 1, [SELLER_REG_IN_DOUBT] = 1},
	[SELLER_REG_WAITING] = {[SELLER_REG_WAITING] = 1, [SELLER_REG_READY] = 1},
	[SELLER_REG_READY] = {[SELLER_REG_READY] = 1, [SELLER_REG_WAITING] = 1},
	[SELLER_REG_REFUSED] = {[SELLER_REG_NONE] = 1},
};

const char *seller_reg_name(enum seller_reg r)
{
	return (unsigned)r < SELLER_REG_COUNT ? reg_names[r] : "?";
}

int seller_reg_parse(const char *name, enum seller_reg *out)
{
	for (int i = 0; name && i < SELLER_REG_COUNT; i++)
		if (!strcmp(name, reg_names[i])) {
			*out = (enum seller_reg)i;
			return 0;
		}
	return -1;
}

int seller_reg_transition(enum seller_reg from, enum seller_reg to, struct settle_err *err)
{
	if ((unsigned)from >= SELLER_REG_COUNT || (unsigned)to >= SELLER_REG_COUNT || !moves[from][to])
		return err_set(err, SETTLE_EX_DATAERR, "seller registration cannot move from %s to %s",
			       seller_reg_name(from), seller_reg_name(to));
	return 0;
}

static const struct {
	const char *name;
	enum seller_status st;
} statuses[] = {
	{"APPROVAL_REQUIRED", SELLER_ST_APPROVAL_REQUIRED},
	{"PARTIALLY_APPROVED", SELLER_ST_PARTIALLY_APPROVED},
	{"KYC_REQUIRED", SELLER_ST_KYC_REQUIRED},
	{"APPROVED", SELLER_ST_APPROVED},
	{"NOT_FOUND", SELLER_ST_NOT_FOUND},
};

const char *seller_status_name(enum seller_status s)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].st == s)
			return statuses[i].name;
	return "UNKNOWN";
}

enum seller_status seller_status_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(name, statuses[i].name) && statuses[i].st != SELLER_ST_NOT_FOUND)
			return statuses[i].st;
	return SELLER_ST_UNKNOWN;
}

int seller_status_payable(enum seller_status s)
{
	return s == SELLER_ST_PARTIALLY_APPROVED || s == SELLER_ST_APPROVED;
}

enum seller_reg seller_reg_for_status(enum seller_status s)
{
	return seller_status_payable(s) ? SELLER_REG_READY : SELLER_REG_WAITING;
}

static void need(char *buf, size_t len, const char *field, const char *v)
{
	size_t at = strlen(buf);

	if (v && *v)
		return;
	snprintf(buf + at, len - at, "%s%s", at ? ", " : "", field);
}

int seller_application_check(const struct seller_application *a, struct settle_err *err)
{
	char missing[200] = "";
	int company = a->kind != LEADER_INDIVIDUAL;

	need(missing, sizeof missing, "name", a->name);
	if (company) {
		need(missing, sizeof missing, "representative_name", a->representative_name);
		need(missing, sizeof missing, "business_number", a->business_number);
	}
	need(missing, sizeof missing, "email", a->email);
	need(missing, sizeof missing, "phone", a->phone);
	need(missing, sizeof missing, "bank account", a->account);
	need(missing, sizeof missing, "bank_code", a->bank_code);
	need(missing, sizeof missing, "holder_name", a->holder);
	if (missing[0])
		return err_set(err, SETTLE_EX_DATAERR, "leader %s cannot be registered as a seller: no %s", a->leader_id,
			       missing);
	return 0;
}

void seller_idempotency_key(const char *ref_seller_id, int attempt, char *out, size_t len)
{
	snprintf(out, len, "seller-%s-%d", ref_seller_id, attempt);
}
