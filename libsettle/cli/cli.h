/*
 * cli.h — the command line every settle program shares (DESIGN.md §9):
 * --help, --version, --config, --json, --dry-run, -q, -v; options bound to
 * their storage and checked by kind; sysexits exit codes; one-line errors.
 *
 * A program is a spec (its options, its arguments or commands, the wiring
 * that opens what it needs, its exit codes) and one function: main is
 * `return cli_run(&spec, argc, argv, run, &a);`. cli_run parses and checks
 * every text argument, opens through the wiring (wire/), calls run, prints
 * the error when there is one (terminal-safe), closes, and returns the exit
 * status.
 *
 * Rule: every option and argument that takes text names a kind
 * (cli/kinds.h), and its value is checked — valid UTF-8, the kind's charset
 * and length — before anything is opened, so no database or PG call ever
 * sees unchecked command-line text. A program returns only the exit codes
 * its spec lists, which are its man page's.
 */
#ifndef SETTLE_CLI_H
#define SETTLE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "domain/err.h"

struct config;
struct db;
struct cli;

/* How a value is checked. code is the exit status of a refusal: 64 when
 * the value is outside the option's fixed vocabulary (usage), 65 when it is
 * data that does not have the documented form, 66 for a missing input. */
struct cli_kind {
	const char *name;
	int (*check)(const struct cli_kind *kind, const char *field, const char *value, struct settle_err *err);
	int code;
};

enum cli_type { CLI_TYPE_STRING, CLI_TYPE_BOOL, CLI_TYPE_COUNT, CLI_TYPE_LIST };

/* A repeatable text option ("--pod A --pod B"). */
#define CLI_LIST_MAX 64
struct cli_list {
	const char *v[CLI_LIST_MAX];
	size_t n;
};

struct cli_option {
	const char *name;             /* long name without "--" */
	char short_name;              /* 0 when none */
	const char *arg;              /* argument name for --help; NULL for a flag */
	enum cli_type type;
	void *value;                  /* const char ** (string), int * (bool, count), struct cli_list * (list) */
	const struct cli_kind *kind;  /* strings and lists; required */
	const char *help;
};

/* The casts check the storage's type at compile time. */
#define CLI_STRING(name, short_name, arg, ptr, kind, help)                                                  \
	{ (name), (short_name), (arg), CLI_TYPE_STRING, (void *)(1 ? (ptr) : (const char **)0), (kind), (help) }
#define CLI_BOOL(name, short_name, ptr, help) \
	{ (name), (short_name), NULL, CLI_TYPE_BOOL, (1 ? (ptr) : (int *)0), NULL, (help) }
#define CLI_COUNT(name, short_name, ptr, help) \
	{ (name), (short_name), NULL, CLI_TYPE_COUNT, (1 ? (ptr) : (int *)0), NULL, (help) }
#define CLI_LIST(name, short_name, arg, ptr, kind, help)                                                    \
	{ (name), (short_name), (arg), CLI_TYPE_LIST, (1 ? (ptr) : (struct cli_list *)0), (kind), (help) }
#define CLI_END { 0 }

/* What a program opens before its function runs (wire/: the config, the
 * database, the payments ports), and closes after it on every path.
 * close must accept what a failed open left half done. */
struct cli_wiring {
	int (*open)(struct cli *cli, struct settle_err *err);
	void (*close)(struct cli *cli);
};

typedef int (*cli_fn)(struct cli *cli, void *args, struct settle_err *err);

/* A subcommand of a program that has them (settle-db): its verb, its
 * function, how many arguments of which kind, what it needs opened. */
struct cli_command {
	const char *verb;
	cli_fn fn;
	int nargs;
	const char *arg_name;          /* "FILE" */
	const struct cli_kind *arg_kind;
	const struct cli_wiring *wiring; /* what it opens; NULL: nothing */
};

struct cli_spec {
	const char *name;        /* program name */
	const char *usage;       /* "[options] ORDER" after the name */
	const char *summary;     /* one line */
	const struct cli_option *options; /* program options, ended by CLI_END */
	bool dry_run;            /* the program honours --dry-run */
	const struct cli_wiring *wiring; /* what it opens (wire/); NULL: nothing, or per command */
	/* Positional arguments (programs without commands). */
	const char *arg_name;    /* "PAYMENT_ID" */
	const struct cli_kind *arg_kind;
	int min_args, max_args;
	/* Subcommands (first positional argument is the verb), ended by {0}. */
	const struct cli_command *commands;
	/* The exit statuses the man page's EXIT STATUS lists, ended by -1;
	 * --help prints them and cli_run returns no other (see cli_exit_code). */
	const int *exit_codes;
	/* Rules across options ("--sweep takes no --order"); no I/O. */
	int (*check)(const struct cli *cli, void *args, struct settle_err *err);
};

struct cli {
	const struct cli_spec *spec;
	const struct cli_command *command; /* the verb given, when the spec has commands */
	const char *config_path;
	bool json, dry_run;
	int verbosity; /* -1 quiet, 0 normal, 1+ verbose */
	bool tty;      /* stdout is a terminal: human tables */
	char **args;   /* positional arguments (after the verb, if any) */
	int nargs;
	/* Filled by the wiring (wire/), opaque here. */
	struct config *cfg;
	struct db *db;
	void *wired;   /* what a wiring beyond config and database built */
	/* For the wiring's close: how the run ended (exit status and error
	 * line), and what a batch job did ("released=3 total=150000"). */
	int status;
	const char *message;
	char job_counts[256];
	int64_t job_run_id;
};

/* The whole life of a program; returns its exit status. */
int cli_run(const struct cli_spec *spec, int argc, char **argv, cli_fn fn, void *args);

/* Prints "prog: message" (made terminal-safe) on stderr and returns the
 * exit status to use, one of DESIGN.md §9's codes. */
int cli_fail(const struct cli *cli, const struct settle_err *err);
/* The status a program returns for code: the finer sysexits an adapter may
 * set fold into DESIGN.md §9's eight, then into the program's own list:
 * "try again" (75) is "unavailable" (69) for a program that leaves nothing
 * in doubt, "missing input" (66) is "bad data" (65) for one that reads no
 * file, and anything else undocumented is an internal error (70). */
int cli_exit_code(const struct cli_spec *spec, int code);

#endif
