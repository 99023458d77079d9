/*
 * nicepay.c — NicePay's JSON API (start.nicepay.co.kr; fact sheet §N1-N5):
 * approve, get by tid, find by orderId, cancel, net-cancel.
 *
 * Rule: business outcomes are HTTP 200 with a resultCode; only auth
 * (401) and injected failures (500) use other statuses.
 *
 * Choices the adapter team relies on:
 *   - Auth: Basic base64(clientId:secretKey). Any clientId; the secret must
 *     equal --nicepay-secret-file (default "sandbox-nicepay-secret"), else
 *     HTTP 401 {"resultCode":"U104","resultMsg":...}.
 *   - Not found: GET /v1/payments/{tid}, GET /v1/payments/find/{orderId} and
 *     net-cancel with nothing approved → HTTP 200, resultCode "A118"
 *     (조회 결과 없음). Approve or cancel of an unknown tid → "A115" (the tid
 *     names nothing); approve of a failed/expired tid → "A115" too.
 *   - Approve: signData, when sent, must be hex(sha256(tid + amount + ediDate
 *     + secretKey)) over the request's values, else "A101"; amount ≠ the
 *     checkout amount → "A116"; already approved → "2201". Success "0000".
 *   - Cancel: reason and orderId required, else "2003"; signData, when sent,
 *     hex(sha256(tid + ediDate + secretKey)) else "A101"; fully cancelled →
 *     "2013"; an orderId already used by a cancel of this tid → "2156";
 *     cancelAmt ≤ 0 or > balanceAmt → "2032"; not approved, or a partial
 *     cancel of an unpaid virtual account → "2003". Success "2001".
 *   - Net-cancel: signData, when sent, hex(sha256(orderId + ediDate +
 *     secretKey)); cancels what remains of the approved payment, "2001";
 *     already fully cancelled → "2013".
 *   - Status names: an authenticated but not yet approved tid reads as
 *     "ready" with vbank null and paidAt "0"; an issued virtual account is
 *     "ready" with vbank set; refused → "failed"; then "paid",
 *     "partialCancelled", "cancelled", "expired".
 *   - The response signature is hex(sha256(tid + amount + ediDate +
 *     secretKey)) with amount = the original amount and ediDate = the
 *     response's ediDate. The sandbox writes lowercase hex and accepts
 *     signData in either case (the manual does not fix the case).
 *   - find/{orderId} accepts orderDate but does not check it.
 *   - Injected refusals default to resultCode "3011" (approve) or "2003".
 */
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *status_name(const struct payment *p)
{
	switch (p->status) {
	case ST_IN_PROGRESS:
	case ST_WAITING_FOR_DEPOSIT: return "ready";
	case ST_DONE: return "paid";
	case ST_CANCELED: return "cancelled";
	case ST_PARTIAL_CANCELED: return "partialCancelled";
	case ST_ABORTED: return "failed";
	case ST_EXPIRED: return "expired";
	}
	return "ready";
}

static const char *pay_method(enum pay_method m)
{
	switch (m) {
	case METHOD_TRANSFER: return "bank";
	case METHOD_VA: return "vbank";
	default: return "card";
	}
}

static const char *or_zero(const char *s)
{
	return s[0] ? s : "0";
}

static void new_tid(char out[48])
{
	memcpy(out, "nictest00m", 10);
	rand_digits(out + 10, 20);
}

static void result(struct sbx_resp *rs, const char *code, const char *msg, const struct payment *p)
{
	resp_json(rs, 200, json_pack("{s:s, s:s, s:s?, s:s?}", "resultCode", code, "resultMsg", msg,
				     "tid", p ? p->key : NULL, "orderId", p ? p->order_id : NULL));
}

