/*
 * statement.c — the leader's settlement notice (issue 14): one note per
 * leader per unit of work of settle-run, carrying the statement of what
 * the run settled for them — a line per pod, the gross, the platform's fee
 * and its rate, the VAT inside the fee, the leader's share, and the payout
 * it made: withholding and net (0 and "-" when none was made).
 *
 * The pod lines are one pre-rendered, multi-line fact (the note's facts are
 * flat), language-neutral (ids, amounts with thousands separators, the
 * rate): the template puts the words around them and prints the fact with
 * the `lines` filter, which keeps its line breaks and escapes it for HTML
 * like any value. A fact's value is short (domain/note.h): past what fits,
 * the last line says how many pods more; the totals always count them all.
 *
 * The key names the leader's first settlement of the unit: the unit is
 * rolled back whole or committed whole, so a re-run derives the same key.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/notify/note.h"
#include "app/settlement/settlement.h"
#include "domain/money.h"

/* 1234567 → "1,234,567" (no currency: the template says it). */
static void grouped(int64_t v, char *buf, size_t len)
{
	char digits[24];
	size_t n, o = 0;
	int neg = v < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	snprintf(digits, sizeof digits, "%llu", (unsigned long long)u);
	n = strlen(digits);
	if (neg && o + 1 < len)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* 2000 → "20%", 2050 → "20.5%", 1234 → "12.34%". */
static void rate(int bps, char *buf, size_t len)
{
	if (bps % 100 == 0)
		snprintf(buf, len, "%d%%", bps / 100);
	else if (bps % 10 == 0)
		snprintf(buf, len, "%d.%d%%", bps / 100, bps % 100 / 10);
	else
		snprintf(buf, len, "%d.%02d%%", bps / 100, bps % 100);
}

int settle_note_statement(struct outbox_note *n, const struct settlement_rec *s, size_t n_s,
			  const struct payout_rec *p, const char *now, struct settle_err *err)
{
	struct settlement_split sum = {0};
	char lines[sizeof n->facts[0].value] = "", r[16], a[32], b[32], c[32];
	size_t used = 0, shown = 0;
	int one_rate = 1;

	if (n_s == 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "a settlement notice of no settlement");
	for (size_t i = 0; i < n_s; i++) {
		const struct settlement_split *x = &s[i].split;
		char line[200];
		int k;

		if (i64_add(&sum.total, sum.total, x->total) < 0 || i64_add(&sum.fee, sum.fee, x->fee) < 0 ||
		    i64_add(&sum.vat, sum.vat, x->vat) < 0 || i64_add(&sum.leader_share, sum.leader_share, x->leader_share) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "leader %s: the statement's totals overflow", s[0].leader_id);
		one_rate &= s[i].fee_bps == s[0].fee_bps;
		grouped(x->total, a, sizeof a);
		grouped(x->fee, b, sizeof b);
		grouped(x->vat, c, sizeof c);
		rate(s[i].fee_bps, r, sizeof r);
		k = snprintf(line, sizeof line, "%s%s — %s — %s (%s) — %s", shown ? "\n" : "", s[i].pod_id, a, b, r, c);
		/* Room is kept for the last line, "… +N". */
		if (shown == i && k > 0 && used + (size_t)k + 16 < sizeof lines) {
			memcpy(lines + used, line, (size_t)k + 1);
			used += (size_t)k;
			shown++;
		}
	}
	if (shown < n_s)
		snprintf(lines + used, sizeof lines - used, "\n… +%zu", n_s - shown);
	note_init(n, "settlement.made", s[0].public_id, "leader", s[0].leader_id);
	note_fact(n, "pods", "%s", lines);
	note_money(n, "total", sum.total, s[0].currency);
	note_fact(n, "fee", "%lld", (long long)sum.fee);
	if (one_rate)
		rate(s[0].fee_bps, r, sizeof r);
	else
		snprintf(r, sizeof r, "-");
	note_fact(n, "rate", "%s", r);
	note_fact(n, "vat", "%lld", (long long)sum.vat);
	note_fact(n, "share", "%lld", (long long)sum.leader_share);
	note_fact(n, "withholding", "%lld", (long long)(p ? p->withholding : 0));
	note_fact(n, "net", "%lld", (long long)(p ? p->amount : 0));
	note_fact(n, "payout", "%s", p ? p->public_id : "-");
	note_fact(n, "at", "%s", now);
	return 0;
}
