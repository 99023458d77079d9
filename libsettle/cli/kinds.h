/*
 * kinds.h — what each command-line value may be, named once and bound to
 * options in the programs' tables (cli.h).
 *
 * Rule: every check starts with strict UTF-8 and no control characters
 * (domain/validate.h validate_utf8_text), then the kind's own charset and
 * length; the message names the option and the exit code is the kind's.
 */
#ifndef SETTLE_CLI_KINDS_H
#define SETTLE_CLI_KINDS_H

#include "cli/cli.h"

/* Study Service ids (pods, users), payment ids: 1–64 of [A-Za-z0-9_.-]. 65. */
extern const struct cli_kind cli_kind_ref_id;
/* Order ids: 6–64 of [A-Za-z0-9_-] (Toss's rule). 65. */
extern const struct cli_kind cli_kind_order_id;
/* A PG's payment key (Toss paymentKey, NicePay tid): 1–200 of [A-Za-z0-9_-]. 65. */
extern const struct cli_kind cli_kind_payment_key;
/* An amount as typed: 1–24 of [0-9.]; money_parse checks the rest. 65. */
extern const struct cli_kind cli_kind_amount;
/* Free text sent to a PG (a refund reason): 1–100 bytes of UTF-8. 65. */
extern const struct cli_kind cli_kind_reason;
/* A UTC instant, 'YYYY-MM-DD HH:MM:SS' (a date that exists). 65. */
extern const struct cli_kind cli_kind_utc_time;
/* CARD, TRANSFER or VIRTUAL_ACCOUNT. 64. */
extern const struct cli_kind cli_kind_method;
/* A PG's registered name: 1–32 of [a-z0-9_-]; the registry knows which. 64. */
extern const struct cli_kind cli_kind_pg_name;
/* The configuration file: a non-empty path; config_load says the rest. 64. */
extern const struct cli_kind cli_kind_config_path;
/* An input file that must exist, be a regular file and be readable. 66. */
extern const struct cli_kind cli_kind_input_file;
/* An input directory that must exist. 66. */
extern const struct cli_kind cli_kind_input_dir;
/* A sealed ledger's head digest, "HEIGHT:HASH" (domain/seal.h). 64. */
extern const struct cli_kind cli_kind_seal_digest;

#endif