static json_t *payment_json(const struct payment *p, const char *secret, const char *code, const char *msg)
{
	char edi[32], amt[32], sig[65], *buf;
	const struct cancel_rec *last = p->ncancels ? &p->cancels[p->ncancels - 1] : NULL;
	json_t *o, *cancels = json_array(), *card = json_null(), *vbank = json_null(), *bank = json_null();
	int bad = 0;
	size_t blen;

	time_kst(edi, sizeof edi, 0);
	snprintf(amt, sizeof amt, "%lld", (long long)p->total);
	blen = strlen(p->key) + strlen(amt) + strlen(edi) + strlen(secret) + 1;
	buf = malloc(blen);
	if (!buf || !cancels) {
		free(buf);
		json_decref(cancels);
		return NULL;
	}
	snprintf(buf, blen, "%s%s%s%s", p->key, amt, edi, secret);
	sha256_hex(buf, sig);
	free(buf);

	for (size_t i = 0; i < p->ncancels; i++) {
		const struct cancel_rec *c = &p->cancels[i];

		bad |= json_array_append_new(cancels,
			json_pack("{s:s, s:I, s:s, s:s, s:n, s:i}", "tid", c->tx, "amount", (json_int_t)c->amount,
				  "cancelledAt", c->at, "reason", c->reason, "receiptUrl", "couponAmt", 0));
	}
	/* The approve answer has the same shape whatever its result: a card
	 * refused after authentication still carries its (truncated) card. */
	if (p->method == METHOD_CARD && (p->approved_at[0] || p->failed_at[0]))
		card = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:s, s:s}",
				 "cardCode", "04", "cardName", "삼성", "cardNum",
				 p->card_number[0] ? p->card_number : "536112******1234",
				 "cardQuota", "0", "isInterestFree", 0, "cardType", "credit",
				 "canPartCancel", 1, "acquCardCode", "04", "acquCardName", "삼성");
	else if (p->method == METHOD_TRANSFER && p->approved_at[0])
		bank = json_pack("{s:s, s:s}", "bankCode", "088", "bankName", "신한");
	else if (p->method == METHOD_VA && p->va_number[0])
		vbank = json_pack("{s:s, s:s, s:s, s:s, s:s}", "vbankCode", "088", "vbankName", "신한",
				  "vbankNumber", p->va_number, "vbankExpDate", p->va_due,
				  "vbankHolder", p->customer_name);

	o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}",
		      "resultCode", code, "resultMsg", msg, "tid", p->key,
		      "cancelledTid", last ? last->tx : NULL, "orderId", p->order_id,
		      "ediDate", edi, "signature", sig, "status", status_name(p),
		      "paidAt", or_zero(p->approved_at), "failedAt", or_zero(p->failed_at),
		      "cancelledAt", last ? last->at : "0", "payMethod", pay_method(p->method),
		      "amount", (json_int_t)p->total, "balanceAmt", (json_int_t)p->balance,
		      "goodsName", p->order_name);
	if (!o) {
		json_decref(cancels);
		json_decref(card);
		json_decref(vbank);
		json_decref(bank);
		return NULL;
	}
	bad |= json_object_set_new(o, "mallReserved", json_null());
	bad |= json_object_set_new(o, "useEscrow", json_false());
	bad |= json_object_set_new(o, "currency", json_string(p->currency));
	bad |= json_object_set_new(o, "channel", json_string("pc"));
	bad |= json_object_set_new(o, "approveNo", json_string(p->approve_no));
	bad |= json_object_set_new(o, "buyerName", json_null());
	bad |= json_object_set_new(o, "buyerTel", json_null());
	bad |= json_object_set_new(o, "buyerEmail", json_null());
	bad |= json_object_set_new(o, "receiptUrl", json_null());
	bad |= json_object_set_new(o, "mallUserId", json_null());
	bad |= json_object_set_new(o, "issuedCashReceipt", json_false());
	bad |= json_object_set_new(o, "coupon", json_null());
	bad |= json_object_set_new(o, "card", card);
	bad |= json_object_set_new(o, "vbank", vbank);
	bad |= json_object_set_new(o, "bank", bank);
	bad |= json_object_set_new(o, "cashReceipts", json_null());
	bad |= json_object_set_new(o, "cancels", cancels);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* hex(sha256(a + b + c + secret)) == given. */
static int sign_ok(const char *given, const char *a, const char *b, const char *c, const char *secret)
{
	char want[65], *buf;
	size_t len = strlen(a) + strlen(b) + strlen(c) + strlen(secret) + 1;
	int ok;

	buf = malloc(len);
	if (!buf)
		return 0;
	snprintf(buf, len, "%s%s%s%s", a, b, c, secret);
	sha256_hex(buf, want);
	free(buf);
	ok = strlen(given) == 64 && !strncasecmp(given, want, 64);
	return ok;
}

static void internal_error(struct sbx_resp *rs)
{
	resp_json(rs, 500, json_pack("{s:s, s:s, s:s, s:s}", "code", "FAILED_INTERNAL_SYSTEM_PROCESSING",
				     "message", "sandbox: injected internal error",
				     "resultCode", "9999", "resultMsg", "시스템 오류"));
}

