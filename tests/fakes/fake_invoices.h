/*
 * fake_invoices.h — in-memory ports for invoice-issue's unit tests: the
 * invoices repository with its own unit of work (the state is copied
 * before fn and put back when fn fails, with injectable deadlocks), the
 * e-invoice provider (scripted outcomes, recorded calls) and the XML
 * outbox (counts writes; can refuse a document); the notifications outbox
 * (the leaders' notices, in the state).
 */
#ifndef SETTLE_TESTS_FAKE_INVOICES_H
#define SETTLE_TESTS_FAKE_INVOICES_H

#include "app/invoices/invoices.h"

#define FAKE_INV_LEADERS 8
#define FAKE_INV_ITEMS 64
#define FAKE_INV_DOCS 32

struct fake_inv_item {
	char leader_id[65];
	struct invoice_item it;
	int64_t invoice_id; /* 0 while uninvoiced */
};

struct fake_inv_doc {
	struct invoice_rec rec;
	struct invoice_doc doc;
	struct invoice_line lines[INVOICE_LINES_MAX];
	int64_t original_id;
	char code[64], message[256];
	int doubts;
};

struct fake_inv_state {
	struct invoice_leader leaders[FAKE_INV_LEADERS];
	size_t n_leaders;
	struct fake_inv_item items[FAKE_INV_ITEMS];
	size_t n_items;
	struct fake_inv_doc docs[FAKE_INV_DOCS];
	size_t n_docs;
	char unsettled[4][65];
	size_t n_unsettled;
	/* the notifications outbox: one note per key, rolled back with the rest */
	struct outbox_note notes[FAKE_INV_DOCS];
	size_t n_notes;
};

enum fake_provider_mode {
	FAKE_ISSUE = 0,        /* issued */
	FAKE_ISSUE_THEN_LOST,  /* issued, the answer lost: 75 */
	FAKE_UNREACHABLE,      /* nothing sent: 69 */
	FAKE_REFUSE,           /* refused for good */
};

struct fake_inv_world {
	struct fake_inv_state s;
	int deadlocks;        /* the next N commits fail as 1213 would, and are retried */
	/* provider */
	enum fake_provider_mode mode; /* for the next submit (back to FAKE_ISSUE after it) */
	int submits, lookups;
	struct { char key[INVOICE_MGT_KEY_MAX + 1]; char issue_id[APPROVAL_LEN + 1]; } issued[FAKE_INV_DOCS];
	size_t n_issued;
	/* outbox */
	int writes, checks, refuse_check;
	struct { int64_t now_us; } clock;
	struct uow_port uow;
	struct invoices_repo repo;
	struct einvoice_port provider;
	struct invoice_outbox outbox;
	struct clock_port clock_port;
	struct outbox_port notes;
	struct invoice_ctx ctx;
};

/* A world with the platform as supplier, the clock at 2026-11-05 10:00 KST. */
void fake_inv_world_init(struct fake_inv_world *w);
void fake_inv_leader(struct fake_inv_world *w, const char *leader_id, const char *kind, const char *brn);
/* An item of the month: kind INVOICE_ITEM_SETTLEMENT (positive) or _CLAWBACK (negative). */
void fake_inv_item(struct fake_inv_world *w, const char *leader_id, int kind, const char *pod, int64_t supply,
		   int64_t vat, const char *date);
/* Sets the clock ("2026-11-20T01:00:00Z"). */
void fake_inv_now(struct fake_inv_world *w, const char *utc);

#endif
