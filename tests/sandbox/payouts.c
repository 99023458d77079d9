/*
 * payouts.c — Toss payouts v2 in the sandbox, as strict as the fact sheet
 * lets us be (research/pg-apis.md T5, T6, T8):
 *
 *   POST /v2/payouts      Basic auth (the Toss test key), the header
 *                         TossPayments-api-security-mode: ENCRYPTION, a
 *                         text/plain body that is a JWE (dir + A256GCM, the
 *                         security key) of an array (or one object) of 1..100
 *                         items {refPayoutId, destination, scheduleType
 *                         EXPRESS|SCHEDULED (+payoutDate), amount {currency
 *                         KRW, value > 0}, transactionDescription 1..7 chars,
 *                         metadata ≤ 5 keys}. → 200 JWE of the v2 envelope
 *                         {version, traceId, entityType "payout", entityBody
 *                         {items: [payout…]}, error null}.
 *   GET  /v2/payouts      ?limit=1..100 (10) &startingAfter=<payout id>, newest
 *                         first → entityBody {hasNext, lastCursor, items}.
 *   GET  /v2/sellers/{id} → entityBody = the seller; 404 NOT_FOUND_SELLER.
 *   POST /v2/sellers      the same auth, header and JWE rules; the seller
 *                         {refSellerId 1..64 of [A-Za-z0-9_-], businessType
 *                         INDIVIDUAL (+ individual {name, email, phone}) |
 *                         INDIVIDUAL_BUSINESS | CORPORATE (+ company {name,
 *                         representativeName, businessRegistrationNumber 10
 *                         digits, email, phone}), account {bankCode 3 digits,
 *                         accountNumber 8..20 digits, holderName}, metadata ≤ 5
 *                         keys} → 200 JWE envelope, entityType "seller",
 *                         entityBody the seller with id "seller_…" and status
 *                         APPROVAL_REQUIRED. 400 INVALID_REQUEST naming the
 *                         field; 400 DUPLICATED_REF_SELLER_ID when the
 *                         refSellerId was registered before (Toss never
 *                         reuses one; the real code is UNCONFIRMED).
 *   GET  /v2/sellers      ?limit=1..100 (10) &startingAfter=<seller id>, newest
 *                         first → entityBody {hasNext, lastCursor, items}.
 * GET answers are JWE when the request carries the ENCRYPTION header, else
 * plain JSON. Errors after decryption are JWE envelopes with "error"
 * {code, message}; auth and header errors are plain {code, message}.
 *
 * Refusals: 401/403 as the PG API; 400 INVALID_REQUEST (not ENCRYPTION
 * mode, not text/plain, does not decrypt, not JSON, a malformed item, more
 * than 100 items, a refPayoutId twice in the request); 400
 * DUPLICATED_REF_PAYOUT_ID (already used by another request); 404
 * NOT_FOUND_SELLER; 403 FORBIDDEN_SELLER_PAYOUT (seller not
 * PARTIALLY_APPROVED / APPROVED). The whole request is refused, nothing
 * is created.
 *
 * Rule (idempotency, T5): a request with an Idempotency-Key runs at most
 * once per (secret key, Idempotency-Key); a repeat with the same decrypted
 * body gets the first answer's bytes again, a repeat with another body
 * gets 422 INVALID_IDEMPOTENCY_KEY and changes nothing.
 *
 * Faults (op "payout" = POST, "payout_get" = the GETs; orderId matches the
 * first item's refPayoutId): http500, refuse, delay, drop_after_commit as
 * for the PG; malformed = commit, answer a valid JWE of half the JSON;
 * undecryptable = commit, answer a JWE made with another key. The stored
 * idempotent answer is always the good one.
 *
 * Control (never counted, never faulted):
 *   POST /_sandbox/payouts/sellers  {"id", "status", "refSellerId"?} → 200 the seller (created, or its
 *                                    status replaced: how a test approves a registered seller)
 *   POST /_sandbox/payouts/complete {"refPayoutId" | "id", "status": "COMPLETED"|"FAILED"|"CANCELED",
 *                                    "code"?, "message"?} → 200 the payout; 404; 409 NOT_IN_PROGRESS
 *   POST /_sandbox/payouts/knobs    {"autoComplete": true|false} (new payouts COMPLETED at once)
 *   GET  /_sandbox/payouts/list     → 200 [payout…] oldest first, plain JSON
 *   POST /_sandbox/payouts/reset    payouts, sellers, idempotency and knobs forgotten
 *
 * Its state is its own (one mutex, mu), so the PG state and /_sandbox/reset
 * stay as they were; lock order: this mutex, then st->mu for counters.
 */
#include "payouts.h"

#include "sandbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapters/bank/jwe.h"

#define MAX_ITEMS 100

struct seller {
	char id[65];
	char ref[65];
	char status[24];
	char business_type[24];
};