/* Takes a fault for op. Returns 1 when rs is final (http500 or refuse). */
static int fault_gate(struct sbx_req *rq, struct sbx_resp *rs, enum sbx_op op, struct payment *p)
{
	struct fault f;

	state_count(&rq->sb->st, op, rq->order_id, 0);
	if (!faults_take(&rq->sb->faults, op, rq->order_id, NULL, &f))
		return 0;
	if (f.kind == FAULT_HTTP500) {
		internal_error(rs);
		return 1;
	}
	if (f.kind == FAULT_REFUSE) {
		if (op == OP_CONFIRM && p && p->status == ST_IN_PROGRESS) {
			p->status = ST_ABORTED;
			time_kst(p->failed_at, sizeof p->failed_at, 0);
			copy_str(p->failure_code, sizeof p->failure_code, f.code[0] ? f.code : "3011");
		}
		if (f.status && f.status != 200)
			resp_json(rs, f.status, json_pack("{s:s, s:s}", "resultCode", f.code[0] ? f.code : "9999",
							  "resultMsg", f.message[0] ? f.message : "refused"));
		else if (op == OP_CONFIRM && p && p->status == ST_ABORTED)
			/* A refused approve answers in the approve's shape
			 * (status "failed", failedAt, the card as authenticated). */
			resp_json(rs, 200, payment_json(p, rq->sb->cfg.nicepay_secret, f.code[0] ? f.code : "3011",
							f.message[0] ? f.message : "카드사 거절"));
		else
			result(rs, f.code[0] ? f.code : op == OP_CONFIRM ? "3011" : "2003",
			       f.message[0] ? f.message : "카드사 거절", p);
		return 1;
	}
	rs->fault = f.kind;
	rs->delay_ms = f.delay_ms;
	return 0;
}

static void do_approve(struct sbx_req *rq, struct sbx_resp *rs, const char *tid)
{
	struct state *st = &rq->sb->st;
	const char *secret = rq->sb->cfg.nicepay_secret;
	json_t *body = body_object(rq);
	const char *edi = json_str_field(body, "ediDate");
	const char *sign = json_str_field(body, "signData");
	struct payment *p;
	int64_t amount = 0;
	int has_amount = json_int_field(body, "amount", &amount);
	char amt[32];

	rq->op = "confirm";
	pthread_mutex_lock(&st->mu);
	p = state_payment_by_key(st, PGK_NICEPAY, tid);
	copy_str(rq->order_id, sizeof rq->order_id, p ? p->order_id : "");
	if (fault_gate(rq, rs, OP_CONFIRM, p))
		goto out;
	state_count(st, OP_CONFIRM, rq->order_id, 1);
	snprintf(amt, sizeof amt, "%lld", (long long)amount);
	if (has_amount != 1) {
		result(rs, "A116", "amount (integer) is required", p);
	} else if (sign && !sign_ok(sign, tid, amt, edi ? edi : "", secret)) {
		result(rs, "A101", "signData 검증 실패: hex(sha256(tid + amount + ediDate + secretKey))", p);
	} else if (!p) {
		result(rs, "A115", "유효하지 않은 TID 입니다.", NULL);
	} else if (amount != p->total) {
		result(rs, "A116", "거래 금액 불일치", p);
	} else if (p->status == ST_ABORTED || p->status == ST_EXPIRED) {
		result(rs, "A115", "승인할 수 없는 거래입니다 (failed or expired).", p);
	} else if (p->status != ST_IN_PROGRESS) {
		result(rs, "2201", "기승인존재", p);
	} else {
		time_kst(p->issued_at, sizeof p->issued_at, 0);
		rand_digits(p->approve_no, 8);
		if (p->method == METHOD_VA) {
			p->status = ST_WAITING_FOR_DEPOSIT;
			rand_digits(p->va_number, 14);
			time_kst(p->va_due, sizeof p->va_due, 7L * 24 * 3600);
		} else {
			p->status = ST_DONE;
			copy_str(p->approved_at, sizeof p->approved_at, p->issued_at);
			if (rs->fault == FAULT_FULL_CARD)
				copy_str(p->card_number, sizeof p->card_number, "5361123456781234");
		}
		resp_json(rs, 200, payment_json(p, secret, "0000", "정상 처리되었습니다."));
	}
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(body);
}

