/* cli.c — getopt_long over the shared options plus each program's own. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/config/config.h"
#include "util/log.h"
#include "adapters/mysql/db.h"

enum { OPT_HELP = 1000, OPT_VERSION, OPT_CONFIG, OPT_JSON, OPT_DRY_RUN, OPT_QUIET, OPT_VERBOSE };

static const struct cli_option common[] = {
	{"config", 0, "FILE", OPT_CONFIG, "configuration file (default $SETTLE_CONFIG, /etc/settle/settle.conf)"},
	{"json", 0, NULL, OPT_JSON, "machine-readable output"},
	{"dry-run", 0, NULL, OPT_DRY_RUN, "compute and print; commit nothing"},
	{"quiet", 'q', NULL, OPT_QUIET, "only errors on stderr"},
	{"verbose", 'v', NULL, OPT_VERBOSE, "more log lines (repeat for debug)"},
	{"help", 'h', NULL, OPT_HELP, "this help"},
	{"version", 0, NULL, OPT_VERSION, "print the version"},
	{0},
};

static void print_options(FILE *out, const struct cli_option *o, bool dry_run)
{
	for (; o->name; o++) {
		char left[64];

		if (o->id == OPT_DRY_RUN && !dry_run)
			continue;
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-28s %s\n", left, o->help);
	}
}

static void help(const struct cli_spec *spec)
{
	printf("Usage: %s %s\n%s\n\nOptions:\n", spec->name, spec->usage, spec->summary);
	if (spec->options)
		print_options(stdout, spec->options, true);
	print_options(stdout, common, spec->dry_run);
	printf("\nExit status: 0 done, 64 usage, 65 bad data, 66 not found, 69 PG/bank unavailable,\n"
	       "70 internal error, 75 temporary (in doubt, try again), 78 configuration.\n"
	       "See %s(1).\n", spec->name);
}

static int add_long(struct option *lo, size_t *n, char *shorts, size_t *ns, const struct cli_option *o)
{
	lo[*n].name = o->name;
	lo[*n].has_arg = o->arg ? required_argument : no_argument;
	lo[*n].flag = NULL;
	lo[*n].val = o->id;
	(*n)++;
	if (o->short_name) {
		shorts[(*ns)++] = o->short_name;
		if (o->arg)
			shorts[(*ns)++] = ':';
	}
	return 0;
}

static int short_to_id(const struct cli_spec *spec, int c)
{
	for (const struct cli_option *o = spec->options; o && o->name; o++)
		if (o->short_name == c)
			return o->id;
	for (const struct cli_option *o = common; o->name; o++)
		if (o->short_name == c)
			return o->id;
	return -1;
}

int cli_parse(struct cli *cli, const struct cli_spec *spec, int argc, char **argv, cli_option_fn fn, void *arg,
	      struct settle_err *err)
{
	struct option lo[64];
	char shorts[64] = "";
	size_t n = 0, ns = 0;
	int c;

	memset(cli, 0, sizeof *cli);
	cli->spec = spec;
	cli->tty = isatty(STDOUT_FILENO);
	for (const struct cli_option *o = spec->options; o && o->name && n < 40; o++)
		add_long(lo, &n, shorts, &ns, o);
	for (const struct cli_option *o = common; o->name; o++)
		if (o->id != OPT_DRY_RUN || spec->dry_run)
			add_long(lo, &n, shorts, &ns, o);
	memset(&lo[n], 0, sizeof lo[n]);
	shorts[ns] = '\0';
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		int id = c;

		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			if (optopt && optopt < 256 && strchr(shorts, optopt) == NULL)
				return err_set(err, SETTLE_EX_USAGE, "unknown option -%c (see --help)", optopt);
			if (c == ':' || (bad && strchr(bad, '=') == NULL && optopt))
				return err_set(err, SETTLE_EX_USAGE, "option %s needs a value (see --help)", bad);
			return err_set(err, SETTLE_EX_USAGE, "unknown option %s (see --help)", bad ? bad : "?");
		}
		/* A short option arrives as its letter; long ones as their id. */
		if (c > ' ' && c < 127 && strchr(shorts, c))
			id = short_to_id(spec, c);
		switch (id) {
		case OPT_HELP:
			help(spec);
			return -2;
		case OPT_VERSION:
			printf("%s (settle) %s\n", spec->name, SETTLE_VERSION);
			return -2;
		case OPT_CONFIG:
			cli->config_path = optarg;
			break;
		case OPT_JSON:
			cli->json = true;
			break;
		case OPT_DRY_RUN:
			cli->dry_run = true;
			break;
		case OPT_QUIET:
			cli->verbosity = -1;
			break;
		case OPT_VERBOSE:
			cli->verbosity++;
			break;
		default:
			if (!fn || fn(arg, id, optarg, err) < 0) {
				if (err->code == 0)
					err_set(err, SETTLE_EX_USAGE, "bad option");
				return -1;
			}
		}
	}
	log_init(spec->name, cli->verbosity < 0 ? LOG_ERROR : cli->verbosity == 0 ? LOG_WARN
					       : cli->verbosity == 1 ? LOG_INFO : LOG_DEBUG);
	return optind;
}

int cli_load_config(struct cli *cli, struct settle_err *err)
{
	if (cli->cfg)
		return 0;
	return config_load(&cli->cfg, cli->config_path, err);
}

int cli_open_db(struct cli *cli, struct settle_err *err)
{
	if (cli_load_config(cli, err) < 0)
		return -1;
	if (cli->db)
		return 0;
	return db_open_config(&cli->db, cli->cfg, NULL, false, err);
}

int cli_fail(const struct cli *cli, const struct settle_err *err)
{
	int code = err->code ? err->code : SETTLE_EX_SOFTWARE;

	fprintf(stderr, "%s: %s%s%s\n", cli->spec ? cli->spec->name : "settle", err->msg[0] ? err->msg : "failed",
		err->pg_code[0] ? " pg_code=" : "", err->pg_code);
	return code;
}

void cli_close(struct cli *cli)
{
	db_close(cli->db);
	cli->db = NULL;
	config_free(cli->cfg);
	cli->cfg = NULL;
}

void cli_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}
