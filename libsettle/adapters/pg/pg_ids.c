/*
 * pg_ids.c — the id and text rules of pg_ids.h. The charsets are the PGs'
 * own; where a PG documents only a length (NicePay's orderId), settle's
 * own order-id charset applies, since settle makes every order id it sends.
 */
#include "adapters/pg/pg_ids.h"

#include <string.h>

#include "adapters/pg/pg_common.h"
#include "domain/validate.h"

const struct pg_id_rule pg_toss_order_id = {"orderId", 6, 64, "_-", "[A-Za-z0-9_-]"};
const struct pg_id_rule pg_toss_payment_key = {"paymentKey", 1, 200, "_-", "[A-Za-z0-9_-]"};
const struct pg_id_rule pg_nicepay_tid = {"tid", 30, 30, "", "[A-Za-z0-9]"};
const struct pg_id_rule pg_nicepay_order_id = {"orderId", 1, 64, "_-", "[A-Za-z0-9_-]"};

static int refuse(struct pg_result *res, const char *pg, const struct settle_err *why)
{
	memset(res, 0, sizeof *res);
	return pg_result_set(res, PG_REFUSED, "INVALID_REQUEST", "%s: %s; not sent", pg, why->msg);
}

int pg_id_refused(struct pg_result *res, const char *pg, const struct pg_id_rule *rule, const char *v)
{
	struct settle_err why = {0};

	if (validate_id_chars(rule->field, v, rule->lo, rule->hi, rule->extra, rule->rule, &why) < 0)
		return refuse(res, pg, &why);
	return 0;
}

int pg_text_refused(struct pg_result *res, const char *pg, const char *field, const char *v, size_t max_bytes)
{
	struct settle_err why = {0};

	if (validate_text(field, v, max_bytes, &why) < 0 || validate_utf8(field, v, strlen(v), &why) < 0)
		return refuse(res, pg, &why);
	return 0;
}

int pg_digits_refused(struct pg_result *res, const char *pg, const char *field, const char *v, size_t max_bytes)
{
	struct settle_err why = {0};

	if (v && *v && validate_digits(field, v, 1, max_bytes, &why) < 0)
		return refuse(res, pg, &why);
	return 0;
}
