/* cli.c — getopt_long over the shared options and each program's table, and the runner. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/kinds.h"
#include "util/log.h"
#include "util/termsafe.h"

#define MAX_OPTIONS 48

/* The options every program has, bound to the struct cli being parsed. */
struct common {
	const char *config;
	int json, dry_run, quiet, verbose, help, version;
};

static void common_options(struct cli_option *o, struct common *c, bool dry_run)
{
	const struct cli_option all[] = {
		CLI_STRING("config", 0, "FILE", &c->config, &cli_kind_config_path,
			   "configuration file (default $SETTLE_CONFIG, /etc/settle/settle.conf)"),
		CLI_BOOL("json", 0, &c->json, "machine-readable output"),
		CLI_BOOL("dry-run", 0, &c->dry_run, "compute and print; commit nothing"),
		CLI_BOOL("quiet", 'q', &c->quiet, "only errors on stderr"),
		CLI_COUNT("verbose", 'v', &c->verbose, "more log lines (repeat for debug)"),
		CLI_BOOL("help", 'h', &c->help, "this help"),
		CLI_BOOL("version", 0, &c->version, "print the version"),
		CLI_END,
	};
	size_t n = 0;

	for (size_t i = 0; all[i].name; i++)
		if (dry_run || strcmp(all[i].name, "dry-run"))
			o[n++] = all[i];
	o[n] = (struct cli_option)CLI_END;
}

static void print_options(FILE *out, const struct cli_option *o)
{
	for (; o && o->name; o++) {
		char left[64];

		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-28s %s\n", left, o->help);
	}
}

static void help(const struct cli_spec *spec, const struct cli_option *common)
{
	printf("Usage: %s %s\n%s\n\nOptions:\n", spec->name, spec->usage, spec->summary);
	print_options(stdout, spec->options);
	print_options(stdout, common);
	printf("\nExit status:");
	for (const int *c = spec->exit_codes; c && *c >= 0; c++)
		printf(" %d", *c);
	printf(" (see %s(1)).\n", spec->name);
}

/* The option a getopt result stands for: long options arrive as their index
 * (+256, so they never look like a letter), short ones as their letter. */
static const struct cli_option *find_option(const struct cli_option *const *tables, int c)
{
	int idx = 256;

	for (size_t t = 0; t < 2; t++)
		for (const struct cli_option *o = tables[t]; o && o->name; o++, idx++)
			if (c == idx || (c < 256 && c == o->short_name))
				return o;
	return NULL;
}

static int take(const struct cli_option *o, const char *value, struct settle_err *err)
{
	char field[80];

	switch (o->type) {
	case CLI_TYPE_STRING:
		if (!o->kind) /* a programming error: every text option is checked */
			return err_set(err, SETTLE_EX_SOFTWARE, "option --%s has no kind", o->name);
		snprintf(field, sizeof field, "--%s", o->name);
		if (o->kind->check(o->kind, field, value, err) < 0)
			return -1;
		*(const char **)o->value = value;
		return 0;
	case CLI_TYPE_LIST: {
		struct cli_list *l = o->value;

		if (!o->kind)
			return err_set(err, SETTLE_EX_SOFTWARE, "option --%s has no kind", o->name);
		snprintf(field, sizeof field, "--%s", o->name);
		if (o->kind->check(o->kind, field, value, err) < 0)
			return -1;
		if (l->n == CLI_LIST_MAX)
			return err_set(err, SETTLE_EX_USAGE, "--%s is given more than %d times", o->name, CLI_LIST_MAX);
		l->v[l->n++] = value;
		return 0;
	}
	case CLI_TYPE_BOOL:
		*(int *)o->value = 1;
		return 0;
	case CLI_TYPE_COUNT:
		(*(int *)o->value)++;
		return 0;
	}
	return err_set(err, SETTLE_EX_SOFTWARE, "option --%s has no type", o->name);
}

/* Returns the index of the first positional argument; -2 after --help or
 * --version; -1 with err set. */