/* Cancels amount of p (0 = all that remains); answers 2001 with the payment. */
static void apply_cancel(struct sbx_req *rq, struct sbx_resp *rs, struct payment *p, int64_t amount,
			 const char *reason, const char *cancel_order)
{
	struct cancel_rec c = {0};

	c.amount = amount ? amount : p->balance;
	c.refundable = p->balance - c.amount;
	copy_str(c.reason, sizeof c.reason, reason);
	copy_str(c.cancel_order_id, sizeof c.cancel_order_id, cancel_order);
	time_kst(c.at, sizeof c.at, 0);
	new_tid(c.tx);
	if (payment_add_cancel(p, &c)) {
		internal_error(rs);
		return;
	}
	p->balance = c.refundable;
	p->status = p->balance ? ST_PARTIAL_CANCELED : ST_CANCELED;
	copy_str(p->last_tx, sizeof p->last_tx, c.tx);
	resp_json(rs, 200, payment_json(p, rq->sb->cfg.nicepay_secret, "2001", "취소 성공"));
}

static void do_cancel(struct sbx_req *rq, struct sbx_resp *rs, const char *tid)
{
	struct state *st = &rq->sb->st;
	const char *secret = rq->sb->cfg.nicepay_secret;
	json_t *body = body_object(rq);
	const char *reason = json_str_field(body, "reason");
	const char *corder = json_str_field(body, "orderId");
	const char *edi = json_str_field(body, "ediDate");
	const char *sign = json_str_field(body, "signData");
	struct payment *p;
	int64_t amount = 0;
	int has_amount = json_int_field(body, "cancelAmt", &amount), dup = 0;

	rq->op = "cancel";
	pthread_mutex_lock(&st->mu);
	p = state_payment_by_key(st, PGK_NICEPAY, tid);
	copy_str(rq->order_id, sizeof rq->order_id, p ? p->order_id : corder ? corder : "");
	if (fault_gate(rq, rs, OP_CANCEL, p))
		goto out;
	state_count(st, OP_CANCEL, rq->order_id, 1);
	for (size_t i = 0; p && corder && i < p->ncancels; i++)
		dup |= !strcmp(p->cancels[i].cancel_order_id, corder);
	if (!reason || !*reason || !corder || !NICEPAY_ORDER_ID_OK(corder) || has_amount < 0 || strlen(reason) > 100) {
		result(rs, "2003", "reason (at most 100 bytes) and orderId (1..64 of A-Z a-z 0-9 _ -) are required; "
			   "cancelAmt must be an integer", p);
	} else if (sign && !sign_ok(sign, tid, edi ? edi : "", "", secret)) {
		result(rs, "A101", "signData 검증 실패: hex(sha256(tid + ediDate + secretKey))", p);
	} else if (!p) {
		result(rs, "A115", "유효하지 않은 TID 입니다.", NULL);
	} else if (p->status == ST_CANCELED) {
		result(rs, "2013", "기취소 거래", p);
	} else if (p->status != ST_DONE && p->status != ST_PARTIAL_CANCELED &&
		   p->status != ST_WAITING_FOR_DEPOSIT) {
		result(rs, "2003", "취소할 수 없는 거래 (not approved)", p);
	} else if (dup) {
		result(rs, "2156", "중복 요청 (orderId already used by a cancel of this tid)", p);
	} else if (has_amount && (amount <= 0 || amount > p->balance)) {
		result(rs, "2032", "취소금액이 취소가능금액보다 큼", p);
	} else if (p->status == ST_WAITING_FOR_DEPOSIT && has_amount && amount != p->balance) {
		result(rs, "2003", "입금 전 가상계좌는 부분취소할 수 없습니다.", p);
	} else {
		apply_cancel(rq, rs, p, has_amount ? amount : 0, reason, corder);
	}
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(body);
}

