/*
 * ledger-seal — seal the journal entries no block names yet into the hash
 * chain (schema/014_seal.sql), or with --digest print the chain head's
 * digest for an auditor. Safe to run on several hosts at once.
 */
#include <stdio.h>

#include "adapters/clock/clock.h"
#include "adapters/mysql/seal_store.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "wire/job_runs.h"

/* Entries per block: a block's transaction reads and writes this many
 * rows, small enough to commit quickly, large enough that a million
 * entries make a hundred blocks, not a million. */
#define BLOCK_SIZE 10000

struct args {
	int digest;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_BOOL("digest", 0, &a.digest, "print the chain head's digest (HEIGHT:HASH) and seal nothing"),
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "ledger-seal",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1},
	.usage = "[options]",
	.summary = "Seal the journal entries not yet sealed into a block of the ledger's hash chain.",
	.options = options,
	.wiring = &job_db_wiring,
};

static int print_digest(struct cli *cli, struct settle_err *err)
{
	char hash[SEAL_HEX_LEN], digest[SEAL_DIGEST_LEN];
	int64_t height;

	if (seal_head(cli->db, &height, hash, err) < 0)
		return -1;
	seal_digest_format(height, hash, digest);
	if (cli->json)
		return cli_json_print(json_pack("{s:I, s:s, s:s}", "height", (json_int_t)height, "hash", hash, "digest",
						digest),
				      err);
	printf("%s\n", digest);
	return 0;
}

static int run_seal(struct cli *cli, void *arg, struct settle_err *err)
{
	struct seal_result r;
	char digest[SEAL_DIGEST_LEN];

	if (((struct args *)arg)->digest)
		return print_digest(cli, err);
	if (seal_run(cli->db, clock_system(), BLOCK_SIZE, &r, err) < 0)
		return -1;
	seal_digest_format(r.height, r.head, digest);
	snprintf(cli->job_counts, sizeof cli->job_counts, "blocks=%lld entries=%lld legacy=%lld races=%lld",
		 (long long)r.blocks, (long long)r.entries, (long long)r.legacy, (long long)r.races);
	if (cli->json)
		return cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "blocks", (json_int_t)r.blocks,
						"entries", (json_int_t)r.entries, "legacy", (json_int_t)r.legacy, "races",
						(json_int_t)r.races, "height", (json_int_t)r.height, "digest", digest),
				      err);
	if (cli->verbosity >= 0)
		printf("sealed %lld entr%s in %lld block(s)%s; head %s\n", (long long)r.entries,
		       r.entries == 1 ? "y" : "ies", (long long)r.blocks,
		       r.races ? " (lost the head to another runner and retried)" : "", digest);
	return 0;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_seal, &a);
}