struct payout {
	char id[32];
	char ref[65];
	char dest[65];
	char schedule[12];
	char payout_date[12];
	int64_t value;
	char currency[4];
	char desc[64];
	char status[16];
	char requested_at[32];
	char err_code[64];
	char err_msg[160];
};

struct idem {
	char *plain;   /* the canonical request */
	int status;
	size_t len;
	char body[];
};

static struct {
	pthread_mutex_t mu;
	int ready;
	struct jwe_key *key, *wrong_key;
	struct smap sellers; /* id -> struct seller */
	char (*seller_ids)[65]; /* registration order, for GET /v2/sellers */
	size_t n_sellers, cap_sellers;
	struct smap idem;    /* user + "\n" + key -> struct idem */
	struct smap refs;    /* refPayoutId -> "" (borrowed marker) */
	struct payout *v;
	size_t n, cap;
	int auto_complete;
} po = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int seller_order_add(const char *id);

static void idem_free(void *p)
{
	struct idem *e = p;

	if (e)
		free(e->plain);
	free(e);
}

/* Under po.mu. 0, or -1 when the key or memory is missing. */
static int ready(void)
{
	static const char other[] = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
	struct settle_err err = {0};
	const char *hex = getenv("SETTLE_SANDBOX_PAYOUTS_KEY");

	if (po.ready)
		return 0;
	po.key = jwe_key_from_hex(hex && *hex ? hex : SANDBOX_PAYOUTS_SECURITY_KEY, &err);
	po.wrong_key = jwe_key_from_hex(other, &err);
	if (!po.key || !po.wrong_key || smap_init(&po.sellers, free) || smap_init(&po.idem, idem_free) ||
	    smap_init(&po.refs, NULL))
		return -1;
	po.ready = 1;
	return 0;
}

static void count(struct sbx_req *rq, enum sbx_op op, const char *ref, int executed)
{
	pthread_mutex_lock(&rq->sb->st.mu);
	state_count(&rq->sb->st, op, ref, executed);
	pthread_mutex_unlock(&rq->sb->st.mu);
}

static json_t *envelope(const char *type, json_t *body, json_t *error)
{
	char trace[33];

	rand_hex(trace, 32);
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "version", "2022-11-16", "traceId", trace, "entityType", type,
			 "entityBody", body ? body : json_null(), "error", error ? error : json_null());
}

/* Answers obj (reference taken) encrypted with key, or plain when key is NULL. */
static void answer(struct sbx_resp *rs, int status, json_t *obj, const struct jwe_key *key)
{
	struct settle_err err = {0};
	char *plain, *jwe;

	if (!key || !obj) {
		resp_json(rs, status, obj);
		return;
	}
	plain = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	jwe = plain ? jwe_encrypt(key, plain, strlen(plain), NULL, &err) : NULL;
	free(plain);
	if (!jwe) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox cannot encrypt: %s", err.msg);
		return;
	}
	free(rs->body);
	rs->body = jwe;
	rs->len = strlen(jwe);
	rs->status = status;
}

static void fail(struct sbx_resp *rs, int status, const char *code, const char *msg, const struct jwe_key *key)
{
	answer(rs, status, envelope("payout", NULL, json_pack("{s:s, s:s}", "code", code, "message", msg)), key);
}

static json_t *payout_json(const struct payout *p)
{
	json_t *err = p->err_code[0] ? json_pack("{s:s, s:s}", "code", p->err_code, "message", p->err_msg)
				     : json_null();

	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:{s:s, s:I}, s:s, s:s, s:s, s:o, s:{}}", "id", p->id,
			 "refPayoutId", p->ref, "destination", p->dest, "scheduleType", p->schedule, "payoutDate",
			 p->payout_date[0] ? p->payout_date : NULL, "amount", "currency", p->currency, "value",
			 (json_int_t)p->value, "transactionDescription", p->desc, "requestedAt", p->requested_at,
			 "status", p->status, "error", err, "metadata");
}

static json_t *seller_json(const struct seller *s)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "refSellerId", s->ref, "businessType",
			 s->business_type[0] ? s->business_type : "INDIVIDUAL", "status", s->status);
}

/* 0 when the Toss auth is right; user filled. Else rs holds the error. */
static int check_auth(struct sbx_req *rq, struct sbx_resp *rs, char *user, size_t ulen)
{
	const char *h = sbx_header(rq, "Authorization"), *prefix = rq->sb->cfg.toss_prefix;
	char pass[256];

	if (!h || !*h || basic_auth(h, user, ulen, pass, sizeof pass)) {
		resp_error(rs, h && *h ? 403 : 401, h && *h ? "INCORRECT_BASIC_AUTH_FORMAT" : "UNAUTHORIZED_KEY",
			   "Basic base64(secretKey:) is required");
		return -1;
	}
	if (pass[0] || strncmp(user, prefix, strlen(prefix))) {
		resp_error(rs, 401, "UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.");
		return -1;
	}
	return 0;
}

