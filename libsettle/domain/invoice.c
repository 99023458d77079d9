/* invoice.c — the e-tax invoice's rules (see invoice.h). Pure: no I/O. */
#include "domain/invoice.h"

#include <stdio.h>
#include <string.h>

#include "domain/money.h"
#include "domain/timefmt.h"

const char *invoice_status_name(enum invoice_status s)
{
	static const char *const names[] = {"DRAFT", "ISSUED", "SENT", "ACCEPTED", "REJECTED"};

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

int invoice_transition(enum invoice_status from, enum invoice_status to, struct settle_err *err)
{
	int ok = (from == INVOICE_DRAFT && (to == INVOICE_ISSUED || to == INVOICE_REJECTED)) ||
		 (from == INVOICE_ISSUED && to == INVOICE_SENT) ||
		 (from == INVOICE_SENT && (to == INVOICE_ACCEPTED || to == INVOICE_REJECTED));

	if (!ok)
		return err_set(err, SETTLE_EX_SOFTWARE, "an invoice cannot go from %s to %s", invoice_status_name(from),
			       invoice_status_name(to));
	return 0;
}

static const int brn_weights[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};

int brn_valid(const char *s)
{
	int sum = 0;

	if (!s || strlen(s) != BRN_LEN)
		return 0;
	for (int i = 0; i < BRN_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (int i = 0; i < 9; i++)
		sum += (s[i] - '0') * brn_weights[i];
	sum += (s[8] - '0') * 5 / 10;
	return (10 - sum % 10) % 10 == s[9] - '0';
}

int brn_check(const char *s, struct settle_err *err)
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "no business registration number");
	if (len != BRN_LEN || strspn(s, "0123456789") != len)
		return err_set(err, SETTLE_EX_DATAERR, "business registration number is not 10 digits");
	if (!brn_valid(s))
		return err_set(err, SETTLE_EX_DATAERR, "business registration number %s fails its check digit", s);
	return 0;
}

