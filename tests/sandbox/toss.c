/*
 * toss.c — Toss Payments core API, as docs.tosspayments.com describes it
 * (see /work/shared/research/pg-apis.md §T1-T6): confirm, get by key,
 * get by orderId, cancel; errors as HTTP status + {"code","message"}.
 *
 * Rule: a request carrying an Idempotency-Key is executed at most once
 * per (secret key, method, path, Idempotency-Key); every repeat gets the
 * stored status and the stored bytes. Injected http500 answers are not
 * stored (nothing was executed); refusals are (the PG decided).
 *
 * Auth choices, from the fact sheet: no Authorization header or a key
 * without the test prefix or a non-empty password → 401 UNAUTHORIZED_KEY;
 * a header that is not "Basic base64(key:)" → 403 INCORRECT_BASIC_AUTH_FORMAT.
 */
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *method_ko(enum pay_method m)
{
	switch (m) {
	case METHOD_TRANSFER: return "계좌이체";
	case METHOD_VA: return "가상계좌";
	default: return "카드";
	}
}

static const char *status_name(enum pay_status s)
{
	switch (s) {
	case ST_IN_PROGRESS: return "IN_PROGRESS";
	case ST_WAITING_FOR_DEPOSIT: return "WAITING_FOR_DEPOSIT";
	case ST_DONE: return "DONE";
	case ST_CANCELED: return "CANCELED";
	case ST_PARTIAL_CANCELED: return "PARTIAL_CANCELED";
	case ST_ABORTED: return "ABORTED";
	case ST_EXPIRED: return "EXPIRED";
	}
	return "READY";
}

/* Sets key to v; v may be NULL (a failed constructor), which fails the set. */
static int put(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v);
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The Payment object (version 2022-11-16) for the payment's current state. */
static json_t *payment_json(const struct payment *p)
{
	int64_t vat = p->balance / 11; /* integer division = floor for amounts >= 0 */
	json_t *o, *cancels = json_null(), *card = json_null(), *transfer = json_null();
	json_t *va = json_null(), *failure = json_null();
	int bad = 0;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:i, s:i, s:s, s:s}",
		      "version", "2022-11-16", "paymentKey", p->key, "type", "NORMAL",
		      "orderId", p->order_id, "orderName", p->order_name, "mId", "tsbxmid",
		      "currency", p->currency, "method", method_ko(p->method),
		      "totalAmount", (json_int_t)p->total, "balanceAmount", (json_int_t)p->balance,
		      "suppliedAmount", (json_int_t)(p->balance - vat), "vat", (json_int_t)vat,
		      "taxFreeAmount", 0, "taxExemptionAmount", 0,
		      "status", status_name(p->status), "requestedAt", p->requested_at);
	if (!o)
		return NULL;
	if (p->ncancels) {
		cancels = json_array();
		for (size_t i = 0; cancels && i < p->ncancels; i++) {
			const struct cancel_rec *c = &p->cancels[i];

			bad |= json_array_append_new(cancels,
				json_pack("{s:I, s:s, s:i, s:i, s:I, s:i, s:s, s:s, s:n, s:s}",
					  "cancelAmount", (json_int_t)c->amount, "cancelReason", c->reason,
					  "taxFreeAmount", 0, "taxExemptionAmount", 0,
					  "refundableAmount", (json_int_t)c->refundable,
					  "easyPayDiscountAmount", 0, "canceledAt", c->at,
					  "transactionKey", c->tx, "receiptKey", "cancelStatus", "DONE"));
		}
	}
	if (p->method == METHOD_CARD && p->approved_at[0])
		card = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:b, s:s, s:s, s:s, s:b, s:n}",
				 "amount", (json_int_t)p->total, "issuerCode", "11", "acquirerCode", "11",
				 "number", p->card_number[0] ? p->card_number : "43301234****123*", "installmentPlanMonths", 0,
				 "approveNo", p->approve_no, "useCardPoint", 0, "cardType", "신용",
				 "ownerType", "개인", "acquireStatus",
				 p->status == ST_CANCELED ? "CANCELED" : "READY",
				 "isInterestFree", 0, "interestPayer");
	else if (p->method == METHOD_TRANSFER && p->approved_at[0])
		transfer = json_pack("{s:s, s:s}", "bankCode", "88", "settlementStatus", "INCOMPLETED");
	else if (p->method == METHOD_VA && p->va_number[0])
		va = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:n, s:n}",
			       "accountType", "일반", "accountNumber", p->va_number, "bankCode", "88",
			       "customerName", p->customer_name, "dueDate", p->va_due,
			       "refundStatus", "NONE", "expired", p->status == ST_EXPIRED,
			       "settlementStatus", "INCOMPLETED", "refundReceiveAccount", "depositorName");
	if (p->failure_code[0])
		failure = json_pack("{s:s, s:s}", "code", p->failure_code, "message", p->failure_msg);

	bad |= put(o, "approvedAt", str_or_null(p->approved_at));
	bad |= put(o, "lastTransactionKey", str_or_null(p->last_tx));
	bad |= put(o, "useEscrow", json_false());
	bad |= put(o, "cultureExpense", json_false());
	bad |= put(o, "isPartialCancelable", json_true());
	bad |= put(o, "cancels", cancels);
	bad |= put(o, "secret", str_or_null(p->secret));
	bad |= put(o, "card", card);
	bad |= put(o, "transfer", transfer);
	bad |= put(o, "virtualAccount", va);
	bad |= put(o, "mobilePhone", json_null());
	bad |= put(o, "giftCertificate", json_null());
	bad |= put(o, "easyPay", json_null());
	bad |= put(o, "cashReceipt", json_null());
	bad |= put(o, "discount", json_null());
	bad |= put(o, "country", json_string("KR"));
	bad |= put(o, "failure", failure);
	bad |= put(o, "receipt", json_null());
	bad |= put(o, "checkout", json_null());
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* 0 when the request may go on; otherwise rs holds the auth error. */
int toss_auth(struct sbx_req *rq, struct sbx_resp *rs, char *user, size_t ulen)
{
	const char *h = sbx_header(rq, "Authorization");
	const char *prefix = rq->sb->cfg.toss_prefix;
	char pass[256];

	if (!h || !*h) {
		resp_error(rs, 401, "UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.");
		return -1;
	}
	if (basic_auth(h, user, ulen, pass, sizeof pass)) {
		resp_error(rs, 403, "INCORRECT_BASIC_AUTH_FORMAT",
			   "잘못된 요청입니다. ':' 를 포함해 인코딩해주세요.");
		return -1;
	}
	if (pass[0] || strncmp(user, prefix, strlen(prefix))) {
		resp_error(rs, 401, "UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.");
		return -1;
	}
	return 0;
}

