/* err.c — filling in struct settle_err. Messages are kept to one line. */
#include "domain/err.h"

#include <stdio.h>
#include <string.h>

static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

int err_vset(struct settle_err *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	one_line(err->msg);
	return -1;
}

int err_set(struct settle_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(struct settle_err *err, const char *fmt, ...)
{
	char prefix[256], old[sizeof err->msg];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
	one_line(err->msg);
	return -1;
}

void err_clear(struct settle_err *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}
