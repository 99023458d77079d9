/* watch.c — the anomaly rules (see watch.h). */
#include "domain/watch.h"

#include <stdio.h>
#include <string.h>

void watch_limits_default(struct watch_limits *l)
{
	*l = (struct watch_limits){300, 20, 95, 5, 5, 600, 0, 600, 3600, 0, 5, 600, 300};
}

static int fire(struct watch_fire *f, const char *rule, const char *subject)
{
	memset(f, 0, sizeof *f);
	snprintf(f->rule, sizeof f->rule, "%s", rule);
	snprintf(f->subject, sizeof f->subject, "%s", subject ? subject : "");
	return 1;
}

int watch_success_rate(int64_t completed, int64_t failed, const struct watch_limits *l, struct watch_fire *f)
{
	int64_t all = completed + failed;

	if (all < l->min_payments || all <= 0 || completed * 100 >= l->min_success_pct * all)
		return 0;
	fire(f, "payment.success_rate", "");
	snprintf(f->value, sizeof f->value, "%lld%%", (long long)(completed * 100 / all));
	snprintf(f->threshold, sizeof f->threshold, ">= %lld%%", (long long)l->min_success_pct);
	snprintf(f->detail, sizeof f->detail, "%lld of %lld payments completed in the last %lld s", (long long)completed,
		 (long long)all, (long long)l->window_s);
	return 1;
}

int watch_refund_rate(const char *pod, int64_t paid, int64_t refunded, const struct watch_limits *l,
		      struct watch_fire *f)
{
	if (paid < l->min_payments || paid <= 0 || refunded * 100 <= l->max_refund_pct * paid)
		return 0;
	fire(f, pod && *pod ? "refund.rate.pod" : "refund.rate", pod);
	snprintf(f->value, sizeof f->value, "%lld%%", (long long)(refunded * 100 / paid));
	snprintf(f->threshold, sizeof f->threshold, "<= %lld%%", (long long)l->max_refund_pct);
	snprintf(f->detail, sizeof f->detail, "%lld refund(s) against %lld payment(s) in the last %lld s%s%s",
		 (long long)refunded, (long long)paid, (long long)l->window_s, pod && *pod ? " for pod " : "",
		 pod ? pod : "");
	return 1;
}

int watch_user_burst(const char *user, int64_t failed, int64_t paid, const struct watch_limits *l,
		     struct watch_fire *f)
{
	if (failed <= l->burst_count && paid <= l->burst_count)
		return 0;
	fire(f, failed > l->burst_count ? "user.failures" : "user.payments", user);
	snprintf(f->value, sizeof f->value, "%lld", (long long)(failed > l->burst_count ? failed : paid));
	snprintf(f->threshold, sizeof f->threshold, "<= %lld in %lld s", (long long)l->burst_count,
		 (long long)l->burst_window_s);
	snprintf(f->detail, sizeof f->detail, "user %s: %lld failed and %lld paid payment(s) in %lld s", user,
		 (long long)failed, (long long)paid, (long long)l->burst_window_s);
	return 1;
}

int watch_card_burst(const char *masked, const char *issuer, int64_t failed, int64_t paid,
		     const struct watch_limits *l, struct watch_fire *f)
{
	char subject[96];

	if (failed <= l->card_burst_count && paid <= l->card_burst_count)
		return 0;
	snprintf(subject, sizeof subject, "%.16s:%.40s", issuer && *issuer ? issuer : "-", masked ? masked : "");
	fire(f, failed > l->card_burst_count ? "card.failures" : "card.payments", subject);
	snprintf(f->value, sizeof f->value, "%lld", (long long)(failed > l->card_burst_count ? failed : paid));
	snprintf(f->threshold, sizeof f->threshold, "<= %lld in %lld s", (long long)l->card_burst_count,
		 (long long)l->card_burst_window_s);
	snprintf(f->detail, sizeof f->detail, "card %s (issuer %s): %lld failed and %lld paid payment(s) in %lld s",
		 masked ? masked : "", issuer && *issuer ? issuer : "-", (long long)failed, (long long)paid,
		 (long long)l->card_burst_window_s);
	return 1;
}

int watch_tamper(int64_t refusals, const struct watch_limits *l, struct watch_fire *f)
{
	if (refusals <= l->tamper_count)
		return 0;
	fire(f, "payment.amount_tamper", "");
	snprintf(f->value, sizeof f->value, "%lld", (long long)refusals);
	snprintf(f->threshold, sizeof f->threshold, "<= %lld", (long long)l->tamper_count);
	snprintf(f->detail, sizeof f->detail,
		 "%lld capture(s) refused for an amount other than the order's, or PG answer(s) with one, in %lld s",
		 (long long)refusals, (long long)l->tamper_window_s);
	return 1;
}

int watch_breaker(const char *pg, int64_t failing_for_s, int64_t failures, const struct watch_limits *l,
		  struct watch_fire *f)
{
	if (failures <= 0 || failing_for_s <= l->breaker_open_s)
		return 0;
	fire(f, "pg.breaker_open", pg);
	snprintf(f->value, sizeof f->value, "%lld s", (long long)failing_for_s);
	snprintf(f->threshold, sizeof f->threshold, "<= %lld s", (long long)l->breaker_open_s);
	snprintf(f->detail, sizeof f->detail, "PG %s: %lld failure(s) and no success for %lld s", pg,
		 (long long)failures, (long long)failing_for_s);
	return 1;
}

int watch_payout_doubt(int64_t count, int64_t oldest_s, const struct watch_limits *l, struct watch_fire *f)
{
	if (count <= 0)
		return 0;
	fire(f, "payout.in_doubt", "");
	snprintf(f->value, sizeof f->value, "%lld", (long long)count);
	snprintf(f->threshold, sizeof f->threshold, "none older than %lld s", (long long)l->payout_doubt_s);
	snprintf(f->detail, sizeof f->detail, "%lld payout(s) in doubt, the oldest for %lld s", (long long)count,
		 (long long)oldest_s);
	return 1;
}

int watch_ledger_check(const char *last_status, const char *message, struct watch_fire *f)
{
	if (!last_status || !*last_status || !strcmp(last_status, "DONE") || !strcmp(last_status, "RUNNING"))
		return 0;
	fire(f, "ledger.check", "");
	snprintf(f->value, sizeof f->value, "%s", last_status);
	snprintf(f->threshold, sizeof f->threshold, "DONE");
	snprintf(f->detail, sizeof f->detail, "the last ledger-check run: %s", message && *message ? message : last_status);
	return 1;
}

int watch_job_overdue(const char *job, int64_t late_s, struct watch_fire *f)
{
	if (late_s <= 0)
		return 0;
	fire(f, "job.overdue", job);
	snprintf(f->value, sizeof f->value, "%lld s late", (long long)late_s);
	snprintf(f->threshold, sizeof f->threshold, "on schedule");
	snprintf(f->detail, sizeof f->detail, "job %s has not succeeded on its schedule", job);
	return 1;
}
