/*
 * tests/fakes/fakes.h — in-memory fakes of every port the payment use cases
 * compose (DESIGN.md §13: "fakes beside the real thing"), and a world that
 * wires them into one struct pay_ctx:
 *
 *	struct fake_world *fw = fake_world_new();
 *	const struct pay_ctx *c = &fw->ctx;
 *	...
 *	fake_world_free(fw);
 *
 * The fakes mirror the MySQL adapters' semantics (adapters/mysql/, one file each):
 * lock of a missing id is EX_DATAERR; find returns 1/0/-1; save writes the
 * mutable columns only; a payment owns its PG key only in the statuses
 * where payment_owns_key() is true, and a second owner of one (pg, key) is
 * a duplicate; one live place per pod and user; entry keys are unique;
 * claims are leases in the rows (claimed_until, claimed_by).
 *
 * All state lives in one struct fake_db of fixed-size arrays, so the fake
 * unit of work is a real transaction: it copies the state before fn and
 * puts the copy back when fn (or the injected commit failure) fails.
 *
 * Nothing here is global: each test builds its own world, so tests run in
 * parallel (Criterion --jobs).
 */
#ifndef SETTLE_TESTS_FAKES_H
#define SETTLE_TESTS_FAKES_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "app/payments/internal.h" /* pay_now, outcomes: the tests reach inside */
#include "domain/escrow.h"
#include "domain/journal.h"
#include "domain/postings.h"
#include "ports/seller_registry.h"
#include "ports/sellers_repo.h"

#define FAKE_MAX_PAYMENTS 64
#define FAKE_MAX_REFUNDS 64
#define FAKE_MAX_EVENTS 512
#define FAKE_MAX_ENTRIES 64
#define FAKE_MAX_HEALTH 256
#define FAKE_MAX_PODS 8
#define FAKE_MAX_LEADERS 16
#define FAKE_MAX_PGS 2
#define FAKE_MAX_SCRIPT 32
#define FAKE_MAX_CALLS 64
#define FAKE_TS 32 /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL; "" is SQL NULL */

/* ------------------------------------------------------------ the tables */

struct fake_payment_row {
	struct payment_rec rec;      /* stored columns; the derived ones are filled on read */
	char attempt_key[201];       /* the key the redirect brought */
	char owned_key[201];         /* payment_key column: set only while payment_owns_key() */
	char created_at[FAKE_TS];
	char updated_at[FAKE_TS];
	char claimed_until[FAKE_TS];
	char claimed_by[65];
	char card_masked[33];        /* "" is NULL */
	char card_issuer[17];
};

struct fake_refund_row {
	struct refund_rec rec;
	char updated_at[FAKE_TS];
	char claimed_until[FAKE_TS];
	char claimed_by[65];
};

struct fake_participation_row {
	struct participation_rec rec;
	char next_attempt_at[FAKE_TS];
	char done_at[FAKE_TS];
	char refused_at[FAKE_TS];
	char claimed_until[FAKE_TS];
	char claimed_by[65];
};

struct fake_event_row {
	int64_t payment_id;
	char from[32], to[32], actor[64], code[65], message[256], at[FAKE_TS];
};

struct fake_entry_row {
	char key[ENTRY_KEY_MAX];
	struct journal_entry entry;
	char at[FAKE_TS];
};

struct fake_health_row {
	char pg[16];
	int ok;
	char code[65];
	char at[FAKE_TS];
};

struct fake_probe_row {
	char pg[16];
	char probed_at[FAKE_TS];
};

struct fake_pod_row {
	struct study_pod pod;
	char refreshed_at[FAKE_TS];
};

/* A leader as the sellers repository sees it (the account in clear: a fake). */
struct fake_leader_row {
	struct seller_rec rec;
	char reg_at[FAKE_TS];
	char claimed_until[FAKE_TS];
	char claimed_by[65];
};

/* Everything a transaction may change: copied whole before a unit of work. */
/* An outbox note as the fake outbox keeps it (fake_outbox.c). */
struct fake_note_row {
	char key[160];
	char template_name[48];
	char recipient_kind[12];
	char recipient_id[65];
	struct outbox_fact facts[OUTBOX_FACTS_MAX];
	size_t n_facts;
};

#define FAKE_MAX_DISPUTES 8
/* An amount-tamper refusal as the fake keeps it (fake_refusals.c). */
struct fake_refusal_row {
	int64_t payment_id, asked, expected;
	char order_id[65], user_id[65], actor[65];
};

