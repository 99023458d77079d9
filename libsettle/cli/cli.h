/*
 * cli.h — the command-line conventions every settle program shares
 * (DESIGN.md §9): --help, --version, --config, --json, --dry-run, -q, -v,
 * sysexits exit codes, and one-line errors on stderr.
 *
 * Rule: a cmd/ main parses with cli_parse, wires adapters with cli_open_*,
 * calls one use case, prints, and returns cli_exit(); nothing else.
 */
#ifndef SETTLE_CLI_H
#define SETTLE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "domain/err.h"

struct config;
struct db;

struct cli_option {
	const char *name;     /* long name without "--" */
	char short_name;      /* 0 when none */
	const char *arg;      /* argument name for help, NULL for a flag */
	int id;               /* passed to the handler */
	const char *help;
};

struct cli_spec {
	const char *name;        /* program name */
	const char *usage;       /* "[options] ORDER" after the name */
	const char *summary;     /* one line */
	const struct cli_option *options; /* program options, ended by {0} */
	bool dry_run;            /* the program honours --dry-run */
};

struct cli {
	const struct cli_spec *spec;
	const char *config_path;
	bool json, dry_run;
	int verbosity; /* -1 quiet, 0 normal, 1+ verbose */
	bool tty;      /* stdout is a terminal: human tables */
	struct config *cfg;
	struct db *db;
};

typedef int (*cli_option_fn)(void *arg, int id, const char *value, struct settle_err *err);

/*
 * Parses argv. Returns the index of the first positional argument, or:
 * -2 when --help/--version was printed (exit 0), -1 on a usage error (err
 * set, code EX_USAGE).
 */
int cli_parse(struct cli *cli, const struct cli_spec *spec, int argc, char **argv, cli_option_fn fn, void *arg,
	      struct settle_err *err);

/* Loads the config; then opens the database it names. */
int cli_load_config(struct cli *cli, struct settle_err *err);
int cli_open_db(struct cli *cli, struct settle_err *err);

/* Prints "prog: message" to stderr (and an error event in the log) and
 * returns the exit code to use. */
int cli_fail(const struct cli *cli, const struct settle_err *err);
void cli_close(struct cli *cli);

/* JSON-escapes s into out (for programs printing small JSON by hand). */
void cli_json_string(FILE *out, const char *s);

#endif