static int encryption_mode(const struct sbx_req *rq)
{
	const char *m = sbx_header(rq, "TossPayments-api-security-mode");

	return m && !strcasecmp(m, "ENCRYPTION");
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 1 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Checks one item and fills p. NULL, or why it is refused. */
static const char *item_check(json_t *it, struct payout *p)
{
	json_t *amount = json_object_get(it, "amount"), *meta = json_object_get(it, "metadata");
	const char *ref = json_str_field(it, "refPayoutId"), *dest = json_str_field(it, "destination");
	const char *sched = json_str_field(it, "scheduleType"), *date = json_str_field(it, "payoutDate");
	const char *desc = json_str_field(it, "transactionDescription"), *cur = json_str_field(amount, "currency");
	int64_t value = 0;

	memset(p, 0, sizeof *p);
	if (!json_is_object(it))
		return "an item is not an object";
	if (!id_ok(ref))
		return "refPayoutId must be 1..64 of A-Z a-z 0-9 _ -";
	if (!id_ok(dest))
		return "destination must be a seller id";
	if (!sched || (strcmp(sched, "EXPRESS") && strcmp(sched, "SCHEDULED")))
		return "scheduleType must be EXPRESS or SCHEDULED";
	if (!strcmp(sched, "SCHEDULED") && (!date || strlen(date) != 10))
		return "payoutDate (yyyy-MM-dd) is required for SCHEDULED";
	if (!json_is_object(amount) || !cur || strcmp(cur, "KRW") || json_int_field(amount, "value", &value) != 1 ||
	    value <= 0)
		return "amount must be {currency: KRW, value: a positive integer}";
	if (!desc || !*desc || utf8_chars(desc) > 7 || strlen(desc) >= sizeof p->desc)
		return "transactionDescription must be 1..7 characters";
	if (meta && !json_is_null(meta) && (!json_is_object(meta) || json_object_size(meta) > 5))
		return "metadata must be an object of at most 5 keys";
	copy_str(p->ref, sizeof p->ref, ref);
	copy_str(p->dest, sizeof p->dest, dest);
	copy_str(p->schedule, sizeof p->schedule, sched);
	copy_str(p->payout_date, sizeof p->payout_date, date && !strcmp(sched, "SCHEDULED") ? date : "");
	copy_str(p->currency, sizeof p->currency, cur);
	copy_str(p->desc, sizeof p->desc, desc);
	p->value = value;
	return NULL;
}

static int push(const struct payout *p)
{
	if (po.n == po.cap) {
		size_t cap = po.cap ? po.cap * 2 : 64;
		struct payout *v = realloc(po.v, cap * sizeof *v);

		if (!v)
			return -1;
		po.v = v;
		po.cap = cap;
	}
	po.v[po.n] = *p;
	if (smap_put(&po.refs, p->ref, (void *)"")) /* not owned */
		return -1;
	po.n++;
	return 0;
}

/* Validates every item, then creates them all; rs answered either way. */
static void create(struct sbx_req *rq, struct sbx_resp *rs, json_t *items, const char *ref0)
{
	size_t n = json_array_size(items), i;
	struct payout *ps = calloc(n, sizeof *ps);
	json_t *out = json_array(), *it;
	char why[200];

	if (!ps || !out) {
		fail(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox out of memory", po.key);
		goto done;
	}
	json_array_foreach(items, i, it) {
		const char *bad = item_check(it, &ps[i]);
		struct seller *s;

		if (bad) {
			snprintf(why, sizeof why, "item %zu: %s", i + 1, bad);
			fail(rs, 400, "INVALID_REQUEST", why, po.key);
			goto done;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(ps[j].ref, ps[i].ref)) {
				snprintf(why, sizeof why, "item %zu: refPayoutId %s appears twice", i + 1, ps[i].ref);
				fail(rs, 400, "INVALID_REQUEST", why, po.key);
				goto done;
			}
		if (smap_get(&po.refs, ps[i].ref)) {
			snprintf(why, sizeof why, "refPayoutId %s was already requested", ps[i].ref);
			fail(rs, 400, "DUPLICATED_REF_PAYOUT_ID", why, po.key);
			goto done;
		}
		s = smap_get(&po.sellers, ps[i].dest);
		if (!s) {
			snprintf(why, sizeof why, "seller %s does not exist", ps[i].dest);
			fail(rs, 404, "NOT_FOUND_SELLER", why, po.key);
			goto done;
		}
		if (strcmp(s->status, "APPROVED") && strcmp(s->status, "PARTIALLY_APPROVED")) {
			snprintf(why, sizeof why, "seller %s is %s: payouts are not allowed", s->id, s->status);
			fail(rs, 403, "FORBIDDEN_SELLER_PAYOUT", why, po.key);
			goto done;
		}
	}
	count(rq, OP_PAYOUT, ref0, 1);
	for (i = 0; i < n; i++) {
		struct payout *p = &ps[i];

		memcpy(p->id, "po_", 3);
		rand_hex(p->id + 3, 24);
		time_kst(p->requested_at, sizeof p->requested_at, 0);
		copy_str(p->status, sizeof p->status, po.auto_complete ? "COMPLETED" : "REQUESTED");
		if (push(p) || json_array_append_new(out, payout_json(p))) {
			fail(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox out of memory", po.key);
			goto done;
		}
	}
	answer(rs, 200, envelope("payout", json_pack("{s:O}", "items", out), NULL), po.key);
done:
	json_decref(out);
	free(ps);
}

static void remember(const char *ck, const char *canon, const struct sbx_resp *rs)
{
	struct idem *e;

	if (!ck[0] || !rs->body)
		return;
	e = malloc(sizeof *e + rs->len + 1);
	if (!e)
		return;
	e->plain = strdup(canon);
	e->status = rs->status;
	e->len = rs->len;
	memcpy(e->body, rs->body, rs->len);
	e->body[rs->len] = '\0';
	if (!e->plain || smap_put(&po.idem, ck, e))
		idem_free(e);
}

/* The fault effects that change the answer's bytes, applied after the
 * good answer was stored. */
static void corrupt(struct sbx_resp *rs, enum fault_kind kind)
{
	struct settle_err err = {0};
	size_t n = 0;
	char *plain;

	if (kind != FAULT_MALFORMED && kind != FAULT_UNDECRYPTABLE)
		return;
	plain = rs->body ? jwe_decrypt(po.key, rs->body, rs->len, &n, &err) : NULL;
	if (!plain)
		return;
	if (kind == FAULT_MALFORMED) {
		plain[n / 2] = '\0';
		rs->fault = FAULT_NONE; /* sandbox.c would cut the JWE itself: it must stay decryptable */
	}
	free(rs->body);
	rs->body = jwe_encrypt(kind == FAULT_MALFORMED ? po.key : po.wrong_key, plain, strlen(plain), NULL, &err);
	rs->len = rs->body ? strlen(rs->body) : 0;
	rs->status = rs->body ? 200 : 500;
	free(plain);
}

static void do_post(struct sbx_req *rq, struct sbx_resp *rs, const char *user)
{
	const char *ct = sbx_header(rq, "Content-Type"), *k = sbx_header(rq, "Idempotency-Key");
	struct settle_err err = {0};
	json_t *items = NULL;
	char ck[512] = "", *plain = NULL, *canon = NULL, ref0[72] = "";
	const struct idem *e;
	struct fault f;
	size_t n = 0;
	int hit;

	rq->op = "payout";
	if (!encryption_mode(rq) || !ct || strncasecmp(ct, "text/plain", 10)) {
		resp_error(rs, 400, "INVALID_REQUEST",
			   "payout requests need TossPayments-api-security-mode: ENCRYPTION and a text/plain JWE body");
		return;
	}
	if (k && (!*k || strlen(k) > 300)) {
		resp_error(rs, 400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1..300 characters");
		return;
	}
	plain = jwe_decrypt(po.key, rq->body, rq->body_len, &n, &err);
	if (!plain) {
		resp_error(rs, 400, "INVALID_REQUEST", "the body does not decrypt with the security key: %s", err.msg);
		return;
	}
	items = json_loadb(plain, n, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(items)) {
		json_t *one = json_array();

		json_array_append_new(one, items);
		items = one;
	}
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > MAX_ITEMS) {
		fail(rs, 400, "INVALID_REQUEST", "the body must be 1..100 payout items", po.key);
		goto out;
	}
	copy_str(ref0, sizeof ref0, json_str_field(json_array_get(items, 0), "refPayoutId") ?: "");
	copy_str(rq->order_id, sizeof rq->order_id, ref0);
	canon = json_dumps(items, JSON_COMPACT | JSON_SORT_KEYS);
	if (k)
		snprintf(ck, sizeof ck, "%s\n%s", user, k);
	count(rq, OP_PAYOUT, ref0, 0);
	hit = faults_take(&rq->sb->faults, OP_PAYOUT, ref0, NULL, &f);
	if (hit && f.kind == FAULT_HTTP500) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "내부 시스템 처리 작업이 실패했습니다.");
		goto out;
	}
	if (hit && f.kind != FAULT_REFUSE) {
		rs->fault = f.kind;
		rs->delay_ms = f.delay_ms;
	}
	if (ck[0] && (e = smap_get(&po.idem, ck))) {
		if (!canon || strcmp(e->plain, canon)) {
			rs->fault = FAULT_NONE;
			fail(rs, 422, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key was used with another request body",
			     po.key);
		} else {
			resp_bytes(rs, e->status, e->body, e->len);
			corrupt(rs, rs->fault);
		}
		goto out;
	}
	if (hit && f.kind == FAULT_REFUSE)
		fail(rs, f.status ? f.status : 403, f.code[0] ? f.code : "FORBIDDEN_SELLER_PAYOUT",
		     f.message[0] ? f.message : "지급대행이 허용되지 않은 셀러입니다.", po.key);
	else
		create(rq, rs, items, ref0);
	if (canon)
		remember(ck, canon, rs);
	corrupt(rs, rs->fault);
out:
	free(canon);
	free(plain);
	json_decref(items);
}

/* Takes the GET fault; 1 when rs is final. */
static int get_fault(struct sbx_req *rq, struct sbx_resp *rs, const char *id, const struct jwe_key *key)
{
	struct fault f;

	count(rq, OP_PAYOUT_GET, id, 0);
	if (!faults_take(&rq->sb->faults, OP_PAYOUT_GET, id, NULL, &f)) {
		count(rq, OP_PAYOUT_GET, id, 1);
		return 0;
	}
	if (f.kind == FAULT_HTTP500) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "내부 시스템 처리 작업이 실패했습니다.");
		return 1;
	}
	if (f.kind == FAULT_REFUSE) {
		fail(rs, f.status ? f.status : 403, f.code[0] ? f.code : "FORBIDDEN_REQUEST",
		     f.message[0] ? f.message : "refused", key);
		return 1;
	}
	rs->fault = f.kind;
	rs->delay_ms = f.delay_ms;
	count(rq, OP_PAYOUT_GET, id, 1);
	return 0;
}