static int parse(struct cli *cli, const struct cli_spec *spec, int argc, char **argv, struct settle_err *err)
{
	struct cli_option common[10];
	const struct cli_option *tables[2] = {spec->options, common};
	struct option lo[MAX_OPTIONS + 1];
	char shorts[2 * MAX_OPTIONS + 1];
	size_t n = 0, ns = 0;
	struct common c = {0};
	int ch;

	common_options(common, &c, spec->dry_run);
	for (size_t t = 0; t < 2; t++) {
		for (const struct cli_option *o = tables[t]; o && o->name; o++) {
			if (n == MAX_OPTIONS)
				return err_set(err, SETTLE_EX_SOFTWARE, "too many options");
			lo[n] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, (int)(256 + n)};
			n++;
			if (o->short_name) {
				shorts[ns++] = o->short_name;
				if (o->arg)
					shorts[ns++] = ':';
			}
		}
	}
	memset(&lo[n], 0, sizeof lo[n]);
	shorts[ns] = '\0';
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const struct cli_option *o;
		char bad[96];

		if (ch == '?' || ch == ':') {
			const char *arg = argv[optind - 1];

			if (optopt && optopt < 256 && strchr(shorts, optopt) == NULL)
				return err_set(err, SETTLE_EX_USAGE, "unknown option -%c (see --help)", optopt);
			term_escape(bad, sizeof bad, arg ? arg : "?");
			if (ch == ':' || (arg && strchr(arg, '=') == NULL && optopt))
				return err_set(err, SETTLE_EX_USAGE, "option %s needs a value (see --help)", bad);
			return err_set(err, SETTLE_EX_USAGE, "unknown option %s (see --help)", bad);
		}
		o = find_option(tables, ch);
		if (!o)
			return err_set(err, SETTLE_EX_SOFTWARE, "option %d has no entry", ch);
		if (take(o, optarg, err) < 0)
			return -1;
		if (c.help) {
			help(spec, common);
			return -2;
		}
		if (c.version) {
			printf("%s (settle) %s\n", spec->name, SETTLE_VERSION);
			return -2;
		}
	}
	cli->config_path = c.config;
	cli->json = c.json;
	cli->dry_run = c.dry_run;
	cli->verbosity = c.quiet ? -1 : c.verbose;
	return optind;
}

