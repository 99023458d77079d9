/*
 * control.c — the /_sandbox/ API that tests, the demo and benchmarks use
 * to play the browser (checkout), move time (deposit, expire), arm
 * faults and read counters.
 *
 * Rule: control requests are never counted and never hit by faults, so
 * a test can always see and steer the sandbox.
 *
 *   POST   /_sandbox/checkout  {"pg","orderId","amount","method","currency","orderName"?,"customerName"?}
 *                              → 200 {"paymentKey"} (the NicePay tid for "nicepay"); same orderId → same key;
 *                                a different amount/method for that orderId → 409 CHECKOUT_CONFLICT
 *   POST   /_sandbox/faults    one fault (see faults.h)     → 200 {"armed":N}
 *   GET    /_sandbox/faults    the armed faults             → 200 [...]
 *   DELETE /_sandbox/faults    disarm all                   → 200 {"cleared":true}
 *   POST   /_sandbox/reset     payments, idempotency, participations, counters and faults; pods stay
 *   POST   /_sandbox/deposit   {"orderId","pg"?} WAITING_FOR_DEPOSIT/ready → DONE/paid; else 409 NOT_WAITING_FOR_DEPOSIT
 *   POST   /_sandbox/expire    {"orderId","pg"?} IN_PROGRESS or WAITING_FOR_DEPOSIT → EXPIRED; else 409 NOT_EXPIRABLE
 *   GET    /_sandbox/stats[?orderId=X]  {"confirm":n,"confirm_executed":n, ... for cancel, get, netcancel,
 *                              study_get, study_confirm, payout, payout_get, seller}; "X" is the orderId
 *                              (or podId for study ops, refPayoutId / refSellerId for Toss payouts)
 *   PUT    /_sandbox/pods/{podId}  the pod JSON (participants optional) → 200 the pod
 *   POST   /_sandbox/pods/{podId}/complete {"completedAt"?}  the pod turns COMPLETED (at now unless given,
 *          ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ") and joins the completion log → 200 the pod;
 *          404 POD_NOT_FOUND, 409 ALREADY_COMPLETED, 400 INVALID_REQUEST
 *   GET    /_sandbox/health    → 200 {"ok":true}
 *
 * "requests" counts every request the PG/Study endpoints received for the
 * operation; "_executed" counts those that ran the operation's logic (not an
 * idempotent replay, not an injected http500 or refuse).
 */
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_method(const char *s, enum pay_method *m)
{
	if (!s || !strcmp(s, "CARD"))
		*m = METHOD_CARD;
	else if (!strcmp(s, "TRANSFER"))
		*m = METHOD_TRANSFER;
	else if (!strcmp(s, "VIRTUAL_ACCOUNT"))
		*m = METHOD_VA;
	else
		return -1;
	return 0;
}

/* Toss: 6..64 of [A-Za-z0-9_-] (fact sheet §T2). NicePay: 1..64 of the same
 * (its manual gives only the length; settle makes every order id it sends). */
static int order_id_ok(enum pg_kind pg, const char *s)
{
	return pg == PGK_TOSS ? TOSS_ORDER_ID_OK(s) : NICEPAY_ORDER_ID_OK(s);
}

