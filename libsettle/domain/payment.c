/* payment.c — transition tables. A table, not a switch, so the legal
 * moves can be read (and tested) at a glance. */
#include "domain/payment.h"

#include <string.h>

static const char *const pay_names[PAY_STATUS_COUNT] = {
	"PENDING", "CONFIRMING", "WAITING_FOR_DEPOSIT", "COMPLETED", "FAILED", "EXPIRED", "PARTIALLY_REFUNDED",
	"REFUNDED",
};

/* pay_moves[from][to] */
static const bool pay_moves[PAY_STATUS_COUNT][PAY_STATUS_COUNT] = {
	[PAY_PENDING] = {[PAY_CONFIRMING] = true, [PAY_EXPIRED] = true},
	[PAY_CONFIRMING] = {[PAY_COMPLETED] = true, [PAY_FAILED] = true, [PAY_WAITING_FOR_DEPOSIT] = true},
	[PAY_WAITING_FOR_DEPOSIT] = {[PAY_COMPLETED] = true, [PAY_EXPIRED] = true, [PAY_FAILED] = true},
	[PAY_COMPLETED] = {[PAY_PARTIALLY_REFUNDED] = true, [PAY_REFUNDED] = true},
	[PAY_PARTIALLY_REFUNDED] = {[PAY_PARTIALLY_REFUNDED] = true, [PAY_REFUNDED] = true},
};

static const char *const escrow_names[ESCROW_STATUS_COUNT] = {"HOLDING", "DISPUTED", "RELEASED", "REFUNDED"};
static const bool escrow_moves[ESCROW_STATUS_COUNT][ESCROW_STATUS_COUNT] = {
	[ESCROW_HOLDING] = {[ESCROW_RELEASED] = true, [ESCROW_REFUNDED] = true, [ESCROW_DISPUTED] = true,
			    [ESCROW_HOLDING] = true /* a partial refund keeps it holding */},
	[ESCROW_DISPUTED] = {[ESCROW_HOLDING] = true, [ESCROW_REFUNDED] = true, [ESCROW_DISPUTED] = true},
};

static const char *const refund_names[REFUND_STATUS_COUNT] = {"REQUESTED", "COMPLETED", "FAILED"};
static const bool refund_moves[REFUND_STATUS_COUNT][REFUND_STATUS_COUNT] = {
	[REFUND_REQUESTED] = {[REFUND_COMPLETED] = true, [REFUND_FAILED] = true},
};

static const char *const method_names[METHOD_COUNT] = {"CARD", "TRANSFER", "VIRTUAL_ACCOUNT"};

static int parse(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

const char *payment_status_name(enum payment_status s)
{
	return (unsigned)s < PAY_STATUS_COUNT ? pay_names[s] : "?";
}

int payment_status_parse(const char *name, enum payment_status *out)
{
	int i = parse(pay_names, PAY_STATUS_COUNT, name);

	if (i < 0)
		return -1;
	*out = (enum payment_status)i;
	return 0;
}

int payment_transition(enum payment_status from, enum payment_status to, struct settle_err *err)
{
	if ((unsigned)from >= PAY_STATUS_COUNT || (unsigned)to >= PAY_STATUS_COUNT || !pay_moves[from][to])
		return err_set(err, SETTLE_EX_DATAERR, "payment cannot move from %s to %s", payment_status_name(from),
			       payment_status_name(to));
	return 0;
}

bool payment_holds_place(enum payment_status s)
{
	return s == PAY_PENDING || s == PAY_CONFIRMING || s == PAY_WAITING_FOR_DEPOSIT || s == PAY_COMPLETED ||
	       s == PAY_PARTIALLY_REFUNDED;
}

bool payment_owns_key(enum payment_status s)
{
	return s == PAY_WAITING_FOR_DEPOSIT || s == PAY_COMPLETED || s == PAY_PARTIALLY_REFUNDED || s == PAY_REFUNDED;
}

const char *escrow_status_name(enum escrow_status s)
{
	return (unsigned)s < ESCROW_STATUS_COUNT ? escrow_names[s] : "?";
}

int escrow_status_parse(const char *name, enum escrow_status *out)
{
	int i = parse(escrow_names, ESCROW_STATUS_COUNT, name);

	if (i < 0)
		return -1;
	*out = (enum escrow_status)i;
	return 0;
}

int escrow_transition(enum escrow_status from, enum escrow_status to, struct settle_err *err)
{
	if ((unsigned)from >= ESCROW_STATUS_COUNT || (unsigned)to >= ESCROW_STATUS_COUNT || !escrow_moves[from][to])
		return err_set(err, SETTLE_EX_DATAERR, "escrow cannot move from %s to %s", escrow_status_name(from),
			       escrow_status_name(to));
	return 0;
}

const char *refund_status_name(enum refund_status s)
{
	return (unsigned)s < REFUND_STATUS_COUNT ? refund_names[s] : "?";
}

int refund_status_parse(const char *name, enum refund_status *out)
{
	int i = parse(refund_names, REFUND_STATUS_COUNT, name);

	if (i < 0)
		return -1;
	*out = (enum refund_status)i;
	return 0;
}

int refund_transition(enum refund_status from, enum refund_status to, struct settle_err *err)
{
	if ((unsigned)from >= REFUND_STATUS_COUNT || (unsigned)to >= REFUND_STATUS_COUNT || !refund_moves[from][to])
		return err_set(err, SETTLE_EX_DATAERR, "refund cannot move from %s to %s", refund_status_name(from),
			       refund_status_name(to));
	return 0;
}

const char *pay_method_name(enum pay_method m)
{
	return (unsigned)m < METHOD_COUNT ? method_names[m] : "?";
}

int pay_method_parse(const char *name, enum pay_method *out, struct settle_err *err)
{
	int i = parse(method_names, METHOD_COUNT, name);

	if (i < 0)
		return err_set(err, SETTLE_EX_USAGE, "method \"%.40s\" is not one of CARD, TRANSFER, VIRTUAL_ACCOUNT",
			       name ? name : "");
	*out = (enum pay_method)i;
	return 0;
}