struct fake_db {
	struct fake_payment_row payments[FAKE_MAX_PAYMENTS];
	size_t n_payments;
	struct fake_refund_row refunds[FAKE_MAX_REFUNDS];
	size_t n_refunds;
	struct escrow escrows[FAKE_MAX_PAYMENTS];
	size_t n_escrows;
	struct fake_participation_row participation[FAKE_MAX_PAYMENTS];
	size_t n_participation;
	struct fake_event_row events[FAKE_MAX_EVENTS];
	size_t n_events;
	struct fake_entry_row entries[FAKE_MAX_ENTRIES];
	size_t n_entries;
	struct fake_health_row health[FAKE_MAX_HEALTH];
	size_t n_health;
	struct fake_probe_row probes[FAKE_MAX_PGS];
	size_t n_probes;
	struct fake_pod_row pods[FAKE_MAX_PODS];
	size_t n_pods;
	struct fake_leader_row leaders[FAKE_MAX_LEADERS];
	size_t n_leaders;
	struct fake_note_row notes[FAKE_MAX_PAYMENTS];
	size_t n_notes;
	struct dispute_rec disputes[FAKE_MAX_DISPUTES];
	size_t n_disputes;
	struct fake_refusal_row refusals[FAKE_MAX_PAYMENTS];
	size_t n_refusals;
	int64_t next_id; /* one sequence for every table's ids and public ids */
};

/* The shared state of the repositories: the tables, and failure injection. */
struct fake_store {
	struct fake_db db;
	/* > 0: the fail_write_in-th write from now fails (EX_SOFTWARE, "fake:
	 * injected failure"), once. Every insert, save, add_event, enqueue,
	 * record, post, claim, renew, release counts as a write. */
	int fail_write_in;
	int writes; /* writes seen (also those rolled back) */
	/* > 0: the next ledger post fails with a duplicate-key error. */
	int fail_next_post;
};

/* Counts a write; -1 with err when it is the one to fail. */
int fake_store_write(struct fake_store *s, const char *what, struct settle_err *err);

/* Time helpers shared by the fakes: SQL text <-> microseconds; "" and
 * "1970-01-01" are 0. */
int64_t fake_ts_us(const char *ts);

/* ------------------------------------------------------------ unit of work */

struct fake_uow {
	struct fake_store *store;
	/* > 0: the next N attempts fail at commit with a deadlock (1213-like,
	 * EX_TEMPFAIL) and are rolled back; the unit retries up to
	 * FAKE_UOW_ATTEMPTS attempts like the MySQL adapter. */
	int deadlocks;
	int runs;       /* uow_run calls */
	int attempts;   /* fn runs, retries included */
	int commits;
	int rollbacks;
	int depth;      /* > 0 inside fn: a nested run is a bug */
	int nested;     /* nested runs seen */
};

#define FAKE_UOW_ATTEMPTS 12

void fake_uow_port(struct uow_port *out, struct fake_uow *u);

/* ------------------------------------------------------------ repositories */

void fake_payments_repo(struct payments_repo *out, struct fake_store *s);
void fake_refunds_repo(struct refunds_repo *out, struct fake_store *s);
void fake_escrows_repo(struct escrows_repo *out, struct fake_store *s);
void fake_participation_repo(struct participation_repo *out, struct fake_store *s);
void fake_pods_repo(struct pods_repo *out, struct fake_store *s);
void fake_ledger_repo(struct ledger_repo *out, struct fake_store *s);
void fake_breaker_repo(struct breaker_repo *out, struct fake_store *s);
void fake_claims(struct claims_port *out, struct fake_store *s);
void fake_payment_queries(struct payment_queries *out, struct fake_store *s);
void fake_sellers_repo(struct sellers_repo *out, struct fake_store *s);
/* A leader with everything an INDIVIDUAL seller needs (or, complete = 0,
 * without a phone); NONE, no seller yet. */
struct fake_leader_row *fake_leader_add(struct fake_store *s, const char *leader_id, int complete);
struct fake_leader_row *fake_leader(struct fake_store *s, const char *leader_id);

