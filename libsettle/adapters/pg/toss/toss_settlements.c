/*
 * toss_settlements.c — GET /v1/settlements, page by page, each record
 * read whatever variant Toss sent (toss_settlements.h) and checked by the
 * domain's rule before it is handed out.
 */
#include "adapters/pg/toss/toss_settlements.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http.h"
#include "adapters/json/json_read.h"
#include "adapters/pg/pg_base.h"

#define PAGE_SIZE_MAX 1000 /* a page must fit http.c's 1 MiB answer */
#define PAGES_MAX 100000   /* an answer that never ends is broken, not long */

struct toss_settlements {
	struct pg_settlements_port port;
	struct pg_base base; /* HTTP client and the Authorization header */
	int page_size;
};

/* An optional integer member: 1 and *out when present, 0 when absent or
 * null, -1 when it is not an integer. */
static int opt_int(json_t *o, const char *name, int64_t *out, struct settle_err *err)
{
	json_t *v = json_object_get(o, name);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return err_set(err, SETTLE_EX_DATAERR, "field %s is not an integer", name);
	*out = (int64_t)json_integer_value(v);
	return 1;
}

/* The one of two names the PG used for a field (T10: supplyAmount vs
 * suppliedAmount); both with different values is refused. */
static int either_int(json_t *o, const char *a, const char *b, int64_t *out, struct settle_err *err)
{
	int64_t va = 0, vb = 0;
	int ha = opt_int(o, a, &va, err), hb;

	if (ha < 0 || (hb = opt_int(o, b, &vb, err)) < 0)
		return -1;
	if (ha && hb && va != vb)
		return err_set(err, SETTLE_EX_DATAERR, "%s %lld and %s %lld disagree", a, (long long)va, b, (long long)vb);
	*out = ha ? va : vb;
	return ha || hb;
}

/* fees[] {type, fee} summed, or the scalar fee, or none. */
static int read_fee(json_t *o, int64_t *fee, int *has, struct settle_err *err)
{
	json_t *fees = json_object_get(o, "fees");
	int64_t scalar = 0, sum = 0;
	int hs = opt_int(o, "fee", &scalar, err);

	*has = 0;
	if (hs < 0)
		return -1;
	if (fees && !json_is_null(fees)) {
		size_t i;
		json_t *f;

		if (!json_is_array(fees))
			return err_set(err, SETTLE_EX_DATAERR, "field fees is not an array");
		json_array_foreach(fees, i, f) {
			int64_t one = 0;

			if (!json_is_object(f) || opt_int(f, "fee", &one, err) != 1)
				return err_set(err, SETTLE_EX_DATAERR, "fees[%zu] has no integer fee", i);
			if (__builtin_add_overflow(sum, one, &sum))
				return err_set(err, SETTLE_EX_DATAERR, "fees[] overflow 64 bits");
		}
		if (hs && scalar != sum)
			return err_set(err, SETTLE_EX_DATAERR, "fee %lld is not the sum of fees[] %lld", (long long)scalar,
				       (long long)sum);
		*fee = sum;
		*has = 1;
		return 0;
	}
	*fee = scalar;
	*has = hs;
	return 0;
}

/* "2026-11-24" or "2026-11-24T00:00:00+09:00" → "2026-11-24". */
static int read_date(json_t *o, const char *name, char out[11], struct settle_err *err)
{
	char buf[40];

	if (jread_str(o, name, 1, buf, sizeof buf, err) < 0)
		return -1;
	if (strlen(buf) != 10 && (strlen(buf) < 11 || buf[10] != 'T'))
		return err_set(err, SETTLE_EX_DATAERR, "field %s \"%.40s\" is not a date", name, buf);
	memcpy(out, buf, 10);
	out[10] = '\0';
	return 0;
}

int toss_settlement_parse(json_t *o, struct recon_record *out, struct settle_err *err)
{
	json_t *cancel;
	int64_t supply = 0;
	int has_fee = 0, has_supply, has_payout;

	memset(out, 0, sizeof *out);
	snprintf(out->pg, sizeof out->pg, "toss");
	if (!json_is_object(o))
		return err_set(err, SETTLE_EX_DATAERR, "record is not a JSON object");
	if (jread_str(o, "paymentKey", 1, out->payment_key, sizeof out->payment_key, err) < 0 ||
	    jread_str(o, "transactionKey", 1, out->transaction_key, sizeof out->transaction_key, err) < 0 ||
	    jread_str(o, "orderId", 0, out->order_id, sizeof out->order_id, err) < 0 ||
	    jread_str(o, "currency", 0, out->currency, sizeof out->currency, err) < 0 ||
	    jread_int(o, "amount", -INT64_MAX, INT64_MAX, &out->amount, err) < 0 ||
	    read_fee(o, &out->fee, &has_fee, err) < 0 || (has_supply = either_int(o, "supplyAmount", "suppliedAmount",
										   &supply, err)) < 0 ||
	    opt_int(o, "vat", &out->fee_vat, err) < 0 || (has_payout = opt_int(o, "payOutAmount", &out->payout, err)) < 0 ||
	    read_date(o, "soldDate", out->sold_date, err) < 0 || read_date(o, "paidOutDate", out->paid_out_date, err) < 0)
		return -1;
	if (!has_payout)
		return err_set(err, SETTLE_EX_DATAERR, "field payOutAmount is missing");
	/* No fee field at all: the fee is what the payout lacks. */
	if (!has_fee && __builtin_sub_overflow(out->amount, out->payout, &out->fee))
		return err_set(err, SETTLE_EX_DATAERR, "amount and payOutAmount out of range");
	out->fee_supply = has_supply ? supply : 0;
	if (!out->currency[0])
		snprintf(out->currency, sizeof out->currency, "KRW"); /* Toss settles in won */
	cancel = json_object_get(o, "cancel");
	out->kind = (cancel && !json_is_null(cancel)) || out->amount < 0 ? RECON_CANCEL : RECON_PAYMENT;
	return recon_record_check(out, err);
}

