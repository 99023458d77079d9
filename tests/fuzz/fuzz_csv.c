/*
 * fuzz_csv.c — the CSV imports of settle-db (adapters/mysql/fixtures.c,
 * libcsv underneath): pods, leaders and refund policies, through the
 * --dry-run entry points, which run every check of a load and write
 * nothing (so no database is needed and the same validation is fuzzed).
 */
#include "fuzz/fuzz.h"

#include <unistd.h>

#include "adapters/mysql/fixtures.h"

#define FUZZ_NOW "2026-01-15 00:00:00.000000"

int fuzz_csv_pods(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	char path[256];
	size_t rows;

	if (fuzz_file("pods.csv", data, size, path, sizeof path) < 0)
		return 0;
	(void)fixtures_check_pods(path, FUZZ_NOW, &rows, &err);
	unlink(path);
	return 0;
}

int fuzz_csv_leaders(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	char path[256];
	size_t rows;

	if (fuzz_file("leaders.csv", data, size, path, sizeof path) < 0)
		return 0;
	/* The key only seals accounts on a write; a dry run never uses it. */
	(void)fixtures_check_leaders(path, NULL, FUZZ_NOW, &rows, &err);
	unlink(path);
	return 0;
}

/* The policies file, followed by a fixed pods file that names a policy. */
int fuzz_csv_policies(const uint8_t *data, size_t size)
{
	static const uint8_t pods[] =
		"pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on,refund_policy\n"
		"pod-1,leader-1,Reading,30000,KRW,10,OPEN,2026-02-01,2026-03-01,flexible\n";
	struct settle_err err = {0};
	char path[256], pods_path[256];
	size_t rows;

	if (fuzz_file("policies.csv", data, size, path, sizeof path) < 0)
		return 0;
	if (fuzz_file("pods-p.csv", pods, sizeof pods - 1, pods_path, sizeof pods_path) == 0) {
		(void)fixtures_check_pods_with(pods_path, path, FUZZ_NOW, &rows, &err);
		unlink(pods_path);
	}
	unlink(path);
	return 0;
}