static void checkout(struct sbx_req *rq, struct sbx_resp *rs, json_t *b)
{
	struct state *st = &rq->sb->st;
	const char *pgs = json_str_field(b, "pg"), *order = json_str_field(b, "orderId");
	const char *cur = json_str_field(b, "currency"), *name = json_str_field(b, "orderName");
	const char *cust = json_str_field(b, "customerName");
	enum pg_kind pg;
	enum pay_method m;
	struct payment *p;
	int64_t amount;

	if (!pgs || (strcmp(pgs, "toss") && strcmp(pgs, "nicepay"))) {
		resp_error(rs, 400, "INVALID_REQUEST", "pg must be toss or nicepay");
		return;
	}
	pg = strcmp(pgs, "toss") ? PGK_NICEPAY : PGK_TOSS;
	if (!order || !order_id_ok(pg, order)) {
		resp_error(rs, 400, "INVALID_REQUEST", "orderId is required (toss: 6..64, nicepay: 1..64 of A-Z a-z 0-9 _ -)");
		return;
	}
	if (json_int_field(b, "amount", &amount) != 1 || amount <= 0) {
		resp_error(rs, 400, "INVALID_REQUEST", "amount must be a positive integer");
		return;
	}
	if (parse_method(json_str_field(b, "method"), &m)) {
		resp_error(rs, 400, "INVALID_REQUEST", "method must be CARD, TRANSFER or VIRTUAL_ACCOUNT");
		return;
	}
	if (cur && strlen(cur) != 3) {
		resp_error(rs, 400, "INVALID_REQUEST", "currency must be a 3-letter code");
		return;
	}
	copy_str(rq->order_id, sizeof rq->order_id, order);
	pthread_mutex_lock(&st->mu);
	p = state_payment_by_order(st, pg, order);
	if (p) {
		if (p->total != amount || p->method != m)
			resp_error(rs, 409, "CHECKOUT_CONFLICT", "orderId %s was checked out with another amount or method", order);
		else
			resp_json(rs, 200, json_pack("{s:s}", "paymentKey", p->key));
		goto out;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		goto out;
	}
	p->pg = pg;
	if (pg == PGK_TOSS) {
		memcpy(p->key, "tsbx_", 5);
		rand_hex(p->key + 5, 24);
	} else {
		memcpy(p->key, "nictest00m", 10);
		rand_digits(p->key + 10, 20);
	}
	copy_str(p->order_id, sizeof p->order_id, order);
	copy_str(p->order_name, sizeof p->order_name, name ? name : "Sandbox order");
	copy_str(p->customer_name, sizeof p->customer_name, cust ? cust : "Sandbox Customer");
	copy_str(p->currency, sizeof p->currency, cur ? cur : "KRW");
	p->method = m;
	p->status = ST_IN_PROGRESS;
	p->total = p->balance = amount;
	time_kst(p->requested_at, sizeof p->requested_at, 0);
	if (state_add_payment(st, p)) {
		free(p);
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		goto out;
	}
	resp_json(rs, 200, json_pack("{s:s}", "paymentKey", p->key));
out:
	pthread_mutex_unlock(&st->mu);
}

/* deposit (expire = 0) or expire (expire = 1) the payment of an orderId. */
static void move(struct sbx_req *rq, struct sbx_resp *rs, json_t *b, int expire)
{
	struct state *st = &rq->sb->st;
	const char *order = json_str_field(b, "orderId"), *pgs = json_str_field(b, "pg");
	struct payment *p = NULL;

	if (!order) {
		resp_error(rs, 400, "INVALID_REQUEST", "orderId is required");
		return;
	}
	copy_str(rq->order_id, sizeof rq->order_id, order);
	pthread_mutex_lock(&st->mu);
	if (!pgs || !strcmp(pgs, "toss"))
		p = state_payment_by_order(st, PGK_TOSS, order);
	if (!p && (!pgs || !strcmp(pgs, "nicepay")))
		p = state_payment_by_order(st, PGK_NICEPAY, order);
	if (!p) {
		resp_error(rs, 404, "NOT_FOUND_PAYMENT", "no payment for orderId %s", order);
	} else if (!expire && p->status != ST_WAITING_FOR_DEPOSIT) {
		resp_error(rs, 409, "NOT_WAITING_FOR_DEPOSIT", "payment of %s is not waiting for a deposit", order);
	} else if (expire && p->status != ST_WAITING_FOR_DEPOSIT && p->status != ST_IN_PROGRESS) {
		resp_error(rs, 409, "NOT_EXPIRABLE", "payment of %s is neither in progress nor waiting for a deposit", order);
	} else {
		if (expire) {
			p->status = ST_EXPIRED;
		} else {
			p->status = ST_DONE;
			time_kst(p->approved_at, sizeof p->approved_at, 0);
			if (p->pg == PGK_TOSS)
				rand_hex(p->last_tx, 32);
		}
		resp_json(rs, 200, json_pack("{s:s, s:s, s:s}", "orderId", p->order_id, "paymentKey", p->key,
					     "status", expire ? "EXPIRED" : "DONE"));
	}
	pthread_mutex_unlock(&st->mu);
}