static void ts_destroy(void *self)
{
	struct toss_settlements *t = self;

	if (!t)
		return;
	pg_base_release(&t->base);
	free(t);
}

/* One page: its records handed to fn; *count says how many it held. */
static int page(struct toss_settlements *t, const char *from, const char *to, long pageno, pg_settlement_fn fn,
		void *arg, long *seen, size_t *count, struct settle_err *err)
{
	struct http_response resp = {0};
	const char *headers[] = {t->base.auth_header, NULL};
	char path[160];
	json_t *root = NULL, *rec;
	json_error_t jerr;
	size_t i;
	int rc = -1;

	snprintf(path, sizeof path, "/v1/settlements?startDate=%s&endDate=%s&page=%ld&size=%d", from, to, pageno,
		 t->page_size);
	if (http_request(t->base.http, "GET", path, headers, NULL, &resp) < 0) {
		err_set(err, SETTLE_EX_UNAVAILABLE, "toss settlements: %s", resp.errmsg[0] ? resp.errmsg : "no answer");
		goto out;
	}
	if (resp.status < 200 || resp.status > 299) {
		json_t *e = resp.body ? json_loadb(resp.body, resp.body_len, 0, NULL) : NULL;
		const char *code = json_string_value(json_object_get(e, "code"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		int ex = resp.status == 401 || resp.status == 403 ? SETTLE_EX_CONFIG
			 : resp.status >= 500 || resp.status == 429 ? SETTLE_EX_UNAVAILABLE
								     : SETTLE_EX_DATAERR;

		err_set(err, ex, "toss settlements: HTTP %ld %.64s%s%.200s", resp.status, code ? code : "(no error code)",
			msg ? ": " : "", msg ? msg : "");
		json_decref(e);
		goto out;
	}
	root = resp.body ? json_loadb(resp.body, resp.body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	if (!json_is_array(root)) {
		err_set(err, SETTLE_EX_DATAERR, "toss settlements, page %ld: the answer is not a JSON array", pageno);
		goto out;
	}
	*count = json_array_size(root);
	json_array_foreach(root, i, rec) {
		struct recon_record r;

		++*seen;
		if (toss_settlement_parse(rec, &r, err) < 0) {
			err_prefix(err, "toss settlements API, record %ld (page %ld)", *seen, pageno);
			goto out;
		}
		r.line = *seen;
		if (fn(arg, &r, err) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	http_response_free(&resp);
	return rc;
}

static int ts_list(void *self, const char *from, const char *to, pg_settlement_fn fn, void *arg,
		   struct settle_err *err)
{
	struct toss_settlements *t = self;
	long seen = 0;

	for (long p = 1; p <= PAGES_MAX; p++) {
		size_t count = 0;

		if (page(t, from, to, p, fn, arg, &seen, &count, err) < 0)
			return -1;
		if (count < (size_t)t->page_size)
			return 0;
	}
	return err_set(err, SETTLE_EX_DATAERR, "toss settlements: more than %d pages of %d records", PAGES_MAX,
		       t->page_size);
}

struct pg_settlements_port *toss_settlements_new(const struct toss_settlements_config *cfg, struct settle_err *err)
{
	static const struct pg_port name_only = {.name = "toss"};
	struct toss_settlements *t;

	if (!cfg || !cfg->secret_key || !*cfg->secret_key) {
		err_set(err, SETTLE_EX_CONFIG, "toss: secret key is not set");
		return NULL;
	}
	if (!http_header_value_ok(cfg->secret_key, 256)) {
		err_set(err, SETTLE_EX_CONFIG, "toss: secret key has control characters or is too long");
		return NULL;
	}
	if (cfg->page_size > PAGE_SIZE_MAX) {
		err_set(err, SETTLE_EX_CONFIG, "toss: settlement page size %d is over %d", cfg->page_size, PAGE_SIZE_MAX);
		return NULL;
	}
	t = calloc(1, sizeof *t);
	if (!t) {
		err_set(err, SETTLE_EX_OSERR, "toss: out of memory");
		return NULL;
	}
	if (pg_base_init(&t->base, t, &name_only, cfg->base_url, cfg->connect_timeout_ms,
			 cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000, cfg->secret_key, "", err) < 0) {
		free(t);
		return NULL;
	}
	t->page_size = cfg->page_size > 0 ? cfg->page_size : 100;
	t->port = (struct pg_settlements_port){.self = t, .pg = "toss", .source = "toss settlements API", .is_file = 0,
					       .list = ts_list, .destroy = ts_destroy};
	return &t->port;
}
