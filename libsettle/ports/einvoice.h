/*
 * ports/einvoice.h — the e-invoice provider (an ASP such as Popbill,
 * research/tax.md §8): it issues a document under our key and gives back
 * the approval number (승인번호); asked about a key, it says whether it
 * holds that document.
 *
 * Rule (DESIGN.md §7): submit is called only after the intent (the
 * document with its derived key) is committed. An answer that leaves the
 * outcome unknown is in doubt (75): the caller asks lookup next time and
 * never sends the document again blind.
 */
#ifndef SETTLE_PORTS_EINVOICE_H
#define SETTLE_PORTS_EINVOICE_H

#include "domain/err.h"
#include "domain/invoice.h"

enum einvoice_outcome {
	EINVOICE_ISSUED = 1,   /* issue_id holds the approval number */
	EINVOICE_REFUSED,      /* a definite refusal: code and message */
	EINVOICE_NOT_FOUND,    /* lookup: the provider has no such document */
};

struct einvoice_result {
	enum einvoice_outcome outcome;
	char issue_id[APPROVAL_LEN + 1];
	char code[64];
	char message[256];
};

struct einvoice_port {
	void *self;
	/* 0 with res filled (ISSUED or REFUSED); -1 with err: 75 in doubt,
	 * 69 not sent (unreachable), 78 refused credentials. */
	int (*submit)(void *self, const struct invoice_doc *d, struct einvoice_result *res, struct settle_err *err);
	/* 0 with res (ISSUED, REFUSED for a document it holds unissued, or
	 * NOT_FOUND); -1 with err as submit. */
	int (*lookup)(void *self, const char *mgt_key, struct einvoice_result *res, struct settle_err *err);
};

/* The XML outbox: the standard document, validated against the schema,
 * signed when a certificate is configured, written whole. */
struct invoice_outbox {
	void *self;
	/* Builds and validates the document without writing it (65 when it
	 * does not validate). */
	int (*check)(void *self, const struct invoice_doc *d, struct settle_err *err);
	/* Builds, validates, signs and writes it atomically under its period's
	 * directory; the path into path. */
	int (*write)(void *self, const struct invoice_doc *d, char *path, size_t len, struct settle_err *err);
};

#endif
