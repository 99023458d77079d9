/*
 * settlements.c — Toss's settlement lookup in the sandbox
 * (research/pg-apis.md T10): the settlement records of the Toss payments
 * this sandbox approved and cancelled, one record per transaction.
 *
 *   GET /v1/settlements?startDate&endDate[&dateType][&page][&size]
 *       Toss auth as the core API (401 UNAUTHORIZED_KEY, 403
 *       INCORRECT_BASIC_AUTH_FORMAT). startDate and endDate required,
 *       YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (date-only = 00:00:00), start not
 *       after end; dateType soldDate (default) | paidOutDate; page >= 1
 *       (default 1); size 1..5000 (default 100). Anything else → 400
 *       INVALID_REQUEST {code, message}. → 200 a JSON array, the records
 *       whose date (of dateType) is in [startDate's day, endDate's day],
 *       ordered by soldDate, then transactionKey.
 *
 * A record: an approval (amount > 0, cancel null) when the payment was
 * approved, a cancel (amount < 0, cancel {cancelAmount, canceledAt,
 * transactionKey}) per cancel. soldDate is the Korea-time day of the
 * approval or cancel; paidOutDate soldDate + lag days. The fee is
 * feeBps of the amount (rounded down, signed like it; a cancel gives its
 * share back), supply = floor(fee × 10 / 11), vat = fee − supply,
 * payOutAmount = amount − fee. The approval's transactionKey is derived
 * from the paymentKey (the sandbox keeps no other).
 *
 * Field variants (knob "variant", T10's drift): "docs" (default) fees[]
 * {type: BASE, fee} + supplyAmount; "spec" fees[] + suppliedAmount;
 * "live" a scalar fee, no fees[], supplyAmount.
 *
 * Control (never counted, never faulted):
 *   POST /_sandbox/settlements/knobs  {"variant"?, "feeBps"? 0..10000, "lagDays"? 0..30}
 *   POST /_sandbox/settlements/plant  {"kind": "amount", "paymentKey", "delta"} the approval's amount (and
 *                                     payout) off by delta;
 *                                     {"kind": "missing", "paymentKey"} its approval left out;
 *                                     {"kind": "extra", "paymentKey"?, "amount", "soldDate"?} a record of a
 *                                     payment settle never had (key made up unless given), sold today
 *                                     unless given;
 *                                     {"kind": "record", "paymentKey", "transactionKey", "orderId"?, "amount",
 *                                     "soldDate"?} a record as given: the PG's memory of a payment another
 *                                     sandbox process captured (the demo restores it so); an "amount"
 *                                     plant applies to it as to a capture here
 *                                     → 200 {"planted": paymentKey, "transactionKey"}
 *   POST /_sandbox/settlements/reset  knobs and plants forgotten
 * Defaults: variant docs, feeBps 235, lagDays 2.
 */
#include "sandbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PLANTS 64

struct plant {
	char kind[16];
	char payment_key[201];
	char tx[65];
	char order_id[72];
	int64_t delta;    /* amount: the change; extra: the amount */
	char sold[11];
};

static struct {
	pthread_mutex_t mu;
	char variant[8];
	int64_t fee_bps, lag_days;
	struct plant plants[MAX_PLANTS];
	size_t nplants;
} knobs = {.mu = PTHREAD_MUTEX_INITIALIZER, .variant = "docs", .fee_bps = 235, .lag_days = 2};

struct rec {
	char payment_key[201], tx[65], order_id[72], method[16], at[32], cancel_at[32];
	int64_t amount;
	char sold[11], paid[11];
	int is_cancel;
};

struct recs {
	struct rec *v;
	size_t n, cap;
	int failed;
};

static int push(struct recs *r, const struct rec *x)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct rec *g = realloc(r->v, cap * sizeof *g);

		if (!g) {
			r->failed = 1;
			return -1;
		}
		r->v = g;
		r->cap = cap;
	}
	r->v[r->n++] = *x;
	return 0;
}

/* YYYY-MM-DD + days. */
static void add_days(const char *d, long days, char out[11])
{
	struct tm tm = {0};
	time_t t;

	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8) + (int)days;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static const struct plant *planted(const char *kind, const char *key)
{
	for (size_t i = 0; i < knobs.nplants; i++)
		if (!strcmp(knobs.plants[i].kind, kind) && !strcmp(knobs.plants[i].payment_key, key))
			return &knobs.plants[i];
	return NULL;
}

