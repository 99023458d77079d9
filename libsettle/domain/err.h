/*
 * err.h — the one error type every layer of libsettle fills in.
 *
 * Rule: library functions return 0 on success and a negative value on
 * failure, and describe the failure in a caller-owned struct settle_err.
 * Only cmd/ prints the message and turns err->code (a sysexits value)
 * into the exit status.
 */
#ifndef SETTLE_DOMAIN_ERR_H
#define SETTLE_DOMAIN_ERR_H

#include <stdarg.h>

/* sysexits.h values, repeated here so domain/ needs no system header. */
enum settle_exit {
	SETTLE_OK = 0,
	SETTLE_EX_USAGE = 64,       /* bad command line */
	SETTLE_EX_DATAERR = 65,     /* bad input data, broken invariant found */
	SETTLE_EX_NOINPUT = 66,     /* a named input does not exist */
	SETTLE_EX_UNAVAILABLE = 69, /* PG, bank or service refused or unreachable */
	SETTLE_EX_SOFTWARE = 70,    /* internal error */
	SETTLE_EX_OSERR = 71,
	SETTLE_EX_CANTCREAT = 73,
	SETTLE_EX_IOERR = 74,
	SETTLE_EX_TEMPFAIL = 75,    /* in doubt or busy: try again later */
	SETTLE_EX_NOPERM = 77,
	SETTLE_EX_CONFIG = 78,      /* bad configuration */
};

struct settle_err {
	int code;           /* enum settle_exit */
	char msg[512];      /* one line, no trailing newline */
	char pg_code[64];   /* the outside system's code, when it gave one */
};

/* Sets code and message; returns -1 so callers can `return err_set(...)`. */
int err_set(struct settle_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int err_vset(struct settle_err *err, int code, const char *fmt, va_list ap);

/* Prefixes the existing message with context ("loading pods: <old>"). */
int err_prefix(struct settle_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void err_clear(struct settle_err *err);

#endif