int approval_number_check(const char *s, struct settle_err *err)
{
	size_t len = s ? strlen(s) : 0;

	if (len != APPROVAL_LEN || strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz") != len)
		return err_set(err, SETTLE_EX_DATAERR, "approval number is not 24 of [0-9a-z]");
	return 0;
}

int invoice_month_parse(const char *s, struct invoice_month *out, struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	if (!s || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2)
		return err_set(err, SETTLE_EX_DATAERR, "month must be YYYY-MM");
	out->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	out->month = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	if (out->year < 2000)
		return err_set(err, SETTLE_EX_DATAERR, "month %s: year before 2000", s);
	if (out->month < 1 || out->month > 12)
		return err_set(err, SETTLE_EX_DATAERR, "month %s: no month %02u", s, out->month);
	snprintf(out->text, sizeof out->text, "%04d-%02u", out->year, out->month);
	snprintf(out->compact, sizeof out->compact, "%04d%02u", out->year, out->month);
	return 0;
}

void invoice_month_bounds(const struct invoice_month *m, int64_t *start_us, int64_t *end_us)
{
	*start_us = time_kst_midnight_us(m->year, m->month, 1);
	*end_us = time_kst_midnight_us(m->year, m->month + 1, 1);
}

void invoice_month_last_day(const struct invoice_month *m, char out[9])
{
	int64_t start, end;

	invoice_month_bounds(m, &start, &end);
	/* the instant just before the next month's first midnight */
	time_kst_yyyymmdd(end - 1, out);
}

void invoice_due_date(const char *write_date, char out[9])
{
	int y = 0;
	unsigned m = 0;

	for (int i = 0; i < 4; i++)
		y = y * 10 + (write_date[i] - '0');
	m = (unsigned)((write_date[4] - '0') * 10 + (write_date[5] - '0'));
	if (m == 12)
		snprintf(out, 9, "%04d0110", (y + 1) % 10000);
	else
		snprintf(out, 9, "%04d%02u10", y % 10000, (m + 1) % 100);
}

int invoice_is_late(const char *write_date, const char *today)
{
	char due[9];

	invoice_due_date(write_date, due);
	return strcmp(today, due) > 0;
}

int invoice_mgt_key(const struct invoice_month *m, int64_t leader_row, int sequence, char out[INVOICE_MGT_KEY_MAX + 1],
		    struct settle_err *err)
{
	int n = snprintf(out, INVOICE_MGT_KEY_MAX + 1, "S%sL%lldN%d", m->compact, (long long)leader_row, sequence);

	if (n < 0 || n > INVOICE_MGT_KEY_MAX || leader_row <= 0 || sequence < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "document key for leader row %lld, sequence %d does not fit",
			       (long long)leader_row, sequence);
	return 0;
}

static int add_to(int64_t *acc, int64_t v, const char *what, struct settle_err *err)
{
	if (i64_add(acc, *acc, v) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s overflows", what);
	return 0;
}

int invoice_lines(const struct invoice_item *items, size_t n, size_t max_lines, struct invoice_line *lines,
		  size_t *n_lines, char currency[4], struct settle_err *err)
{
	size_t pods = 0;
	struct invoice_line *l = NULL;

	*n_lines = 0;
	currency[0] = '\0';
	if (max_lines < 1 || max_lines > INVOICE_LINES_MAX)
		return err_set(err, SETTLE_EX_SOFTWARE, "line limit %zu is outside 1..%d", max_lines, INVOICE_LINES_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct invoice_item *it = &items[i];

		if (!currency[0])
			memcpy(currency, it->currency, 4);
		else if (strcmp(currency, it->currency))
			return err_set(err, SETTLE_EX_DATAERR, "pod %s is in %.3s, the invoice in %.3s", it->pod_id,
				       it->currency, currency);
		/* items come grouped by pod: a new pod starts a line, or joins
		 * the last one once the limit is reached */
		if (i == 0 || strcmp(it->pod_id, items[i - 1].pod_id)) {
			pods++;
			if (*n_lines < max_lines) {
				l = &lines[(*n_lines)++];
				memset(l, 0, sizeof *l);
				l->seq = (int)*n_lines;
				snprintf(l->name, sizeof l->name, "%s", it->title[0] ? it->title : it->pod_id);
			}
		}
		if (add_to(&l->supply, it->supply, "supply value", err) < 0 || add_to(&l->vat, it->vat, "VAT", err) < 0)
			return -1;
		l->items++;
		if (strcmp(it->date, l->date) > 0)
			memcpy(l->date, it->date, sizeof l->date);
	}
	if (pods > max_lines) {
		char first[151];

		snprintf(first, sizeof first, "%s", l->name);
		snprintf(l->name, sizeof l->name, "%s and %zu more pods", first, pods - max_lines);
	}
	return 0;
}

int invoice_sum(struct invoice_doc *d, struct settle_err *err)
{
	d->supply = d->vat = 0;
	for (size_t i = 0; i < d->n_lines; i++)
		if (add_to(&d->supply, d->lines[i].supply, "supply value", err) < 0 ||
		    add_to(&d->vat, d->lines[i].vat, "VAT", err) < 0)
			return -1;
	d->total = d->supply;
	return add_to(&d->total, d->vat, "total", err);
}

int invoice_check(const struct invoice_doc *d, struct settle_err *err)
{
	int64_t supply = 0, vat = 0, total;
	const char *who = d->invoicee.brn[0] ? d->invoicee.brn : "?";

	if (d->n_lines == 0 || d->n_lines > INVOICE_LINES_MAX)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s for %s has %zu lines (1..%d)", d->mgt_key, who,
			       d->n_lines, INVOICE_LINES_MAX);
	for (size_t i = 0; i < d->n_lines; i++)
		if (i64_add(&supply, supply, d->lines[i].supply) < 0 || i64_add(&vat, vat, d->lines[i].vat) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "invoice %s: its lines overflow", d->mgt_key);
	if (supply != d->supply)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s: supply value %lld is not the sum of its lines (%lld)",
			       d->mgt_key, (long long)d->supply, (long long)supply);
	if (vat != d->vat)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s: VAT %lld is not the sum of its lines (%lld)",
			       d->mgt_key, (long long)d->vat, (long long)vat);
	if (i64_add(&total, supply, vat) < 0 || total != d->total)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s: total %lld is not supply value + VAT (%lld)",
			       d->mgt_key, (long long)d->total, (long long)(supply + vat));
	if (d->type == INVOICE_ORIGINAL) {
		if (strcmp(d->type_code, "0101") || d->amendment_code[0] || d->original_issue_id[0])
			return err_set(err, SETTLE_EX_SOFTWARE, "invoice %s: an original is 0101 without an amendment",
				       d->mgt_key);
		if (supply < 0 || vat < 0)
			return err_set(err, SETTLE_EX_DATAERR, "invoice %s: an original's amounts are not negative",
				       d->mgt_key);
	} else {
		if (strcmp(d->type_code, "0201") || (strcmp(d->amendment_code, "02") && strcmp(d->amendment_code, "04")))
			return err_set(err, SETTLE_EX_SOFTWARE, "invoice %s: an amendment is 0201 with reason 02 or 04",
				       d->mgt_key);
		if (approval_number_check(d->original_issue_id, err) < 0)
			return err_prefix(err, "invoice %s: the original's", d->mgt_key);
	}
	return 0;
}

const char *invoice_amendment_code(int64_t original_total, int64_t amended_before, int64_t amount)
{
	return amended_before == 0 && original_total > 0 && amount == -original_total ? "04" : "02";
}