static void stats(struct sbx_req *rq, struct sbx_resp *rs)
{
	struct state *st = &rq->sb->st;
	const char *order = sbx_query(rq, "orderId");
	struct op_counts zero = {{0}, {0}}, c;
	const struct op_counts *src;
	json_t *o = json_object();
	char k[48];
	int bad = !o;

	pthread_mutex_lock(&st->mu);
	src = order ? smap_get(&st->order_stats, order) : &st->totals;
	c = src ? *src : zero;
	pthread_mutex_unlock(&st->mu);
	if (order && o)
		bad |= json_object_set_new(o, "orderId", json_string(order));
	for (int i = 0; o && i < OP_COUNT; i++) {
		bad |= json_object_set_new(o, op_name((enum sbx_op)i), json_integer(c.requests[i]));
		snprintf(k, sizeof k, "%s_executed", op_name((enum sbx_op)i));
		bad |= json_object_set_new(o, k, json_integer(c.executed[i]));
	}
	if (bad) {
		json_decref(o);
		o = NULL;
	}
	resp_json(rs, 200, o);
}

static void put_pod(struct sbx_req *rq, struct sbx_resp *rs, json_t *b, const char *pod_id)
{
	struct state *st = &rq->sb->st;
	struct pod *p = malloc(sizeof *p);
	char why[200];

	if (!p) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		return;
	}
	if (!*pod_id || strchr(pod_id, '/') || study_pod_from_json(b, pod_id, p, why, sizeof why)) {
		resp_error(rs, 400, "INVALID_REQUEST", "%s", *pod_id ? why : "podId is required");
		free(p);
		return;
	}
	pthread_mutex_lock(&st->mu);
	if (smap_put(&st->pods, p->pod_id, p)) {
		free(p);
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
	} else {
		resp_json(rs, 200, study_pod_json(p));
	}
	pthread_mutex_unlock(&st->mu);
}

void control_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *what = rq->path + strlen("/_sandbox/");
	int post = !strcmp(rq->method, "POST");
	json_t *b = body_object(rq);
	char why[200];

	rq->op = "control";
	if ((post || !strcmp(rq->method, "PUT")) && !b && rq->body_len) {
		resp_error(rs, 400, "INVALID_REQUEST", "the body must be a JSON object");
	} else if (post && !strcmp(what, "checkout")) {
		checkout(rq, rs, b);
	} else if (post && !strcmp(what, "faults")) {
		if (faults_add(&rq->sb->faults, b, why, sizeof why))
			resp_error(rs, 400, "INVALID_REQUEST", "%s", why);
		else
			resp_json(rs, 200, json_pack("{s:b}", "armed", 1));
	} else if (!strcmp(rq->method, "GET") && !strcmp(what, "faults")) {
		resp_json(rs, 200, faults_json(&rq->sb->faults));
	} else if (!strcmp(rq->method, "DELETE") && !strcmp(what, "faults")) {
		faults_clear(&rq->sb->faults);
		resp_json(rs, 200, json_pack("{s:b}", "cleared", 1));
	} else if (post && !strcmp(what, "reset")) {
		pthread_mutex_lock(&rq->sb->st.mu);
		state_reset(&rq->sb->st);
		pthread_mutex_unlock(&rq->sb->st.mu);
		faults_clear(&rq->sb->faults);
		resp_json(rs, 200, json_pack("{s:b}", "reset", 1));
	} else if (post && !strcmp(what, "deposit")) {
		move(rq, rs, b, 0);
	} else if (post && !strcmp(what, "expire")) {
		move(rq, rs, b, 1);
	} else if (!strcmp(rq->method, "GET") && !strcmp(what, "stats")) {
		stats(rq, rs);
	} else if (post && !strncmp(what, "pods/", 5) && strlen(what) > 14 &&
		   !strcmp(what + strlen(what) - 9, "/complete")) {
		char pod[72];
		size_t n = strlen(what + 5) - 9;

		if (n >= sizeof pod) {
			resp_error(rs, 400, "INVALID_REQUEST", "podId is too long");
		} else {
			memcpy(pod, what + 5, n);
			pod[n] = '\0';
			study_complete(rq, rs, b, pod);
		}
	} else if (!strcmp(rq->method, "PUT") && !strncmp(what, "pods/", 5)) {
		put_pod(rq, rs, b, what + 5);
	} else if (!strcmp(rq->method, "GET") && !strcmp(what, "health")) {
		resp_json(rs, 200, json_pack("{s:b}", "ok", 1));
	} else {
		resp_error(rs, 404, "NOT_FOUND", "no such control API: %s %s", rq->method, rq->path);
	}
	json_decref(b);
}
