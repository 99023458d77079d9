/*
 * order.c — pay-order: a PENDING payment for a pod and a user. The amount
 * and currency come from the pod (the Study port), never from the caller;
 * the PG comes from configuration and the breaker.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/internal.h"
#include "domain/order.h"
#include "domain/validate.h"

struct order_args {
	const struct pay_ctx *c;
	const struct study_pod *pod;
	const char *user_id, *method, *pg, *now;
	struct payment_rec *out;
	int *existing;
};

static int order_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct order_args *a = arg;
	const struct pay_repos *r = &a->c->r;
	const struct study_pod *pod = a->pod;
	struct order_pod op = {pod->pod_id, pod->status, pod->currency, pod->fee, pod->capacity, pod->participants};
	struct new_payment np = {pod->pod_id, a->user_id, a->method, a->pg, pod->fee, pod->currency};
	struct payment_event ev = {NULL, "PENDING", a->c->actor, NULL, NULL};
	struct payment_rec cur;
	int64_t places = 0;
	int rc;

	/* settle's copy of the pod, refreshed from the source of truth, and
	 * locked: orders of one pod take their places one at a time. */
	if (r->pods->refresh_and_lock(r->pods->self, tx, pod, a->now, err) < 0)
		return -1;
	rc = r->payments->find_live_place(r->payments->self, tx, pod->pod_id, a->user_id, &cur, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (cur.status == PAY_PENDING) {
			*a->out = cur;
			*a->existing = 1;
			return 0;
		}
		return err_set(err, SETTLE_EX_DATAERR, "user %s already paid for pod %s (%s, %s)", a->user_id,
			       pod->pod_id, cur.public_id, payment_status_name(cur.status));
	}
	if (r->payments->count_live_places(r->payments->self, tx, pod->pod_id, &places, err) < 0 ||
	    order_pod_has_place(&op, places, err) < 0)
		return -1;
	if (r->payments->insert(r->payments->self, tx, &np, a->now, a->out, err) < 0)
		return -1;
	*a->existing = 0;
	return r->payments->add_event(r->payments->self, tx, a->out->id, &ev, a->now, err);
}

int pay_order(const struct pay_ctx *c, const char *pod_id, const char *user_id, const char *method,
	      const char *pg_forced, struct payment_rec *out, int *existing, struct settle_err *err)
{
	struct study_pod pod;
	struct order_pod op;
	enum pay_method m;
	char now[TIME_SQL_LEN], pg[16];
	struct order_args a = {.c = c, .pod = &pod, .user_id = user_id, .now = now, .out = out, .existing = existing};

	if (validate_ref_id("pod id", pod_id, err) < 0 || validate_ref_id("user id", user_id, err) < 0)
		return -1;
	if (pay_method_parse(method ? method : "CARD", &m, err) < 0)
		return -1;
	if (c->study->get_pod(c->study->self, pod_id, &pod, err) < 0) {
		if (err->code == SETTLE_EX_NOINPUT)
			err->code = SETTLE_EX_DATAERR; /* an unknown pod is bad input */
		return -1;
	}
	op = (struct order_pod){pod_id, pod.status, pod.currency, pod.fee, pod.capacity, pod.participants};
	if (order_pod_accepts(&op, err) < 0)
		return -1;
	pay_now(c, now);
	if (breaker_choose(c, pg_forced, now, pg, sizeof pg, err) < 0)
		return -1;
	a.method = pay_method_name(m);
	a.pg = pg;
	return uow_run(c->r.uow, order_tx, &a, err);
}