/* Reads used by the fakes themselves and by tests (no tx, no lock). */
struct fake_payment_row *fake_payment_row(struct fake_store *s, int64_t id);
struct fake_refund_row *fake_refund_row(struct fake_store *s, int64_t id);
struct fake_participation_row *fake_participation_row(struct fake_store *s, int64_t payment_id);
struct escrow *fake_escrow_of(struct fake_store *s, int64_t payment_id);
/* A payment as find() returns it (derived fields filled). */
void fake_payment_view(struct fake_store *s, const struct fake_payment_row *row, struct payment_rec *out);

/* ------------------------------------------------------------ the clock */

struct fake_clock {
	int64_t now_us;
};

void fake_clock_port(struct clock_port *out, struct fake_clock *k);

/* ------------------------------------------------------------ the PG */

enum fake_pg_call { FAKE_PG_ANY = 0, FAKE_PG_CONFIRM, FAKE_PG_LOOKUP /* get_by_order */, FAKE_PG_GET_BY_KEY,
		    FAKE_PG_CANCEL };

struct fake_pg_answer {
	enum fake_pg_call call; /* FAKE_PG_ANY answers whatever comes */
	struct pg_result res;   /* payment_key and order_id are filled from the request when empty */
};

/* One request the PG got. */
struct fake_pg_request {
	enum fake_pg_call call;
	char payment_key[201];
	char order_id[65];
	char cancel_order_id[65];
	char idempotency_key[301];
	char order_date[9];
	int64_t amount;
	char currency[4];
};

struct fake_pg {
	char name[16];
	pthread_mutex_t lock;
	struct fake_pg_answer script[FAKE_MAX_SCRIPT];
	size_t n_script, next_answer;
	struct fake_pg_request calls[FAKE_MAX_CALLS];
	size_t n_calls;
	int unexpected; /* calls with no (matching) answer scripted: answered PG_IN_DOUBT */
	int opens, closes;
};

void fake_pg_init(struct fake_pg *pg, const char *name);
void fake_pg_destroy(struct fake_pg *pg);
/* Scripts the next answer. */
void fake_pg_push(struct fake_pg *pg, enum fake_pg_call call, const struct pg_result *res);
/* PG_OK with the PG's view: status, total, balance (KRW). */
void fake_pg_push_ok(struct fake_pg *pg, enum fake_pg_call call, enum pg_status st, int64_t total, int64_t balance);
void fake_pg_push_refused(struct fake_pg *pg, enum fake_pg_call call, const char *code);
void fake_pg_push_doubt(struct fake_pg *pg, enum fake_pg_call call);
/* Answers scripted but not yet asked for. */
size_t fake_pg_pending(struct fake_pg *pg);
/* The i-th request of kind call (FAKE_PG_ANY: any kind), or NULL. */
const struct fake_pg_request *fake_pg_request(struct fake_pg *pg, enum fake_pg_call call, size_t i);
size_t fake_pg_count(struct fake_pg *pg, enum fake_pg_call call);

struct fake_pg_directory {
	struct fake_pg *pgs;
	size_t n;
};

void fake_pg_directory_port(struct pg_directory *out, struct fake_pg_directory *d);

/* ------------------------------------------------------------ the seller registry */

enum fake_seller_call { FAKE_SELLER_ANY = 0, FAKE_SELLER_REGISTER, FAKE_SELLER_FIND, FAKE_SELLER_STATUS };

struct fake_seller_request {
	enum fake_seller_call call;
	char ref[65], key[97], seller_id[65], account[65];
};

/* Answers scripted in order (an unscripted call is SELLER_IN_DOUBT and
 * counted in unexpected); every call recorded. When arm is set, the next
 * call stores arm_value into *arm first (to make the unit of work after
 * the call fail, say). */
struct fake_seller_registry {
	struct seller_registry port;
	struct {
		enum fake_seller_call call;
		struct seller_result res;
	} script[FAKE_MAX_SCRIPT];
	size_t n_script, next_answer;
	struct fake_seller_request calls[FAKE_MAX_CALLS];
	size_t n_calls;
	int unexpected;
	int *arm, arm_value;
};

void fake_seller_registry_init(struct fake_seller_registry *g);
void fake_seller_push(struct fake_seller_registry *g, enum fake_seller_call call, enum seller_outcome o,
		      enum seller_status st, const char *seller_id, const char *code);
size_t fake_seller_count(const struct fake_seller_registry *g, enum fake_seller_call call);

/* ------------------------------------------------------------ the Study Service */

struct fake_study_call {
	char pod_id[65], user_id[65], payment_id[41];
};

