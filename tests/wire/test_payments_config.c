/* test_payments_config.c — the table of payments keys: app defaults kept,
 * values read into their fields, bounds and forms refused naming file,
 * line and key. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/config/config.h"
#include "wire/payments_config.h"

static char path[128];

static struct config *load(const char *text)
{
	struct config *cfg = NULL;
	struct settle_err err = {0};
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-test-payconf-%d.conf", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(config_load(&cfg, path, &err), 0, "%s", err.msg);
	return cfg;
}

static void cleanup(void)
{
	unlink(path);
}

static void setup(void)
{
	unsetenv("SETTLE_TOSS_SECRET_KEY");
	unsetenv("SETTLE_NICEPAY_SECRET_KEY");
	unsetenv("CREDENTIALS_DIRECTORY");
}

/* A PG's settings by name, from the registry the config filled. */
#define PG_SETTINGS(w, name) ((w)->pgs.settings[(w)->pgs.dir.find((w)->pgs.dir.self, name)])
#define TOSS(w) PG_SETTINGS(w, "toss")
#define NICE(w) PG_SETTINGS(w, "nicepay")

TestSuite(wire_payments_config, .init = setup, .fini = cleanup);

Test(wire_payments_config, defaults_and_values)
{
	struct config *cfg = load("[payments]\nsweep_batch = 50\n[breaker]\nopen_s = 7\n[toss]\nbase_url = http://t\n"
				  "timeout_ms = 1500\n[study]\nbase_url = http://s\n");
	struct payments_wiring *w = calloc(1, sizeof *w);
	struct settle_err err = {0};

	cr_assert_not_null(w);
	cr_assert_eq(payments_config_read(cfg, w, &err), 0, "%s", err.msg);
	cr_assert_str_eq(w->ctx.set.default_pg, "toss");
	cr_assert_eq(w->ctx.set.sweep_batch, 50);
	cr_assert_eq(w->ctx.set.breaker_open_s, 7);
	cr_assert_eq(w->ctx.set.pending_expiry_s, 1800, "the app's default");
	cr_assert_eq(w->ctx.set.sweep_concurrency, 8, "the app's default");
	cr_assert_eq(TOSS(w).timeout_ms, 1500);
	cr_assert_eq(TOSS(w).connect_timeout_ms, 5000);
	cr_assert_eq(NICE(w).timeout_ms, 30000);
	cr_assert_eq(w->study_timeout_ms, 10000);
	cr_assert_str_eq(TOSS(w).base_url, "http://t");
	cr_assert_str_eq(w->study_url, "http://s");
	cr_assert_str_eq(NICE(w).base_url, "");
	cr_assert_str_eq(w->ctx.set.fallback_pg, "nicepay", "the other PG by default");
	free(w);
	config_free(cfg);
}

Test(wire_payments_config, bad_values_name_file_line_and_key)
{
	static const struct {
		const char *text, *needle;
	} cases[] = {
		{"[payments]\n\nsweep_batch = 0\n", ":3: [payments] sweep_batch: 0 is outside 1..5000"},
		{"[breaker]\nwindow_s = ten\n", ":2: [breaker] window_s: 'ten' is not a whole number"},
		{"[study]\ntimeout_ms = 600001\n", ":2: [study] timeout_ms: 600001 is outside 1..600000"},
		{"[payments]\ndefault_pg = paypal\n", "default_pg \"paypal\" is not one of toss, nicepay"},
		{"[payments]\nfallback_pg = toss\n", "fallback_pg \"toss\" is not one of toss, nicepay other than default_pg"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config *cfg = load(cases[i].text);
		struct payments_wiring *w = calloc(1, sizeof *w);
		struct settle_err err = {0};

		cr_assert_not_null(w);
		cr_assert_eq(payments_config_read(cfg, w, &err), -1, "case %zu accepted", i);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG);
		cr_assert(strstr(err.msg, path) && strstr(err.msg, cases[i].needle), "case %zu: %s", i, err.msg);
		free(w);
		config_free(cfg);
	}
}

/* A long URL (issue 7 §8) is kept whole; one past the field says so. */
Test(wire_payments_config, long_urls)
{
	static char text[20000];
	struct payments_wiring *w = calloc(1, sizeof *w);
	struct settle_err err = {0};
	struct config *cfg;

	cr_assert_not_null(w);
	snprintf(text, sizeof text, "[toss]\nbase_url = http://t/%05000d\n", 1);
	cfg = load(text);
	cr_assert_eq(payments_config_read(cfg, w, &err), 0, "%s", err.msg);
	cr_assert_eq(strlen(TOSS(w).base_url), strlen("http://t/") + 5000);
	config_free(cfg);
	snprintf(text, sizeof text, "[nicepay]\nbase_url = http://n/%09000d\n", 1);
	cfg = load(text);
	cr_assert_eq(payments_config_read(cfg, w, &err), -1);
	cr_assert(strstr(err.msg, "[nicepay] base_url is longer than"), "%s", err.msg);
	config_free(cfg);
	free(w);
}
