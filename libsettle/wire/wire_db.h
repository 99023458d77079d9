/*
 * wire_db.h — the configuration and the database a program opens, as
 * struct cli_wiring values for its spec: .wiring = &wire_db.
 *
 * Rule: cli/ knows argv and output only; what a program opens from
 * settle.conf is wired here, and closed here, on every exit path.
 */
#ifndef SETTLE_WIRE_DB_H
#define SETTLE_WIRE_DB_H

#include "cli/cli.h"

/* The config alone; the config and the database it names; the same with
 * multi-statement scripts allowed (migrations). */
extern const struct cli_wiring wire_config, wire_db, wire_db_admin;

/* Each loads or opens once (later calls return 0); for wirings that build
 * on them. */
int wire_load_config(struct cli *cli, struct settle_err *err);
int wire_open_db(struct cli *cli, struct settle_err *err);
/* Closes the database and frees the config (NULL-safe). */
void wire_close_db(struct cli *cli);

#endif