static void do_list(struct sbx_req *rq, struct sbx_resp *rs)
{
	const struct jwe_key *key = encryption_mode(rq) ? po.key : NULL;
	const char *lim = sbx_query(rq, "limit"), *after = sbx_query(rq, "startingAfter");
	json_t *items = json_array();
	long limit = 10;
	size_t start = po.n, taken = 0;
	char *end;

	rq->op = "payout_get";
	if (lim) {
		limit = strtol(lim, &end, 10);
		if (*end || end == lim || limit < 1 || limit > 100) {
			json_decref(items);
			fail(rs, 400, "INVALID_REQUEST", "limit must be 1..100", key);
			return;
		}
	}
	if (after) {
		for (start = 0; start < po.n && strcmp(po.v[start].id, after); start++)
			;
		if (start == po.n) {
			json_decref(items);
			fail(rs, 400, "INVALID_REQUEST", "startingAfter names no payout", key);
			return;
		}
	}
	if (get_fault(rq, rs, after ? after : "", key)) {
		json_decref(items);
		return;
	}
	/* Newest first: walk back from the one before the cursor. */
	while (start > 0 && taken < (size_t)limit) {
		start--;
		json_array_append_new(items, payout_json(&po.v[start]));
		taken++;
	}
	answer(rs, 200,
	       envelope("payout", json_pack("{s:b, s:s?, s:o}", "hasNext", start > 0, "lastCursor",
					      taken ? po.v[start].id : NULL, "items", items),
			NULL),
	       key);
	corrupt(rs, key ? rs->fault : FAULT_NONE);
}

