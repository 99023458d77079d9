/* bank_common.c — results and order checks the bank adapters share (see bank_common.h). */
#include "adapters/bank/bank_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/utf8.h"

int bank_result_set(struct bank_result *res, enum bank_outcome outcome, enum bank_status status, const char *code,
		    const char *fmt, ...)
{
	va_list ap;

	res->outcome = outcome;
	res->status = status;
	snprintf(res->code, sizeof res->code, "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof res->message, fmt, ap);
	va_end(ap);
	/* One line, whatever a bank sent. */
	for (char *p = res->message; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	return (int)outcome;
}

int bank_id_ok(const char *s)
{
	size_t n;

	if (!s)
		return 0;
	n = strlen(s);
	return n >= 1 && n <= BANK_ID_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

int bank_utf8_ok(const char *s, size_t len)
{
	/* The project's one strict decoder (domain/utf8.h). */
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

int bank_text_ok(const char *s, size_t max)
{
	size_t n;

	if (!s)
		return 0;
	n = strlen(s);
	if (n > max || !bank_utf8_ok(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int bank_order_check(const struct payout_order *o, struct bank_result *res)
{
	memset(res, 0, sizeof *res);
	if (!o || !bank_id_ok(o->payout_id))
		bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
				"payout id must be 1..%d of A-Z a-z 0-9 _ -", BANK_ID_MAX);
	else if (o->amount <= 0)
		bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
				"payout %s: amount must be positive", o->payout_id);
	else if (!o->currency || strcmp(o->currency, "KRW"))
		bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
				"payout %s: currency must be KRW", o->payout_id);
	else
		return 0;
	return -1;
}
