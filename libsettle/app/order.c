/*
 * order.c — pay-order: a PENDING payment for a pod and a user. The amount
 * and currency come from the pod (the Study port), never from the caller;
 * the PG comes from configuration and the breaker.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments.h"
#include "domain/money.h"
#include "domain/payment.h"
#include "domain/timefmt.h"
#include "domain/validate.h"

void pay_settings_default(struct pay_settings *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->default_pg, sizeof s->default_pg, "toss");
	s->confirm_sweep_age_s = 60;
	s->pending_expiry_s = 1800; /* Toss: 30 min to authenticate */
	s->doubt_backoff_s = 30;
	s->breaker_window_s = 300;
	s->breaker_max_failures = 5;
	s->breaker_open_s = 60;
	s->sweep_concurrency = 8;
	s->sweep_batch = 200;
}

static const char *alternative(const char *pg)
{
	return strcmp(pg, "toss") ? "toss" : "nicepay";
}

static int choose_pg(const struct pay_ctx *c, const char *forced, const char *now, char *out, size_t len,
		     struct settle_err *err)
{
	const char *def = c->set.default_pg;
	int64_t failures = 0;
	int probe;

	if (forced) {
		if (strcmp(forced, "toss") && strcmp(forced, "nicepay"))
			return err_set(err, SETTLE_EX_USAGE, "--pg \"%.20s\" is not toss or nicepay", forced);
		snprintf(out, len, "%s", forced);
		return 0;
	}
	if (c->store->pg_failures(c->store->self, def, c->set.breaker_window_s, now, &failures, err) < 0)
		return -1;
	if (failures < c->set.breaker_max_failures) {
		snprintf(out, len, "%s", def);
		return 0;
	}
	/* Tripped: the alternative takes the orders, except one probe order
	 * per breaker_open_s, whose success closes the breaker again. */
	probe = c->store->pg_take_probe(c->store->self, def, c->set.breaker_open_s, now, err);
	if (probe < 0)
		return -1;
	snprintf(out, len, "%s", probe ? def : alternative(def));
	return 0;
}

int pay_order(const struct pay_ctx *c, const char *pod_id, const char *user_id, const char *method,
	      const char *pg_forced, struct payment_rec *out, int *existing, struct settle_err *err)
{
	struct study_pod pod;
	struct new_order o;
	enum pay_method m;
	char now[TIME_SQL_LEN], pg[16];

	if (validate_ref_id("pod id", pod_id, err) < 0 || validate_ref_id("user id", user_id, err) < 0)
		return -1;
	if (pay_method_parse(method ? method : "CARD", &m, err) < 0)
		return -1;
	if (c->study->get_pod(c->study->self, pod_id, &pod, err) < 0) {
		if (err->code == SETTLE_EX_NOINPUT)
			err->code = SETTLE_EX_DATAERR; /* an unknown pod is bad input */
		return -1;
	}
	if (!strcmp(pod.status, "FULL"))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is full", pod_id);
	if (strcmp(pod.status, "OPEN"))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is %s; it takes no new participants", pod_id,
			       pod.status);
	if (pod.fee == 0)
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is free; there is nothing to pay", pod_id);
	if (pod.fee < 0 || !currency_known(pod.currency))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s has an invalid fee %lld %s", pod_id, (long long)pod.fee,
			       pod.currency);
	time_sql(c->clock->now_us(c->clock->self), now);
	if (choose_pg(c, pg_forced, now, pg, sizeof pg, err) < 0)
		return -1;
	o = (struct new_order){.pod = &pod, .user_id = user_id, .method = pay_method_name(m), .pg = pg,
			       .actor = c->actor, .now = now};
	return c->store->create_order(c->store->self, &o, out, existing, err);
}
