/*
 * faults.c — the armed-fault list behind POST/DELETE /_sandbox/faults.
 *
 * Rule: everything here runs under f->mu; callers may already hold the
 * state mutex (the lock order is always state, then faults).
 */
#include "faults.h"

#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

const char *op_name(enum sbx_op op)
{
	static const char *const names[OP_COUNT] = {
		"confirm", "cancel", "get", "netcancel", "study_get", "study_confirm", "payout", "payout_get", "seller", "einvoice", "einvoice_get",
	};

	return (unsigned)op < OP_COUNT ? names[op] : "?";
}

const char *fault_kind_name(enum fault_kind k)
{
	switch (k) {
	case FAULT_DELAY: return "delay";
	case FAULT_HTTP500: return "http500";
	case FAULT_MALFORMED: return "malformed";
	case FAULT_REFUSE: return "refuse";
	case FAULT_DROP: return "drop_after_commit";
	case FAULT_UNDECRYPTABLE: return "undecryptable";
	case FAULT_FULL_CARD: return "full_card";
	default: return "none";
	}
}

static const char *const fop_names[] = {"any",    "confirm", "cancel",  "get",      "netcancel",   "study",
					"payout", "payout_get", "seller", "einvoice", "einvoice_get"};

int faults_init(struct faults *f)
{
	memset(f, 0, sizeof *f);
	return pthread_mutex_init(&f->mu, NULL) ? -1 : 0;
}

void faults_free(struct faults *f)
{
	free(f->v);
	f->v = NULL;
	pthread_mutex_destroy(&f->mu);
}

void faults_clear(struct faults *f)
{
	pthread_mutex_lock(&f->mu);
	f->n = 0;
	pthread_mutex_unlock(&f->mu);
}

static int bad(char *why, size_t len, const char *msg)
{
	copy_str(why, len, msg);
	return -1;
}

int faults_add(struct faults *f, const json_t *spec, char *why, size_t why_len)
{
	struct fault nf = {.count = 1};
	const char *s;
	int64_t n;
	int rc = 0;

	s = json_str_field(spec, "fault");
	if (!s)
		return bad(why, why_len, "fault is required");
	for (int k = FAULT_DELAY; k <= FAULT_FULL_CARD; k++)
		if (!strcmp(s, fault_kind_name(k)))
			nf.kind = k;
	if (nf.kind == FAULT_NONE)
		return bad(why, why_len, "fault must be delay, http500, malformed, refuse, drop_after_commit, undecryptable or full_card");
	s = json_str_field(spec, "op");
	if (s) {
		size_t i;

		for (i = 0; i < sizeof fop_names / sizeof fop_names[0]; i++)
			if (!strcmp(s, fop_names[i]))
				break;
		if (i == sizeof fop_names / sizeof fop_names[0])
			return bad(why, why_len, "op must be confirm, cancel, get, netcancel, study, payout, payout_get, einvoice, einvoice_get or any");
		nf.op = (enum fault_op)i;
	}
	if ((s = json_str_field(spec, "orderId")) && copy_str(nf.order_id, sizeof nf.order_id, s))
		return bad(why, why_len, "orderId is too long");
	if ((s = json_str_field(spec, "podId")) && copy_str(nf.pod_id, sizeof nf.pod_id, s))
		return bad(why, why_len, "podId is too long");
	if ((s = json_str_field(spec, "code")) && copy_str(nf.code, sizeof nf.code, s))
		return bad(why, why_len, "code is too long");
	if ((s = json_str_field(spec, "message")))
		copy_str(nf.message, sizeof nf.message, s); /* a cut message is still a message */
	if ((rc = json_int_field(spec, "count", &n)) < 0 || (rc && (n == 0 || n < -1)))
		return bad(why, why_len, "count must be a positive integer or -1");
	if (rc)
		nf.count = (long)n;
	if ((rc = json_int_field(spec, "status", &n)) < 0 || (rc && (n < 100 || n > 599)))
		return bad(why, why_len, "status must be an HTTP status");
	if (rc)
		nf.status = (int)n;
	nf.delay_ms = 3000;
	if ((rc = json_int_field(spec, "delayMs", &n)) < 0 || (rc && (n < 0 || n > 600000)))
		return bad(why, why_len, "delayMs must be 0..600000");
	if (rc)
		nf.delay_ms = (int)n;

	pthread_mutex_lock(&f->mu);
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct fault *v = realloc(f->v, cap * sizeof *v);

		if (!v) {
			pthread_mutex_unlock(&f->mu);
			return bad(why, why_len, "out of memory");
		}
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = nf;
	pthread_mutex_unlock(&f->mu);
	return 0;
}

static int op_matches(enum fault_op fop, enum sbx_op op)
{
	switch (fop) {
	case FOP_ANY: return 1;
	case FOP_CONFIRM: return op == OP_CONFIRM;
	case FOP_CANCEL: return op == OP_CANCEL;
	case FOP_GET: return op == OP_GET;
	case FOP_NETCANCEL: return op == OP_NETCANCEL;
	case FOP_STUDY: return op == OP_STUDY_GET || op == OP_STUDY_CONFIRM;
	case FOP_PAYOUT: return op == OP_PAYOUT;
	case FOP_PAYOUT_GET: return op == OP_PAYOUT_GET;
	case FOP_SELLER: return op == OP_SELLER;
	case FOP_EINVOICE: return op == OP_EINVOICE;
	case FOP_EINVOICE_GET: return op == OP_EINVOICE_GET;
	}
	return 0;
}

int faults_take(struct faults *f, enum sbx_op op, const char *order_id, const char *pod_id,
		struct fault *out)
{
	int hit = 0;

	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < f->n; i++) {
		struct fault *x = &f->v[i];

		if (!op_matches(x->op, op))
			continue;
		if (x->order_id[0] && (!order_id || strcmp(x->order_id, order_id)))
			continue;
		if (x->pod_id[0] && (!pod_id || strcmp(x->pod_id, pod_id)))
			continue;
		*out = *x;
		hit = 1;
		if (x->count > 0 && --x->count == 0) {
			memmove(x, x + 1, (f->n - i - 1) * sizeof *x);
			f->n--;
		}
		break;
	}
	pthread_mutex_unlock(&f->mu);
	return hit;
}

json_t *faults_json(struct faults *f)
{
	json_t *arr = json_array();

	if (!arr)
		return NULL;
	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < f->n; i++) {
		const struct fault *x = &f->v[i];
		json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:s?, s:s?, s:i, s:i}",
				      "fault", fault_kind_name(x->kind), "op", fop_names[x->op],
				      "orderId", x->order_id[0] ? x->order_id : NULL,
				      "podId", x->pod_id[0] ? x->pod_id : NULL,
				      "count", (json_int_t)x->count,
				      "code", x->code[0] ? x->code : NULL,
				      "message", x->message[0] ? x->message : NULL,
				      "status", x->status, "delayMs", x->delay_ms);

		if (json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&f->mu);
	return arr;
}