static const char *method_ko(enum pay_method m)
{
	return m == METHOD_TRANSFER ? "계좌이체" : m == METHOD_VA ? "가상계좌" : "카드";
}

static int gather(const char *key, void *value, void *arg)
{
	const struct payment *p = value;
	struct recs *r = arg;
	struct rec x;
	const struct plant *pl;
	char hex[65];

	(void)key;
	if (p->pg != PGK_TOSS || !p->approved_at[0])
		return 0;
	memset(&x, 0, sizeof x);
	copy_str(x.payment_key, sizeof x.payment_key, p->key);
	copy_str(x.order_id, sizeof x.order_id, p->order_id);
	copy_str(x.method, sizeof x.method, method_ko(p->method));
	copy_str(x.at, sizeof x.at, p->approved_at);
	if (!planted("missing", p->key)) {
		sha256_hex(p->key, hex);
		snprintf(x.tx, sizeof x.tx, "txa%.29s", hex);
		pl = planted("amount", p->key);
		x.amount = p->total + (pl ? pl->delta : 0);
		snprintf(x.sold, sizeof x.sold, "%.10s", p->approved_at);
		add_days(x.sold, (long)knobs.lag_days, x.paid);
		if (push(r, &x))
			return 1;
	}
	for (size_t i = 0; i < p->ncancels; i++) {
		const struct cancel_rec *c = &p->cancels[i];

		copy_str(x.tx, sizeof x.tx, c->tx);
		copy_str(x.cancel_at, sizeof x.cancel_at, c->at);
		x.amount = -c->amount;
		x.is_cancel = 1;
		snprintf(x.sold, sizeof x.sold, "%.10s", c->at);
		add_days(x.sold, (long)knobs.lag_days, x.paid);
		if (push(r, &x))
			return 1;
	}
	return 0;
}

static int by_sold(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = strcmp(x->sold, y->sold);

	return c ? c : strcmp(x->tx, y->tx);
}

static json_t *rec_json(const struct rec *x)
{
	int64_t mag = x->amount < 0 ? -x->amount : x->amount;
	int64_t fee = mag * knobs.fee_bps / 10000, supply = fee * 10 / 11, vat = fee - supply;
	int sign = x->amount < 0 ? -1 : 1;
	json_t *o;

	fee *= sign;
	supply *= sign;
	vat *= sign;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:I, s:I, s:s, s:s, s:s}", "mId", "tsbxmid",
		      "paymentKey", x->payment_key, "transactionKey", x->tx, "orderId", x->order_id, "currency", "KRW",
		      "method", x->method, "amount", (json_int_t)x->amount, "interestFee", 0, "vat", (json_int_t)vat,
		      "payOutAmount", (json_int_t)(x->amount - fee), "approvedAt", x->at, "soldDate", x->sold,
		      "paidOutDate", x->paid);
	if (!o)
		return NULL;
	if (strcmp(knobs.variant, "live"))
		json_object_set_new(o, "fees", json_pack("[{s:s, s:I}]", "type", "BASE", "fee", (json_int_t)fee));
	else
		json_object_set_new(o, "fee", json_integer(fee));
	json_object_set_new(o, strcmp(knobs.variant, "spec") ? "supplyAmount" : "suppliedAmount", json_integer(supply));
	json_object_set_new(o, "cancel",
			    x->is_cancel ? json_pack("{s:I, s:s, s:s}", "cancelAmount", (json_int_t)-x->amount,
						     "canceledAt", x->cancel_at, "transactionKey", x->tx)
					 : json_null());
	return o;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS": 0 and the day, else -1. */
static int param_date(const char *v, char out[11])
{
	struct tm tm = {0};
	const char *end;

	if (!v)
		return -1;
	end = strptime(v, "%Y-%m-%d", &tm);
	if (!end || end != v + 10)
		return -1;
	if (*end && (!(end = strptime(end, "T%H:%M:%S", &tm)) || *end))
		return -1;
	/* strptime accepts 02-30: a round trip through timegm catches it. */
	{
		struct tm t2 = tm;
		time_t t = timegm(&t2);

		gmtime_r(&t, &t2);
		if (t2.tm_mday != tm.tm_mday || t2.tm_mon != tm.tm_mon)
			return -1;
	}
	snprintf(out, 11, "%.10s", v);
	return 0;
}