static void do_seller(struct sbx_req *rq, struct sbx_resp *rs, const char *id)
{
	const struct jwe_key *key = encryption_mode(rq) ? po.key : NULL;
	struct seller *s;

	rq->op = "seller_get";
	copy_str(rq->order_id, sizeof rq->order_id, id);
	if (get_fault(rq, rs, id, key))
		return;
	s = smap_get(&po.sellers, id);
	if (!s)
		fail(rs, 404, "NOT_FOUND_SELLER", "존재하지 않는 셀러입니다.", key);
	else
		answer(rs, 200, envelope("seller", seller_json(s), NULL), key);
	corrupt(rs, key ? rs->fault : FAULT_NONE);
}

/* Under po.mu. 0, or -1 when out of memory. */
static int seller_order_add(const char *id)
{
	if (po.n_sellers == po.cap_sellers) {
		size_t cap = po.cap_sellers ? po.cap_sellers * 2 : 64;
		char(*v)[65] = realloc(po.seller_ids, cap * sizeof *v);

		if (!v)
			return -1;
		po.seller_ids = v;
		po.cap_sellers = cap;
	}
	copy_str(po.seller_ids[po.n_sellers++], sizeof po.seller_ids[0], id);
	return 0;
}

struct ref_search {
	const char *ref;
	int found;
};

static int ref_visit(const char *key, void *value, void *arg)
{
	struct ref_search *q = arg;

	(void)key;
	q->found = !strcmp(((const struct seller *)value)->ref, q->ref);
	return q->found;
}

/* Under po.mu: 1 when a seller holds this refSellerId. */
static int ref_taken(const char *ref)
{
	struct ref_search q = {ref, 0};

	smap_each(&po.sellers, ref_visit, &q);
	return q.found;
}

static int digits(const char *s, size_t lo, size_t hi)
{
	size_t n = s ? strlen(s) : 0;

	return n >= lo && n <= hi && strspn(s, "0123456789") == n;
}

static int text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return n >= 1 && n <= max;
}