static void do_netcancel(struct sbx_req *rq, struct sbx_resp *rs)
{
	struct state *st = &rq->sb->st;
	json_t *body = body_object(rq);
	const char *order = json_str_field(body, "orderId");
	const char *edi = json_str_field(body, "ediDate");
	const char *sign = json_str_field(body, "signData");
	struct payment *p;

	rq->op = "netcancel";
	pthread_mutex_lock(&st->mu);
	p = order ? state_payment_by_order(st, PGK_NICEPAY, order) : NULL;
	copy_str(rq->order_id, sizeof rq->order_id, order ? order : "");
	if (fault_gate(rq, rs, OP_NETCANCEL, p))
		goto out;
	state_count(st, OP_NETCANCEL, rq->order_id, 1);
	if (!order || !NICEPAY_ORDER_ID_OK(order)) {
		result(rs, "2003", "orderId (1..64 of A-Z a-z 0-9 _ -) is required", NULL);
	} else if (sign && !sign_ok(sign, order, edi ? edi : "", "", rq->sb->cfg.nicepay_secret)) {
		result(rs, "A101", "signData 검증 실패: hex(sha256(orderId + ediDate + secretKey))", p);
	} else if (p && p->status == ST_CANCELED) {
		result(rs, "2013", "기취소 거래", p);
	} else if (!p || (p->status != ST_DONE && p->status != ST_PARTIAL_CANCELED &&
			  p->status != ST_WAITING_FOR_DEPOSIT)) {
		result(rs, "A118", "조회 결과 없음 (no approved payment for this orderId)", p);
	} else {
		apply_cancel(rq, rs, p, 0, "netcancel", order);
	}
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(body);
}

static void do_get(struct sbx_req *rq, struct sbx_resp *rs, const char *tid, const char *order)
{
	struct state *st = &rq->sb->st;
	struct payment *p;

	rq->op = "get";
	pthread_mutex_lock(&st->mu);
	p = tid ? state_payment_by_key(st, PGK_NICEPAY, tid) : state_payment_by_order(st, PGK_NICEPAY, order);
	copy_str(rq->order_id, sizeof rq->order_id, p ? p->order_id : order ? order : "");
	if (fault_gate(rq, rs, OP_GET, p))
		goto out;
	state_count(st, OP_GET, rq->order_id, 1);
	if (!p)
		result(rs, "A118", "조회 결과 없음", NULL);
	else
		resp_json(rs, 200, payment_json(p, rq->sb->cfg.nicepay_secret, "0000", "정상 처리되었습니다."));
out:
	pthread_mutex_unlock(&st->mu);
}

void nicepay_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *rest;
	char user[256], pass[256], seg[256];
	size_t n;

	if (basic_auth(sbx_header(rq, "Authorization"), user, sizeof user, pass, sizeof pass) ||
	    strcmp(pass, rq->sb->cfg.nicepay_secret)) {
		resp_json(rs, 401, json_pack("{s:s, s:s}", "resultCode", "U104",
					     "resultMsg", "인증 실패: Basic base64(clientId:secretKey) required"));
		return;
	}
	if (strncmp(rq->path, "/v1/payments/", 13))
		goto nf;
	rest = rq->path + 13;
	if (!strcmp(rest, "netcancel") && !strcmp(rq->method, "POST")) {
		do_netcancel(rq, rs);
		return;
	}
	if (!strncmp(rest, "find/", 5) && !strcmp(rq->method, "GET")) {
		/* No order has such an id, so NicePay finds nothing. */
		if (!NICEPAY_ORDER_ID_OK(rest + 5)) {
			result(rs, "A118", "조회 결과 없음 (orderId must be 1..64 of A-Z a-z 0-9 _ -)", NULL);
			return;
		}
		do_get(rq, rs, NULL, rest + 5);
		return;
	}
	n = strcspn(rest, "/");
	if (n == 0 || n >= sizeof seg)
		goto nf;
	memcpy(seg, rest, n);
	seg[n] = '\0';
	/* The path arrives percent-decoded; a tid is 30 of [A-Za-z0-9], and
	 * one that held "/" (sent as %2F) is a bad tid, not another endpoint. */
	if (!NICEPAY_TID_OK(seg)) {
		result(rs, "A115", "유효하지 않은 TID (a tid is 30 of A-Z a-z 0-9)", NULL);
		return;
	}
	if (!rest[n] && !strcmp(rq->method, "GET")) {
		do_get(rq, rs, seg, NULL);
		return;
	}
	if (!rest[n] && !strcmp(rq->method, "POST")) {
		do_approve(rq, rs, seg);
		return;
	}
	if (!strcmp(rest + n, "/cancel") && !strcmp(rq->method, "POST")) {
		do_cancel(rq, rs, seg);
		return;
	}
nf:
	resp_json(rs, 404, json_pack("{s:s, s:s}", "resultCode", "9999", "resultMsg", "no such NicePay API"));
}
