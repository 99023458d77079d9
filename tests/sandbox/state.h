/*
 * state.h — the sandbox's memory: payments of both PGs, pods and
 * participations, the Toss idempotency cache and request counters.
 *
 * Rule: one mutex, st->mu, guards all of it. Handlers lock, look up,
 * change and build their answer, then unlock; no pointer into the
 * state survives the unlock.
 */
#ifndef SANDBOX_STATE_H
#define SANDBOX_STATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "faults.h"
#include "map.h"

enum pg_kind { PGK_TOSS = 1, PGK_NICEPAY = 2 };
enum pay_method { METHOD_CARD = 0, METHOD_TRANSFER, METHOD_VA };

/* Toss's status names; NicePay's are mapped from these in nicepay.c. */
enum pay_status {
	ST_IN_PROGRESS = 0,    /* window authenticated, waiting for confirm/approve */
	ST_WAITING_FOR_DEPOSIT,
	ST_DONE,
	ST_CANCELED,
	ST_PARTIAL_CANCELED,
	ST_ABORTED,
	ST_EXPIRED,
};

struct cancel_rec {
	int64_t amount;
	int64_t refundable;      /* balance left after this cancel */
	char reason[201];
	char at[32];
	char tx[48];             /* Toss transactionKey / NicePay cancelled tid */
	char cancel_order_id[72]; /* NicePay: the orderId sent with the cancel */
};

struct payment {
	enum pg_kind pg;
	char key[48];            /* Toss paymentKey / NicePay tid */
	char order_id[72];
	char order_name[128];
	char customer_name[64];
	enum pay_method method;
	enum pay_status status;
	int64_t total;
	int64_t balance;
	char currency[4];
	char requested_at[32];
	char approved_at[32];    /* "" until approved (for VA: until deposit) */
	char issued_at[32];      /* VA issued / NicePay approve call time */
	char last_tx[48];
	char secret[40];         /* Toss VA secret, "" otherwise */
	char approve_no[16];
	char va_number[32];
	char va_due[32];
	char failed_at[32];
	char failure_code[64];
	char failure_msg[256];
	char card_number[24];    /* "" = the usual truncated number; full_card sets a full one */
	struct cancel_rec *cancels;
	size_t ncancels;
};

struct pod {
	char pod_id[72];
	char leader_id[72];
	char title[256];
	int64_t fee;
	char currency[4];
	char status[16];
	int64_t capacity;
	int64_t participants;
	char starts_on[16];
	char ends_on[16];
	char completed_at[40];   /* "" = null */
};

/* One entry of the Study Service's completion log, in completion order;
 * its index + 1 is the cursor the completions endpoint hands out. */
struct completion {
	char pod_id[72];
	char completed_at[40];
};

struct participation {
	char pod_id[72];
	char user_id[72];
	char payment_id[136];
};

struct idem_entry {
	int status;
	size_t len;
	char body[];
};

struct op_counts {
	long requests[OP_COUNT];
	long executed[OP_COUNT];
};

struct state {
	pthread_mutex_t mu;
	struct smap by_key;      /* "t:"/"n:" + key -> struct payment (owned) */
	struct smap by_order;    /* "t:"/"n:" + orderId -> struct payment (borrowed) */
	struct smap idem;        /* Toss cache key -> struct idem_entry */
	struct smap pods;        /* podId -> struct pod */
	struct smap parts;       /* paymentId -> struct participation */
	struct smap order_stats; /* orderId or podId -> struct op_counts */
	struct op_counts totals;
	struct completion *completions; /* the completion log; kept by state_reset, like pods */
	size_t n_completions, cap_completions;
};

int state_init(struct state *st);
void state_free(struct state *st);
/* Forgets payments, idempotency, participations and counters; keeps pods. */
void state_reset(struct state *st);

struct payment *state_payment_by_key(struct state *st, enum pg_kind pg, const char *key);
struct payment *state_payment_by_order(struct state *st, enum pg_kind pg, const char *order_id);
/* Takes p on success. */
int state_add_payment(struct state *st, struct payment *p);
int payment_add_cancel(struct payment *p, const struct cancel_rec *c);

/* Counters: one call per request, one more if the operation ran. */
void state_count(struct state *st, enum sbx_op op, const char *order_id, int executed);

const struct idem_entry *state_idem_get(struct state *st, const char *key);
void state_idem_put(struct state *st, const char *key, int status, const char *body, size_t len);

#endif