/* Checks a seller registration body; NULL, or why it is refused. */
static const char *seller_check(json_t *b, struct seller *s)
{
	const char *ref = json_str_field(b, "refSellerId"), *type = json_str_field(b, "businessType");
	json_t *ind = json_object_get(b, "individual"), *co = json_object_get(b, "company");
	json_t *acc = json_object_get(b, "account"), *meta = json_object_get(b, "metadata");
	json_t *who;

	memset(s, 0, sizeof *s);
	if (!json_is_object(b))
		return "the body must be a seller object";
	if (!id_ok(ref))
		return "refSellerId must be 1..64 of A-Z a-z 0-9 _ -";
	if (!type || (strcmp(type, "INDIVIDUAL") && strcmp(type, "INDIVIDUAL_BUSINESS") && strcmp(type, "CORPORATE")))
		return "businessType must be INDIVIDUAL, INDIVIDUAL_BUSINESS or CORPORATE";
	if (!strcmp(type, "INDIVIDUAL")) {
		if (co && !json_is_null(co))
			return "company must be absent for an INDIVIDUAL seller";
		if (!json_is_object(ind))
			return "individual {name, email, phone} is required for an INDIVIDUAL seller";
		who = ind;
	} else {
		if (ind && !json_is_null(ind))
			return "individual must be absent for a business seller";
		if (!json_is_object(co))
			return "company {name, representativeName, businessRegistrationNumber, email, phone} is required";
		if (!text_ok(json_str_field(co, "representativeName"), 100))
			return "company.representativeName is required";
		if (!digits(json_str_field(co, "businessRegistrationNumber"), 10, 10))
			return "company.businessRegistrationNumber must be 10 digits";
		who = co;
	}
	if (!text_ok(json_str_field(who, "name"), 100))
		return "name is required";
	if (!text_ok(json_str_field(who, "email"), 254) || !strchr(json_str_field(who, "email"), '@'))
		return "email is required";
	if (!digits(json_str_field(who, "phone"), 9, 11))
		return "phone must be 9..11 digits";
	if (!json_is_object(acc))
		return "account {bankCode, accountNumber, holderName} is required";
	if (!digits(json_str_field(acc, "bankCode"), 3, 3))
		return "account.bankCode must be 3 digits";
	if (!digits(json_str_field(acc, "accountNumber"), 8, 20))
		return "account.accountNumber must be 8..20 digits";
	if (!text_ok(json_str_field(acc, "holderName"), 100))
		return "account.holderName is required";
	if (meta && !json_is_null(meta) && (!json_is_object(meta) || json_object_size(meta) > 5))
		return "metadata must be an object of at most 5 keys";
	copy_str(s->ref, sizeof s->ref, ref);
	copy_str(s->business_type, sizeof s->business_type, type);
	return NULL;
}

