/*
 * faults.h — injected failures for tests: a list of armed faults, each
 * matching an operation and optionally one orderId or podId.
 *
 * Rule: a request consumes at most one fault, the first armed one that
 * matches, and only through faults_take(), so counts stay exact even with
 * several server threads.
 */
#ifndef SANDBOX_FAULTS_H
#define SANDBOX_FAULTS_H

#include <pthread.h>
#include <stddef.h>

#include <jansson.h>

enum fault_kind {
	FAULT_NONE = 0,
	FAULT_DELAY,     /* commit, then sleep delay_ms before answering */
	FAULT_HTTP500,   /* answer 500 and do nothing */
	FAULT_MALFORMED, /* commit, answer 200 with broken JSON */
	FAULT_REFUSE,    /* do nothing (a confirm marks the payment aborted), answer a PG refusal */
	FAULT_DROP,      /* commit, close the connection without an answer */
	FAULT_UNDECRYPTABLE, /* Toss payouts: commit, answer 200 with a JWE made with another key */
	FAULT_FULL_CARD, /* confirm: approve, but the card number in this and every later answer is not
			  * truncated (a PG breaking PCI DSS: settle must not keep or log it) */
};

enum sbx_op {
	OP_CONFIRM = 0,
	OP_CANCEL,
	OP_GET,
	OP_NETCANCEL,
	OP_STUDY_GET,
	OP_STUDY_CONFIRM,
	OP_PAYOUT,       /* Toss payouts: POST /v2/payouts */
	OP_PAYOUT_GET,   /* Toss payouts: GET /v2/payouts, GET /v2/sellers, GET /v2/sellers/{id} */
	OP_SELLER,       /* Toss payouts: POST /v2/sellers */
	OP_EINVOICE,     /* e-invoice provider: registIssue */
	OP_EINVOICE_GET, /* e-invoice provider: getInfo */
	OP_COUNT,
};

enum fault_op { FOP_ANY = 0, FOP_CONFIRM, FOP_CANCEL, FOP_GET, FOP_NETCANCEL, FOP_STUDY, FOP_PAYOUT, FOP_PAYOUT_GET,
	FOP_SELLER, FOP_EINVOICE, FOP_EINVOICE_GET };

struct fault {
	enum fault_kind kind;
	enum fault_op op;
	char order_id[72];  /* "" = any order */
	char pod_id[72];    /* "" = any pod */
	long count;         /* remaining; -1 = until cleared */
	char code[64];      /* refuse: PG code, "" = the PG's default */
	char message[256];
	int status;         /* refuse: HTTP status, 0 = the PG's default */
	int delay_ms;
};

struct faults {
	pthread_mutex_t mu;
	struct fault *v;
	size_t n, cap;
};

const char *op_name(enum sbx_op op);
const char *fault_kind_name(enum fault_kind k);

int faults_init(struct faults *f);
void faults_free(struct faults *f);
void faults_clear(struct faults *f);
/* Parses and arms one fault from the control API body. 0, or -1 with why. */
int faults_add(struct faults *f, const json_t *spec, char *why, size_t why_len);
/* 1 and a copy in *out when a fault matched (one count consumed), else 0. */
int faults_take(struct faults *f, enum sbx_op op, const char *order_id, const char *pod_id,
		struct fault *out);
json_t *faults_json(struct faults *f);

#endif