static int check_args(struct cli *cli, const char *name, const struct cli_kind *kind, struct settle_err *err)
{
	for (int i = 0; i < cli->nargs; i++) {
		if (!kind)
			return err_set(err, SETTLE_EX_SOFTWARE, "%s has no kind", name);
		if (kind->check(kind, name, cli->args[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Positional arguments: counted, then each checked by its kind. */
static int positional(struct cli *cli, const struct cli_spec *spec, int argc, char **argv, int first,
		      struct settle_err *err)
{
	cli->args = argv + first;
	cli->nargs = argc - first;
	if (spec->commands) {
		char verbs[256] = "";

		for (const struct cli_command *c = spec->commands; c->verb; c++)
			snprintf(verbs + strlen(verbs), sizeof verbs - strlen(verbs), "%s%s", c == spec->commands ? "" :
				 c[1].verb ? ", " : " or ", c->verb);
		if (cli->nargs == 0)
			return err_set(err, SETTLE_EX_USAGE, "missing command: %s", verbs);
		for (const struct cli_command *c = spec->commands; c->verb; c++)
			if (!strcmp(c->verb, cli->args[0]))
				cli->command = c;
		if (!cli->command)
			return err_set(err, SETTLE_EX_USAGE, "unknown command '%.64s': %s", cli->args[0], verbs);
		cli->args++;
		cli->nargs--;
		if (cli->nargs != cli->command->nargs)
			return cli->command->nargs ? err_set(err, SETTLE_EX_USAGE, "%s takes one %s", cli->command->verb,
							     cli->command->arg_name)
						   : err_set(err, SETTLE_EX_USAGE, "%s takes no arguments",
							     cli->command->verb);
		return check_args(cli, cli->command->arg_name, cli->command->arg_kind, err);
	}
	if (cli->nargs > spec->max_args && spec->max_args == 0)
		return err_set(err, SETTLE_EX_USAGE, "unexpected argument '%.64s'", cli->args[0]);
	if (cli->nargs < spec->min_args || cli->nargs > spec->max_args)
		return err_set(err, SETTLE_EX_USAGE, "give %s %s", spec->min_args == spec->max_args ? "exactly one" : "one",
			       spec->arg_name);
	return check_args(cli, spec->arg_name, spec->arg_kind, err);
}

static int documented(const struct cli_spec *spec, int code)
{
	if (!spec || !spec->exit_codes)
		return 1;
	for (const int *c = spec->exit_codes; *c >= 0; c++)
		if (*c == code)
			return 1;
	return 0;
}

int cli_exit_code(const struct cli_spec *spec, int code)
{
	switch (code) {
	case SETTLE_OK:
	case SETTLE_EX_USAGE:
	case SETTLE_EX_DATAERR:
	case SETTLE_EX_NOINPUT:
	case SETTLE_EX_UNAVAILABLE:
	case SETTLE_EX_SOFTWARE:
	case SETTLE_EX_TEMPFAIL:
	case SETTLE_EX_CONFIG:
		break;
	case SETTLE_EX_IOERR: /* an input that could not be read */
		code = SETTLE_EX_NOINPUT;
		break;
	default: /* out of memory, no random bytes: nothing the caller did */
		code = SETTLE_EX_SOFTWARE;
		break;
	}
	if (documented(spec, code))
		return code;
	if (code == SETTLE_EX_TEMPFAIL && documented(spec, SETTLE_EX_UNAVAILABLE))
		return SETTLE_EX_UNAVAILABLE;
	if (code == SETTLE_EX_NOINPUT && documented(spec, SETTLE_EX_DATAERR))
		return SETTLE_EX_DATAERR;
	return SETTLE_EX_SOFTWARE;
}

int cli_fail(const struct cli *cli, const struct settle_err *err)
{
	char msg[sizeof err->msg * 4], code[sizeof err->pg_code * 4];

	term_escape(msg, sizeof msg, err->msg[0] ? err->msg : "failed");
	term_escape(code, sizeof code, err->pg_code);
	fprintf(stderr, "%s: %s%s%s\n", cli->spec ? cli->spec->name : "settle", msg, code[0] ? " pg_code=" : "",
		code);
	return cli_exit_code(cli->spec, err->code ? err->code : SETTLE_EX_SOFTWARE);
}

int cli_run(const struct cli_spec *spec, int argc, char **argv, cli_fn fn, void *args)
{
	struct cli cli = {.spec = spec, .tty = isatty(STDOUT_FILENO)};
	struct settle_err err = {0};
	const struct cli_wiring *wiring = spec->wiring;
	int first = parse(&cli, spec, argc, argv, &err), rc;

	if (first == -2)
		return 0;
	log_init(spec->name, cli.verbosity < 0 ? LOG_ERROR : cli.verbosity == 0 ? LOG_WARN
						 : cli.verbosity == 1 ? LOG_INFO : LOG_DEBUG);
	if (first < 0 || positional(&cli, spec, argc, argv, first, &err) < 0 ||
	    (spec->check && spec->check(&cli, args, &err) < 0))
		return cli_fail(&cli, &err);
	if (cli.command) {
		fn = cli.command->fn;
		wiring = cli.command->wiring;
	}
	rc = wiring ? wiring->open(&cli, &err) : 0;
	if (rc == 0)
		rc = fn(&cli, args, &err);
#ifdef SETTLE_FAILPOINTS
	/* Test builds: an internal error after the work, so a test reaches 70
	 * and every close path runs after a failure. */
	if (rc == 0 && getenv("SETTLE_FAILPOINT") && strstr(getenv("SETTLE_FAILPOINT"), "cli.internal"))
		rc = err_set(&err, SETTLE_EX_SOFTWARE, "internal error (failpoint cli.internal)");
#endif
	fflush(stdout);
	if (rc < 0)
		rc = cli_fail(&cli, &err);
	else
		rc = cli_exit_code(spec, rc);
	cli.status = rc;
	cli.message = rc ? err.msg : NULL;
	if (wiring)
		wiring->close(&cli);
	return rc;
}