static void seller_create(struct sbx_req *rq, struct sbx_resp *rs, json_t *b)
{
	struct seller *s = calloc(1, sizeof *s);
	const char *bad;
	char why[200];

	if (!s) {
		fail(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox out of memory", po.key);
		return;
	}
	bad = seller_check(b, s);
	if (bad) {
		free(s);
		fail(rs, 400, "INVALID_REQUEST", bad, po.key);
		return;
	}
	if (ref_taken(s->ref)) {
		snprintf(why, sizeof why, "refSellerId %s is already registered", s->ref);
		free(s);
		fail(rs, 400, "DUPLICATED_REF_SELLER_ID", why, po.key);
		return;
	}
	memcpy(s->id, "seller_", 7);
	rand_hex(s->id + 7, 24);
	copy_str(s->status, sizeof s->status, "APPROVAL_REQUIRED");
	if (seller_order_add(s->id) || smap_put(&po.sellers, s->id, s)) {
		free(s);
		fail(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox out of memory", po.key);
		return;
	}
	count(rq, OP_SELLER, s->ref, 1);
	answer(rs, 200, envelope("seller", seller_json(s), NULL), po.key);
}

/* POST /v2/sellers: the flow of do_post (auth checked, faults, idempotency). */
static void do_register(struct sbx_req *rq, struct sbx_resp *rs, const char *user)
{
	const char *ct = sbx_header(rq, "Content-Type"), *k = sbx_header(rq, "Idempotency-Key");
	struct settle_err err = {0};
	json_t *b = NULL;
	char ck[512] = "", *plain = NULL, *canon = NULL, ref[72] = "";
	const struct idem *e;
	struct fault f;
	size_t n = 0;
	int hit;

	rq->op = "seller";
	if (!encryption_mode(rq) || !ct || strncasecmp(ct, "text/plain", 10)) {
		resp_error(rs, 400, "INVALID_REQUEST",
			   "seller requests need TossPayments-api-security-mode: ENCRYPTION and a text/plain JWE body");
		return;
	}
	if (k && (!*k || strlen(k) > 300)) {
		resp_error(rs, 400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1..300 characters");
		return;
	}
	plain = jwe_decrypt(po.key, rq->body, rq->body_len, &n, &err);
	if (!plain) {
		resp_error(rs, 400, "INVALID_REQUEST", "the body does not decrypt with the security key: %s", err.msg);
		return;
	}
	b = json_loadb(plain, n, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(b)) {
		fail(rs, 400, "INVALID_REQUEST", "the body must be a seller object", po.key);
		goto out;
	}
	copy_str(ref, sizeof ref, json_str_field(b, "refSellerId") ?: "");
	copy_str(rq->order_id, sizeof rq->order_id, ref);
	canon = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	/* Toss scopes a key by URL and method too (T5). */
	if (k)
		snprintf(ck, sizeof ck, "%s\nPOST /v2/sellers\n%s", user, k);
	count(rq, OP_SELLER, ref, 0);
	hit = faults_take(&rq->sb->faults, OP_SELLER, ref, NULL, &f);
	if (hit && f.kind == FAULT_HTTP500) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "내부 시스템 처리 작업이 실패했습니다.");
		goto out;
	}
	if (hit && f.kind != FAULT_REFUSE) {
		rs->fault = f.kind;
		rs->delay_ms = f.delay_ms;
	}
	if (ck[0] && (e = smap_get(&po.idem, ck))) {
		if (!canon || strcmp(e->plain, canon)) {
			rs->fault = FAULT_NONE;
			fail(rs, 422, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key was used with another request body",
			     po.key);
		} else {
			resp_bytes(rs, e->status, e->body, e->len);
			corrupt(rs, rs->fault);
		}
		goto out;
	}
	if (hit && f.kind == FAULT_REFUSE)
		fail(rs, f.status ? f.status : 400, f.code[0] ? f.code : "INVALID_REQUEST",
		     f.message[0] ? f.message : "셀러 등록이 거절되었습니다.", po.key);
	else
		seller_create(rq, rs, b);
	if (canon)
		remember(ck, canon, rs);
	corrupt(rs, rs->fault);
out:
	if (plain) {
		/* the body carried an account number */
		memset(plain, 0, n);
		free(plain);
	}
	free(canon);
	json_decref(b);
}

static void do_seller_list(struct sbx_req *rq, struct sbx_resp *rs)
{
	const struct jwe_key *key = encryption_mode(rq) ? po.key : NULL;
	const char *lim = sbx_query(rq, "limit"), *after = sbx_query(rq, "startingAfter");
	json_t *items = json_array();
	long limit = 10;
	size_t start = po.n_sellers, taken = 0;
	char *end;

	rq->op = "payout_get";
	if (lim) {
		limit = strtol(lim, &end, 10);
		if (*end || end == lim || limit < 1 || limit > 100) {
			json_decref(items);
			fail(rs, 400, "INVALID_REQUEST", "limit must be 1..100", key);
			return;
		}
	}
	if (after) {
		for (start = 0; start < po.n_sellers && strcmp(po.seller_ids[start], after); start++)
			;
		if (start == po.n_sellers) {
			json_decref(items);
			fail(rs, 400, "INVALID_REQUEST", "startingAfter names no seller", key);
			return;
		}
	}
	if (get_fault(rq, rs, after ? after : "", key)) {
		json_decref(items);
		return;
	}
	/* Newest first: walk back from the one before the cursor. */
	while (start > 0 && taken < (size_t)limit) {
		const struct seller *s;

		start--;
		s = smap_get(&po.sellers, po.seller_ids[start]);
		if (s)
			json_array_append_new(items, seller_json(s));
		taken++;
	}
	answer(rs, 200,
	       envelope("seller", json_pack("{s:b, s:s?, s:o}", "hasNext", start > 0, "lastCursor",
					      taken ? po.seller_ids[start] : NULL, "items", items),
			NULL),
	       key);
	corrupt(rs, key ? rs->fault : FAULT_NONE);
}

void payouts_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	char user[256];

	if (check_auth(rq, rs, user, sizeof user))
		return;
	pthread_mutex_lock(&po.mu);
	if (ready()) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox payouts cannot start (key?)");
	} else if (!strcmp(rq->path, "/v2/payouts") && !strcmp(rq->method, "POST")) {
		do_post(rq, rs, user);
	} else if (!strcmp(rq->path, "/v2/payouts") && !strcmp(rq->method, "GET")) {
		do_list(rq, rs);
	} else if (!strcmp(rq->path, "/v2/sellers") && !strcmp(rq->method, "POST")) {
		do_register(rq, rs, user);
	} else if (!strcmp(rq->path, "/v2/sellers") && !strcmp(rq->method, "GET")) {
		do_seller_list(rq, rs);
	} else if (!strncmp(rq->path, "/v2/sellers/", 12) && rq->path[12] && !strchr(rq->path + 12, '/') &&
		   !strcmp(rq->method, "GET")) {
		do_seller(rq, rs, rq->path + 12);
	} else {
		resp_error(rs, 404, "NOT_FOUND", "no such Toss payouts API: %s %s", rq->method, rq->path);
	}
	pthread_mutex_unlock(&po.mu);
}