/* Fills ck with the cache key, or "" when the request has no Idempotency-Key. */
static int idem_key(struct sbx_req *rq, struct sbx_resp *rs, const char *user, char *ck, size_t len)
{
	const char *k = sbx_header(rq, "Idempotency-Key");

	ck[0] = '\0';
	if (!k)
		return 0;
	if (!*k || strlen(k) > 300 || strspn(k, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~") != strlen(k)) {
		resp_error(rs, 400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1..300 printable ASCII characters");
		return -1;
	}
	snprintf(ck, len, "%s\n%s\n%s\n%s", user, rq->method, rq->path, k);
	return 0;
}

/* Stores the answer under the idempotency key, if there is one. */
static void remember(struct state *st, const char *ck, const struct sbx_resp *rs)
{
	if (ck[0] && rs->body)
		state_idem_put(st, ck, rs->status, rs->body, rs->len);
}

static void refusal(const struct fault *f, struct sbx_resp *rs)
{
	resp_error(rs, f->status ? f->status : 403, f->code[0] ? f->code : "REJECT_CARD_PAYMENT", "%s",
		   f->message[0] ? f->message : "카드사에서 거절한 결제입니다.");
}

static void internal_error(struct sbx_resp *rs)
{
	resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.");
}

/* The common head of confirm and cancel: counts the request, takes a fault,
 * replays an idempotent answer. Returns 1 when rs is final. */
static int prologue(struct sbx_req *rq, struct sbx_resp *rs, enum sbx_op op, const char *order_id,
		    const char *ck, struct fault *f, int *hit)
{
	struct state *st = &rq->sb->st;
	const struct idem_entry *e;

	state_count(st, op, order_id, 0);
	*hit = faults_take(&rq->sb->faults, op, order_id, NULL, f);
	if (*hit && f->kind == FAULT_HTTP500) {
		internal_error(rs);
		return 1;
	}
	if (*hit && f->kind != FAULT_REFUSE) {
		rs->fault = f->kind;
		rs->delay_ms = f->delay_ms;
	}
	if (ck[0] && (e = state_idem_get(st, ck))) {
		if (*hit && f->kind == FAULT_REFUSE)
			refusal(f, rs);
		else
			resp_bytes(rs, e->status, e->body, e->len);
		return 1;
	}
	return 0;
}

static void do_confirm(struct sbx_req *rq, struct sbx_resp *rs, const char *user)
{
	struct state *st = &rq->sb->st;
	json_t *body = body_object(rq);
	const char *key = json_str_field(body, "paymentKey");
	const char *order = json_str_field(body, "orderId");
	struct payment *p;
	struct fault f;
	char ck[1024];
	int64_t amount = 0;
	int has_amount = json_int_field(body, "amount", &amount), hit;

	rq->op = "confirm";
	if (!body || !key || !order || has_amount != 1) {
		resp_error(rs, 400, "INVALID_REQUEST", "paymentKey, orderId and amount (integer) are required");
		json_decref(body);
		return;
	}
	if (!TOSS_PAYMENT_KEY_OK(key) || !TOSS_ORDER_ID_OK(order)) {
		resp_error(rs, 400, "INVALID_REQUEST",
			   "paymentKey must be 1..200 and orderId 6..64 of A-Z a-z 0-9 _ -");
		json_decref(body);
		return;
	}
	if (idem_key(rq, rs, user, ck, sizeof ck)) {
		json_decref(body);
		return;
	}
	pthread_mutex_lock(&st->mu);
	p = state_payment_by_key(st, PGK_TOSS, key);
	copy_str(rq->order_id, sizeof rq->order_id, p ? p->order_id : order);
	if (prologue(rq, rs, OP_CONFIRM, rq->order_id, ck, &f, &hit))
		goto out;
	if (hit && f.kind == FAULT_REFUSE) {
		if (p && p->status == ST_IN_PROGRESS) {
			p->status = ST_ABORTED;
			copy_str(p->failure_code, sizeof p->failure_code, f.code[0] ? f.code : "REJECT_CARD_PAYMENT");
			copy_str(p->failure_msg, sizeof p->failure_msg,
				 f.message[0] ? f.message : "카드사에서 거절한 결제입니다.");
		}
		refusal(&f, rs);
		remember(st, ck, rs);
		goto out;
	}
	state_count(st, OP_CONFIRM, rq->order_id, 1);
	if (!p || p->status == ST_EXPIRED) {
		resp_error(rs, 404, "NOT_FOUND_PAYMENT_SESSION", "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.");
	} else if (strcmp(p->order_id, order)) {
		resp_error(rs, 400, "INVALID_REQUEST", "orderId does not match the payment (expected the checkout's orderId)");
	} else if (amount != p->total) {
		resp_error(rs, 400, "INVALID_REQUEST", "amount does not match the payment (checkout amount differs)");
	} else if (p->status != ST_IN_PROGRESS) {
		resp_error(rs, 400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.");
	} else {
		time_kst(p->issued_at, sizeof p->issued_at, 0);
		rand_hex(p->last_tx, 32);
		if (p->method == METHOD_VA) {
			p->status = ST_WAITING_FOR_DEPOSIT;
			p->va_number[0] = 'X';
			rand_digits(p->va_number + 1, 13);
			time_kst(p->va_due, sizeof p->va_due, 7L * 24 * 3600);
			rand_hex(p->secret, 32);
		} else {
			p->status = ST_DONE;
			copy_str(p->approved_at, sizeof p->approved_at, p->issued_at);
			rand_digits(p->approve_no, 8);
			if (rs->fault == FAULT_FULL_CARD)
				copy_str(p->card_number, sizeof p->card_number, "4330123456789012");
		}
		resp_json(rs, 200, payment_json(p));
	}
	remember(st, ck, rs);
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(body);
}

static void do_cancel(struct sbx_req *rq, struct sbx_resp *rs, const char *user, const char *key)
{
	struct state *st = &rq->sb->st;
	json_t *body = body_object(rq);
	const char *reason = json_str_field(body, "cancelReason");
	struct cancel_rec c = {0};
	struct payment *p;
	struct fault f;
	char ck[1024];
	int64_t amount = 0;
	int has_amount = json_int_field(body, "cancelAmount", &amount), hit;

	rq->op = "cancel";
	if (idem_key(rq, rs, user, ck, sizeof ck)) {
		json_decref(body);
		return;
	}
	pthread_mutex_lock(&st->mu);
	p = state_payment_by_key(st, PGK_TOSS, key);
	copy_str(rq->order_id, sizeof rq->order_id, p ? p->order_id : "");
	if (prologue(rq, rs, OP_CANCEL, rq->order_id, ck, &f, &hit))
		goto out;
	if (hit && f.kind == FAULT_REFUSE) {
		refusal(&f, rs);
		remember(st, ck, rs);
		goto out;
	}
	state_count(st, OP_CANCEL, rq->order_id, 1);
	if (!body || !reason || !*reason || has_amount < 0) {
		resp_error(rs, 400, "INVALID_REQUEST", "cancelReason is required; cancelAmount must be an integer");
	} else if (!p) {
		resp_error(rs, 404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.");
	} else if (p->status != ST_DONE && p->status != ST_PARTIAL_CANCELED &&
		   p->status != ST_WAITING_FOR_DEPOSIT) {
		resp_error(rs, 403, "NOT_CANCELABLE_PAYMENT", "취소 할 수 없는 결제 입니다. (status %s)",
			   status_name(p->status));
	} else if (has_amount && (amount <= 0 || amount > p->balance)) {
		resp_error(rs, 403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다. (balance %lld)",
			   (long long)p->balance);
	} else if (p->status == ST_WAITING_FOR_DEPOSIT && has_amount && amount != p->balance) {
		resp_error(rs, 403, "NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT",
			   "입금 대기중인 결제는 부분 환불이 불가합니다.");
	} else {
		c.amount = has_amount ? amount : p->balance;
		c.refundable = p->balance - c.amount;
		copy_str(c.reason, sizeof c.reason, reason);
		time_kst(c.at, sizeof c.at, 0);
		rand_hex(c.tx, 32);
		if (payment_add_cancel(p, &c)) {
			internal_error(rs);
			goto out; /* nothing changed: do not remember */
		}
		p->balance = c.refundable;
		p->status = p->balance ? ST_PARTIAL_CANCELED : ST_CANCELED;
		copy_str(p->last_tx, sizeof p->last_tx, c.tx);
		resp_json(rs, 200, payment_json(p));
	}
	remember(st, ck, rs);
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(body);
}

static void do_get(struct sbx_req *rq, struct sbx_resp *rs, const char *key, const char *order)
{
	struct state *st = &rq->sb->st;
	struct payment *p;
	struct fault f;

	rq->op = "get";
	pthread_mutex_lock(&st->mu);
	p = key ? state_payment_by_key(st, PGK_TOSS, key) : state_payment_by_order(st, PGK_TOSS, order);
	copy_str(rq->order_id, sizeof rq->order_id, p ? p->order_id : order ? order : "");
	state_count(st, OP_GET, rq->order_id, 0);
	if (faults_take(&rq->sb->faults, OP_GET, rq->order_id, NULL, &f)) {
		if (f.kind == FAULT_HTTP500) {
			internal_error(rs);
			goto out;
		}
		if (f.kind == FAULT_REFUSE) {
			refusal(&f, rs);
			goto out;
		}
		rs->fault = f.kind;
		rs->delay_ms = f.delay_ms;
	}
	state_count(st, OP_GET, rq->order_id, 1);
	if (!p)
		resp_error(rs, 404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.");
	else
		resp_json(rs, 200, payment_json(p));
out:
	pthread_mutex_unlock(&st->mu);
}

void toss_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *path = rq->path, *rest;
	char user[256], seg[256];
	size_t n;

	if (toss_auth(rq, rs, user, sizeof user))
		return;
	if (strncmp(path, "/v1/payments/", 13))
		goto nf;
	rest = path + 13;
	if (!strcmp(rest, "confirm")) {
		if (strcmp(rq->method, "POST"))
			goto nf;
		do_confirm(rq, rs, user);
		return;
	}
	/* Everything after "orders/" is the orderId, decoded: one holding a
	 * "/" (sent as %2F) is a bad orderId, not another endpoint. */
	if (!strncmp(rest, "orders/", 7) && !strcmp(rq->method, "GET")) {
		if (!TOSS_ORDER_ID_OK(rest + 7)) {
			resp_error(rs, 400, "INVALID_REQUEST", "orderId must be 6..64 of A-Z a-z 0-9 _ -");
			return;
		}
		do_get(rq, rs, NULL, rest + 7);
		return;
	}
	n = strcspn(rest, "/");
	if (n == 0 || n >= sizeof seg)
		goto nf;
	memcpy(seg, rest, n);
	seg[n] = '\0';
	/* The path arrives percent-decoded: a key that held "/", ".." or "%"
	 * is refused here rather than routed somewhere else. */
	if (!TOSS_PAYMENT_KEY_OK(seg)) {
		resp_error(rs, 400, "INVALID_REQUEST", "paymentKey must be 1..200 of A-Z a-z 0-9 _ -");
		return;
	}
	if (!rest[n] && !strcmp(rq->method, "GET")) {
		do_get(rq, rs, seg, NULL);
		return;
	}
	if (!strcmp(rest + n, "/cancel") && !strcmp(rq->method, "POST")) {
		do_cancel(rq, rs, user, seg);
		return;
	}
nf:
	resp_error(rs, 404, "NOT_FOUND", "no such Toss API: %s %s", rq->method, rq->path);
}