struct fake_study {
	pthread_mutex_t lock;
	struct study_pod pods[FAKE_MAX_PODS];
	size_t n_pods;
	/* get_pod fails with this code while non-zero (EX_UNAVAILABLE …). */
	int get_pod_fails;
	/* confirm_participation answers, in order: 0 done, or an exit code
	 * (SETTLE_EX_DATAERR definite refusal, SETTLE_EX_UNAVAILABLE
	 * transient); done once the script runs out. */
	int script[FAKE_MAX_SCRIPT];
	size_t n_script, next_answer;
	struct fake_study_call calls[FAKE_MAX_CALLS];
	size_t n_calls;
};

void fake_study_init(struct fake_study *st);
void fake_study_destroy(struct fake_study *st);
void fake_study_port(struct study_port *out, struct fake_study *st);
/* Adds (or replaces) a pod: KRW, OPEN unless status is given. */
struct study_pod *fake_study_pod(struct fake_study *st, const char *pod_id, int64_t fee, int capacity,
				 int participants, const char *status);
void fake_study_push(struct fake_study *st, int code);

/* ------------------------------------------------------------ the world */

struct fake_world {
	struct fake_store store;
	struct fake_uow uow;
	struct fake_clock clock;
	struct fake_pg pg[FAKE_MAX_PGS]; /* "alpha" (default) and "beta" (fallback) */
	struct fake_pg_directory dir;
	struct fake_study study;

	struct uow_port uow_port;
	struct payments_repo payments;
	struct refunds_repo refunds;
	struct escrows_repo escrows;
	struct participation_repo participation;
	struct pods_repo pods;
	struct ledger_repo ledger;
	struct breaker_repo breaker;
	struct claims_port claims;
	struct payment_queries queries;
	struct clock_port clock_port;
	struct pg_directory pg_dir;
	struct study_port study_port;
	struct outbox_port outbox;
	struct disputes_repo disputes;
	struct amount_refusals_repo refusals;

	struct pay_ctx ctx;
};

/* A world at 2026-11-24 10:00:00 UTC with one OPEN pod "pod-1" (fee 50000
 * KRW, capacity 10), PGs "alpha" (default) and "beta" (fallback), and the
 * default settings except sweep_concurrency 1 (scripted answers in order). */
struct fake_world *fake_world_new(void);
void fake_world_free(struct fake_world *fw);
void fake_world_advance(struct fake_world *fw, int64_t seconds);

#define FAKE_T0_US 1795514400000000LL /* 2026-11-24 10:00:00 UTC */

/* Conveniences for tests: an order (PENDING) for pod and user, and a
 * payment captured through pay_capture with the PG scripted to say DONE.
 * Both assert success. */
void fake_world_order(struct fake_world *fw, const char *pod_id, const char *user_id, struct payment_rec *out);
void fake_world_captured(struct fake_world *fw, const char *pod_id, const char *user_id, const char *payment_key,
			 struct payment_rec *out);

/* Re-reads a payment / refund by id (derived fields filled); asserts it exists. */
struct payment_rec fake_world_payment(struct fake_world *fw, int64_t id);
struct refund_rec fake_world_refund(struct fake_world *fw, int64_t id);
/* The posted entry with this key, or NULL. */
const struct fake_entry_row *fake_world_entry(struct fake_world *fw, const char *key);
/* Balance of an account over every posted entry. */
int64_t fake_world_balance(struct fake_world *fw, const char *account);
/* Every posted entry passes journal_check. */
int fake_world_ledger_ok(struct fake_world *fw, struct settle_err *err);

/* The outbox in memory: one note per key, rolled back with the unit. */
void fake_outbox(struct outbox_port *out, struct fake_store *s);
/* The note with this key, or NULL; a fact of it, or NULL. */
const struct fake_note_row *fake_note(const struct fake_store *s, const char *key);
const char *fake_note_fact(const struct fake_note_row *n, const char *name);
/* Notes of a template. */
size_t fake_notes_of(const struct fake_store *s, const char *template_name);

/* Disputes in memory (adapters/mysql/disputes_repo.c): one open dispute
 * per escrow; steps counted as writes only. */
void fake_disputes_repo(struct disputes_repo *out, struct fake_store *s);
/* The amount-tamper refusals in memory. */
void fake_amount_refusals(struct amount_refusals_repo *out, struct fake_store *s);

#endif