static void ctl_seller(struct sbx_resp *rs, json_t *b)
{
	const char *id = json_str_field(b, "id"), *st = json_str_field(b, "status"), *ref = json_str_field(b, "refSellerId");
	struct seller *s;

	if (!id_ok(id) || !st ||
	    (strcmp(st, "APPROVAL_REQUIRED") && strcmp(st, "PARTIALLY_APPROVED") && strcmp(st, "KYC_REQUIRED") &&
	     strcmp(st, "APPROVED"))) {
		resp_error(rs, 400, "INVALID_REQUEST",
			   "id (1..64 of A-Z a-z 0-9 _ -) and status (APPROVAL_REQUIRED, PARTIALLY_APPROVED, KYC_REQUIRED, APPROVED) are required");
		return;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		return;
	}
	copy_str(s->id, sizeof s->id, id);
	copy_str(s->ref, sizeof s->ref, ref && id_ok(ref) ? ref : id);
	copy_str(s->status, sizeof s->status, st);
	{
		const struct seller *was = smap_get(&po.sellers, s->id);

		/* a status change keeps what the registration said */
		if (was) {
			copy_str(s->business_type, sizeof s->business_type, was->business_type);
			if (!ref)
				copy_str(s->ref, sizeof s->ref, was->ref);
		}
	}
	if (!smap_get(&po.sellers, s->id) && seller_order_add(s->id)) {
		free(s);
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		return;
	}
	if (smap_put(&po.sellers, s->id, s)) {
		free(s);
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		return;
	}
	resp_json(rs, 200, seller_json(s));
}

static void ctl_complete(struct sbx_resp *rs, json_t *b)
{
	const char *ref = json_str_field(b, "refPayoutId"), *id = json_str_field(b, "id");
	const char *st = json_str_field(b, "status"), *code = json_str_field(b, "code"), *msg = json_str_field(b, "message");
	struct payout *p = NULL;

	if ((!ref && !id) || !st || (strcmp(st, "COMPLETED") && strcmp(st, "FAILED") && strcmp(st, "CANCELED"))) {
		resp_error(rs, 400, "INVALID_REQUEST", "refPayoutId or id, and status COMPLETED, FAILED or CANCELED are required");
		return;
	}
	for (size_t i = 0; i < po.n && !p; i++)
		if ((ref && !strcmp(po.v[i].ref, ref)) || (id && !strcmp(po.v[i].id, id)))
			p = &po.v[i];
	if (!p) {
		resp_error(rs, 404, "NOT_FOUND_PAYOUT", "no such payout");
		return;
	}
	if (strcmp(p->status, "REQUESTED") && strcmp(p->status, "IN_PROGRESS")) {
		resp_error(rs, 409, "NOT_IN_PROGRESS", "payout %s is already %s", p->ref, p->status);
		return;
	}
	copy_str(p->status, sizeof p->status, st);
	if (strcmp(st, "COMPLETED")) {
		copy_str(p->err_code, sizeof p->err_code, code ? code : "INVALID_ACCOUNT");
		copy_str(p->err_msg, sizeof p->err_msg, msg ? msg : "receiving account refused the transfer");
	}
	resp_json(rs, 200, payout_json(p));
}

void payouts_control(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *what = rq->path + strlen("/_sandbox/payouts/");
	int post = !strcmp(rq->method, "POST");
	json_t *b = body_object(rq);

	rq->op = "control";
	pthread_mutex_lock(&po.mu);
	if (ready()) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox payouts cannot start (key?)");
	} else if (post && !b && strcmp(what, "reset")) {
		resp_error(rs, 400, "INVALID_REQUEST", "the body must be a JSON object");
	} else if (post && !strcmp(what, "sellers")) {
		ctl_seller(rs, b);
	} else if (post && !strcmp(what, "complete")) {
		ctl_complete(rs, b);
	} else if (post && !strcmp(what, "knobs")) {
		json_t *ac = json_object_get(b, "autoComplete");

		if (!json_is_boolean(ac)) {
			resp_error(rs, 400, "INVALID_REQUEST", "autoComplete must be true or false");
		} else {
			po.auto_complete = json_is_true(ac);
			resp_json(rs, 200, json_pack("{s:b}", "autoComplete", po.auto_complete));
		}
	} else if (post && !strcmp(what, "reset")) {
		smap_clear(&po.sellers);
		po.n_sellers = 0;
		smap_clear(&po.idem);
		smap_clear(&po.refs);
		po.n = 0;
		po.auto_complete = 0;
		resp_json(rs, 200, json_pack("{s:b}", "reset", 1));
	} else if (!strcmp(rq->method, "GET") && !strcmp(what, "list")) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < po.n; i++)
			json_array_append_new(arr, payout_json(&po.v[i]));
		resp_json(rs, 200, arr);
	} else {
		resp_error(rs, 404, "NOT_FOUND", "no such control API: %s %s", rq->method, rq->path);
	}
	pthread_mutex_unlock(&po.mu);
	json_decref(b);
}
