/*
 * ports/rrn.h — opening a leader's sealed resident registration number
 * for the withholding report (--with-rrn). The key never reaches app/.
 */
#ifndef SETTLE_PORTS_RRN_H
#define SETTLE_PORTS_RRN_H

#include <stddef.h>

#include "domain/err.h"

struct rrn_port {
	void *self;
	/* out gets the clear number, NUL-terminated; the caller wipes it. */
	int (*open)(void *self, const unsigned char *sealed, size_t len, char *out, size_t cap, struct settle_err *err);
};

#endif
