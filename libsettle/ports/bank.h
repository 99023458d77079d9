/*
 * ports/bank.h — the way money leaves settle for a leader's account.
 * Adapters: Toss payouts v2 (the leader is a registered seller; bodies are
 * JWE), and a bulk-transfer file for a bank's web portal whose result file
 * is imported later. Use cases never name one: adapters register by name
 * like the PGs.
 *
 * Rule: as with the PG port, every call answers with a definite outcome
 * (BANK_OK, BANK_REFUSED) or BANK_IN_DOUBT, which means "ask later" and
 * must never be read as a failure: a payout in doubt is looked up by its
 * idempotency key, never sent again blind.
 */
#ifndef SETTLE_PORTS_BANK_H
#define SETTLE_PORTS_BANK_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

enum bank_outcome { BANK_OK = 0, BANK_REFUSED = 1, BANK_IN_DOUBT = 2 };

/* Where a payout is, as the bank or PG tells it. */
enum bank_status {
	BANK_ST_UNKNOWN = 0,
	BANK_ST_ACCEPTED,  /* taken (REQUESTED / IN_PROGRESS, or the file handed over): the money has not left yet */
	BANK_ST_PAID,      /* the money left (COMPLETED, or "paid" in a result file) */
	BANK_ST_FAILED,    /* definitely not paid (FAILED, CANCELED, REJECTED) */
	BANK_ST_RETURNED,  /* paid, then returned by the receiving bank */
	BANK_ST_NOT_FOUND, /* the bank has no such payout */
};

/* One payout as a bank needs it. Strings are borrowed for the call. */
struct payout_order {
	const char *payout_id;       /* settle's public id, "pyo_…"; Toss refPayoutId */
	const char *idempotency_key; /* "payout:{payout_id}": derived, never random */
	const char *leader_id;
	const char *seller_id;       /* Toss payouts: the leader's seller id; "" for a bank file */
	const char *bank_code;       /* 3 digits */
	const char *account;         /* decrypted for this call only; never logged */
	const char *holder;
	int64_t amount;              /* what leaves: gross − withholding */
	const char *currency;
	const char *memo;            /* shown on the leader's statement */
};

struct bank_result {
	enum bank_outcome outcome;
	enum bank_status status;
	char reference[129];  /* the bank's id for the payout (Toss payout id, file name + line) */
	char code[64];        /* error or status code, "" on success */
	char message[256];    /* one line */
};

struct bank_port {
	void *self;
	const char *name;     /* "toss-payouts", "bulk-file" */
	size_t max_batch;     /* payouts per send() (Toss: 100) */
	/* The ledger account the money leaves from when it is paid: "bank"
	 * for a bank transfer, "pg_clearing" when a PG pays sellers out of
	 * what it owes the merchant (Toss payouts). */
	const char *source_account;
	/* What a payee needs for this channel: 1 a bank account, 0 a seller id. */
	int needs_account;
	/* Sends n ≤ max_batch payouts at once; results[i] answers orders[i].
	 * Always fills every result. */
	void (*send)(void *self, const struct payout_order *orders, size_t n, struct bank_result *results);
	/* May this payee receive a payout now (Toss: a seller PARTIALLY_APPROVED
	 * or APPROVED)? 1 yes; 0 no, res->code and message say why; -1 the
	 * bank could not say (ask again later). NULL: always. */
	int (*payee_ready)(void *self, const struct payout_order *order, struct bank_result *res);
	/* Asks where one payout is (by its id / idempotency key). */
	void (*status)(void *self, const struct payout_order *order, struct bank_result *res);
	void (*destroy)(void *self);
};

/* The banks this installation configured, by name (like ports/pg_directory.h). */
struct bank_directory {
	void *self;
	/* Index of a configured bank by name, or -1. */
	int (*find)(void *self, const char *name);
	/* A new client of the i-th bank, or NULL with err. */
	struct bank_port *(*open)(void *self, size_t i, struct settle_err *err);
	void (*close)(void *self, struct bank_port *bank);
};

#endif
