/*
 * invoice.h — the rules of the monthly e-tax invoice for the platform's fee
 * (research/tax.md; DESIGN.md §4): business registration numbers, the
 * document made from a leader's month of settlements and clawbacks, its
 * sums, amendments, the deadline and the approval number's form.
 *
 * Rules:
 * - A document's lines are the settlements' own supply and VAT (a line per
 *   pod; the last line sums the rest once the line limit is reached); its
 *   totals are the lines' sums, never recomputed from a month's total.
 *   invoice_check refuses a document whose totals are not its lines' sums,
 *   so such a document is never written or sent.
 * - An original is TypeCode 0101. What changes an invoiced month later (a
 *   clawback, a late settlement) is an amendment, TypeCode 0201, that names
 *   the original's approval number: reason 04 (cancelled contract) when it
 *   takes back exactly the whole original and nothing was amended before,
 *   else 02 (change of supply value).
 * - Due by the 10th of the month after the 작성일자's month (tax.md §5).
 */
#ifndef SETTLE_DOMAIN_INVOICE_H
#define SETTLE_DOMAIN_INVOICE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

#define BRN_LEN 10
#define APPROVAL_LEN 24
/* Line items per document. tax.md leaves the limit UNCONFIRMED; 99 is the
 * one its sources name. */
#define INVOICE_LINES_MAX 99
#define INVOICE_MGT_KEY_MAX 24 /* Popbill mgtKey: 1–24 of [A-Za-z0-9_-] */

/* DESIGN.md §6: DRAFT → ISSUED → SENT → ACCEPTED | REJECTED; a draft the
 * provider refused for good is REJECTED. settle moves DRAFT → ISSUED and
 * DRAFT → REJECTED; the rest is the provider's news. */
enum invoice_status { INVOICE_DRAFT = 0, INVOICE_ISSUED, INVOICE_SENT, INVOICE_ACCEPTED, INVOICE_REJECTED };

const char *invoice_status_name(enum invoice_status s);
/* 0, or -1 with an internal error naming the illegal move. */
int invoice_transition(enum invoice_status from, enum invoice_status to, struct settle_err *err);

/* 1 when s is 10 digits whose check digit holds (tax.md §4: weights
 * 1 3 7 1 3 7 1 3 5, plus floor(d9·5/10)). */
int brn_valid(const char *s);
/* 0, or -1 with a data error saying what is wrong with the number. */
int brn_check(const char *s, struct settle_err *err);
/* The approval number (승인번호): 24 of [0-9a-z] (tax.md §3). */
int approval_number_check(const char *s, struct settle_err *err);

struct invoice_month {
	int year;
	unsigned month;
	char text[8];   /* "2026-11" */
	char compact[7]; /* "202611" */
};

/* "YYYY-MM", year 2000–9999, month 01–12; -1 with a data error otherwise. */
int invoice_month_parse(const char *s, struct invoice_month *out, struct settle_err *err);
/* [start, end) of the month in Korea time, as UTC microseconds. */
void invoice_month_bounds(const struct invoice_month *m, int64_t *start_us, int64_t *end_us);
/* The last day of the month, "YYYYMMDD" (a 월합계 invoice's 작성일자). */
void invoice_month_last_day(const struct invoice_month *m, char out[9]);
/* The due date of a document written on write_date ("YYYYMMDD"): the 10th
 * of the following month, "YYYYMMDD". */
void invoice_due_date(const char *write_date, char out[9]);
/* 1 when today ("YYYYMMDD", Korea time) is past write_date's due date. */
int invoice_is_late(const char *write_date, const char *today);

/* The provider's document key, derived (never random) from the leader's
 * row, the month and the document's sequence (0 original, 1… amendments):
 * "S202611L42N0". -1 when it would not fit 24 characters. */
int invoice_mgt_key(const struct invoice_month *m, int64_t leader_row, int sequence, char out[INVOICE_MGT_KEY_MAX + 1],
		    struct settle_err *err);

/* What a document is made of: a settlement (the pod's fee: its supply and
 * VAT) or a clawback (negative: what it took back of them). */
struct invoice_item {
	int kind;          /* INVOICE_ITEM_SETTLEMENT or INVOICE_ITEM_CLAWBACK */
	int64_t id;
	char pod_id[65];
	char title[201];
	char date[9];      /* its supply date, Korea time: pod completion or clawback */
	int64_t supply, vat;
	char currency[4];
};
enum { INVOICE_ITEM_SETTLEMENT = 1, INVOICE_ITEM_CLAWBACK = 2 };

struct invoice_line {
	int seq;            /* 1… */
	char name[201];     /* the pod's title, or "… and N more pods" */
	char date[9];       /* YYYYMMDD */
	int64_t supply, vat;
	int64_t items;      /* how many items it sums */
};

struct invoice_party {
	char brn[BRN_LEN + 1];
	char name[101];
	char representative[101];
	char address[201];
	char business_type[101]; /* 업태 */
	char business_item[101]; /* 종목 */
	char email[255];
};

enum invoice_type { INVOICE_ORIGINAL = 0, INVOICE_AMENDMENT = 1 };

struct invoice_doc {
	enum invoice_type type;
	char type_code[5];         /* "0101" / "0201" */
	char amendment_code[3];    /* "" / "02" / "04" */
	char original_issue_id[APPROVAL_LEN + 1]; /* amendments: the original's approval number */
	char issue_id[APPROVAL_LEN + 1];          /* "" until the provider gave it */
	char mgt_key[INVOICE_MGT_KEY_MAX + 1];
	char period[8];            /* "2026-11" */
	int sequence;
	char write_date[9];        /* 작성일자 YYYYMMDD */
	char currency[4];
	int late;
	struct invoice_party invoicer, invoicee;
	struct invoice_line *lines;
	size_t n_lines;
	int64_t supply, vat, total;
};

/* Lines from items, which come grouped by pod: one line per pod (supply and VAT
 * summed, the latest date); past max_lines (≤ INVOICE_LINES_MAX) the last
 * line sums every remaining pod. lines has room for max_lines. Items of
 * another currency than the first are refused. */
int invoice_lines(const struct invoice_item *items, size_t n, size_t max_lines, struct invoice_line *lines,
		  size_t *n_lines, char currency[4], struct settle_err *err);
/* The document's totals: the lines' sums (overflow-checked). */
int invoice_sum(struct invoice_doc *d, struct settle_err *err);
/* Refuses a document whose totals are not its lines' sums, whose total is
 * not supply + VAT, that has no line or too many, or whose codes do not
 * fit its type (an amendment without its original's approval number). */
int invoice_check(const struct invoice_doc *d, struct settle_err *err);
/* The amendment reason: "04" when amount takes back exactly the whole
 * original total and nothing was amended before, else "02". */
const char *invoice_amendment_code(int64_t original_total, int64_t amended_before, int64_t amount);

#endif
