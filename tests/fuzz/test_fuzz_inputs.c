/*
 * test_fuzz_inputs.c — every fuzz input kept in the tree, through the same
 * entry points libFuzzer drives (fuzz.h), in the ordinary gcc sanitizer
 * build: the seeds of tests/fuzz/corpus/<target>/ and every crash found
 * (tests/fuzz/regressions/<target>/), so they stay exercised without clang.
 *
 * Rule: a target with no seed at all fails — a corpus directory that went
 * missing must not pass as "nothing crashed".
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "lib/testdb.h"

static const struct {
	const char *name;
	fuzz_fn fn;
} targets[] = {
	{"config", fuzz_config},
	{"csv_pods", fuzz_csv_pods},
	{"csv_leaders", fuzz_csv_leaders},
	{"csv_policies", fuzz_csv_policies},
	{"bulk_result", fuzz_bulk_result},
	{"settlement_file", fuzz_settlement_file},
	{"toss_payment", fuzz_toss_payment},
	{"nicepay_payment", fuzz_nicepay_payment},
	{"toss_settlements", fuzz_toss_settlements},
	{"toss_payouts", fuzz_toss_payouts},
	{"money", fuzz_money},
	{"timefmt", fuzz_timefmt},
	{"refund_policy", fuzz_refund_policy},
	{"rates", fuzz_rates},
	{"study", fuzz_study},
	{"webhook", fuzz_webhook},
	{"jwt", fuzz_jwt},
	{"contacts", fuzz_contacts},
	{"card_mask", fuzz_card_mask},
};

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	cr_assert_not_null(f, "%s", path);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* Feeds every regular file of dir to fn; the number fed. */
static size_t feed_dir(const char *dir, fuzz_fn fn)
{
	char path[1024];
	struct dirent *e;
	size_t fed = 0, len;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		uint8_t *data;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		data = slurp(path, &len);
		cr_assert_eq(fn(data, len), 0, "%s", path);
		free(data);
		fed++;
	}
	closedir(d);
	return fed;
}

Test(fuzz, corpus_and_regressions)
{
	char rel[256], dir[1024];
	size_t total = 0;

	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		size_t seeds, regressions;

		snprintf(rel, sizeof rel, "tests/fuzz/corpus/%s", targets[i].name);
		seeds = feed_dir(test_repo_file(rel, dir, sizeof dir), targets[i].fn);
		cr_assert_gt(seeds, 0, "no seed in %s", dir);
		snprintf(rel, sizeof rel, "tests/fuzz/regressions/%s", targets[i].name);
		regressions = feed_dir(test_repo_file(rel, dir, sizeof dir), targets[i].fn);
		total += seeds + regressions;
	}
	cr_log_info("fuzz: %zu inputs through %zu targets", total, sizeof targets / sizeof targets[0]);
}

/* The entry points take what libFuzzer may hand them first: nothing, one
 * byte, a NUL. */
Test(fuzz, empty_and_tiny_inputs)
{
	static const uint8_t tiny[] = {0, 1, '{', '"', '\n', 0xff};

	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		cr_assert_eq(targets[i].fn(tiny, 0), 0, "%s", targets[i].name);
		for (size_t j = 0; j < sizeof tiny; j++)
			cr_assert_eq(targets[i].fn(tiny + j, 1), 0, "%s", targets[i].name);
		cr_assert_eq(targets[i].fn(tiny, sizeof tiny), 0, "%s", targets[i].name);
	}
}