static int param_int(const char *v, long lo, long hi, long dflt, long *out)
{
	char *end;
	long n;

	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
		return -1;
	n = strtol(v, &end, 10);
	if (n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

void settlements_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	struct state *st = &rq->sb->st;
	const char *type = sbx_query(rq, "dateType");
	char user[256], from[11], to[11];
	struct recs r = {0};
	json_t *arr;
	long page, size;
	int paid;

	rq->op = "settlements";
	if (toss_auth(rq, rs, user, sizeof user))
		return;
	if (strcmp(rq->path, "/v1/settlements") || strcmp(rq->method, "GET")) {
		resp_error(rs, 404, "NOT_FOUND", "no such Toss API: %s %s", rq->method, rq->path);
		return;
	}
	if (param_date(sbx_query(rq, "startDate"), from) || param_date(sbx_query(rq, "endDate"), to)) {
		resp_error(rs, 400, "INVALID_REQUEST", "startDate and endDate are required (ISO 8601: yyyy-MM-dd)");
		return;
	}
	if (strcmp(from, to) > 0) {
		resp_error(rs, 400, "INVALID_REQUEST", "startDate must not be after endDate");
		return;
	}
	if (type && strcmp(type, "soldDate") && strcmp(type, "paidOutDate")) {
		resp_error(rs, 400, "INVALID_REQUEST", "dateType must be soldDate or paidOutDate");
		return;
	}
	paid = type && !strcmp(type, "paidOutDate");
	if (param_int(sbx_query(rq, "page"), 1, 1000000, 1, &page) ||
	    param_int(sbx_query(rq, "size"), 1, 5000, 100, &size)) {
		resp_error(rs, 400, "INVALID_REQUEST", "page must be >= 1 and size 1..5000");
		return;
	}
	pthread_mutex_lock(&knobs.mu);
	pthread_mutex_lock(&st->mu);
	smap_each(&st->by_key, gather, &r);
	pthread_mutex_unlock(&st->mu);
	for (size_t i = 0; i < knobs.nplants && !r.failed; i++) {
		const struct plant *pl = &knobs.plants[i];
		struct rec x = {0};

		const struct plant *changed;

		if (strcmp(pl->kind, "extra") && strcmp(pl->kind, "record"))
			continue;
		copy_str(x.payment_key, sizeof x.payment_key, pl->payment_key);
		copy_str(x.tx, sizeof x.tx, pl->tx);
		copy_str(x.order_id, sizeof x.order_id, pl->order_id[0] ? pl->order_id : "sbx-extra-order");
		copy_str(x.method, sizeof x.method, "카드");
		x.amount = pl->delta;
		if (!strcmp(pl->kind, "record") && pl->delta > 0 && (changed = planted("amount", pl->payment_key)))
			x.amount += changed->delta;
		x.is_cancel = pl->delta < 0;
		copy_str(x.sold, sizeof x.sold, pl->sold);
		snprintf(x.at, sizeof x.at, "%sT12:00:00+09:00", pl->sold);
		copy_str(x.cancel_at, sizeof x.cancel_at, x.at);
		add_days(x.sold, (long)knobs.lag_days, x.paid);
		push(&r, &x);
	}
	if (r.failed) {
		pthread_mutex_unlock(&knobs.mu);
		free(r.v);
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		return;
	}
	if (r.n)
		qsort(r.v, r.n, sizeof *r.v, by_sold);
	arr = json_array();
	{
		long skip = (page - 1) * size, taken = 0;

		for (size_t i = 0; arr && i < r.n && taken < size; i++) {
			const char *d = paid ? r.v[i].paid : r.v[i].sold;

			if (strcmp(d, from) < 0 || strcmp(d, to) > 0)
				continue;
			if (skip > 0) {
				skip--;
				continue;
			}
			if (json_array_append_new(arr, rec_json(&r.v[i])) < 0) {
				json_decref(arr);
				arr = NULL;
			}
			taken++;
		}
	}
	pthread_mutex_unlock(&knobs.mu);
	free(r.v);
	resp_json(rs, 200, arr);
}

void settlements_control(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *what = rq->path + strlen("/_sandbox/settlements/");
	json_t *b = body_object(rq);

	if (strcmp(rq->method, "POST")) {
		resp_error(rs, 404, "NOT_FOUND", "no such control API: %s %s", rq->method, rq->path);
		json_decref(b);
		return;
	}
	pthread_mutex_lock(&knobs.mu);
	if (!strcmp(what, "reset")) {
		snprintf(knobs.variant, sizeof knobs.variant, "docs");
		knobs.fee_bps = 235;
		knobs.lag_days = 2;
		knobs.nplants = 0;
		resp_json(rs, 200, json_pack("{s:b}", "reset", 1));
	} else if (!strcmp(what, "knobs") && b) {
		const char *v = json_str_field(b, "variant");
		int64_t bps = knobs.fee_bps, lag = knobs.lag_days;

		if ((v && strcmp(v, "docs") && strcmp(v, "spec") && strcmp(v, "live")) ||
		    json_int_field(b, "feeBps", &bps) < 0 || bps < 0 || bps > 10000 ||
		    json_int_field(b, "lagDays", &lag) < 0 || lag < 0 || lag > 30) {
			resp_error(rs, 400, "INVALID_REQUEST", "variant docs|spec|live, feeBps 0..10000, lagDays 0..30");
		} else {
			if (v)
				snprintf(knobs.variant, sizeof knobs.variant, "%s", v);
			knobs.fee_bps = bps;
			knobs.lag_days = lag;
			resp_json(rs, 200, json_pack("{s:s, s:I, s:I}", "variant", knobs.variant, "feeBps",
						     (json_int_t)knobs.fee_bps, "lagDays", (json_int_t)knobs.lag_days));
		}
	} else if (!strcmp(what, "plant") && b) {
		const char *kind = json_str_field(b, "kind"), *key = json_str_field(b, "paymentKey");
		const char *sold = json_str_field(b, "soldDate"), *tx = json_str_field(b, "transactionKey");
		const char *order = json_str_field(b, "orderId");
		int is_record = kind && !strcmp(kind, "record");
		struct plant pl = {0};
		int64_t n = 0;
		int has_n = json_int_field(b, kind && (!strcmp(kind, "extra") || is_record) ? "amount" : "delta", &n);
		char day[11];

		if (!kind || (strcmp(kind, "amount") && strcmp(kind, "missing") && strcmp(kind, "extra") && !is_record) ||
		    (is_record && (!key || !tx || !sbx_id_ok(tx, 1, 64, "_-"))) || (order && !TOSS_ORDER_ID_OK(order)) ||
		    knobs.nplants == MAX_PLANTS || (strcmp(kind, "extra") && (!key || !TOSS_PAYMENT_KEY_OK(key))) ||
		    (key && !TOSS_PAYMENT_KEY_OK(key)) || (!strcmp(kind, "missing") ? 0 : has_n != 1 || n == 0) ||
		    (sold && param_date(sold, day))) {
			resp_error(rs, 400, "INVALID_REQUEST",
				   "kind amount {paymentKey, delta} | missing {paymentKey} | extra {amount, paymentKey?, "
				   "soldDate?} | record {paymentKey, transactionKey, amount, orderId?, soldDate?}");
		} else {
			copy_str(pl.kind, sizeof pl.kind, kind);
			pl.delta = n;
			if (key) {
				copy_str(pl.payment_key, sizeof pl.payment_key, key);
			} else {
				memcpy(pl.payment_key, "sbxextra", 8);
				rand_hex(pl.payment_key + 8, 24);
			}
			if (is_record) {
				copy_str(pl.tx, sizeof pl.tx, tx);
			} else {
				memcpy(pl.tx, "txe", 3);
				rand_hex(pl.tx + 3, 29);
			}
			if (order)
				copy_str(pl.order_id, sizeof pl.order_id, order);
			if (sold)
				copy_str(pl.sold, sizeof pl.sold, sold);
			else {
				char now[40];

				time_kst(now, sizeof now, 0);
				snprintf(pl.sold, sizeof pl.sold, "%.10s", now);
			}
			knobs.plants[knobs.nplants++] = pl;
			resp_json(rs, 200, json_pack("{s:s, s:s}", "planted", pl.payment_key, "transactionKey", pl.tx));
		}
	} else {
		resp_error(rs, b ? 404 : 400, b ? "NOT_FOUND" : "INVALID_REQUEST", "no such control API, or no JSON body: %s",
			   rq->path);
	}
	pthread_mutex_unlock(&knobs.mu);
	json_decref(b);
}
