/*
 * test_report_out.c — the report sinks and outputs on real files: CSV
 * text with commas, quotes, line breaks and Hangul reads back through
 * libcsv (csv_reader) to the same values, with and without the BOM; JSON
 * is one valid document with rows and totals; HTML escapes every value;
 * an output file appears only whole (a failed report leaves the old file
 * and no temp file), a missing directory is refused (66); a pack's
 * manifest passes `sha256sum -c` and carries the extras' month files.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/csv/csv_reader.h"
#include "adapters/report/report_out.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/settle-rout-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(adapters_report_out, .init = setup, .fini = teardown);

static const struct report_col cols[] = {
	{"id", "아이디", RC_TEXT, 0},
	{"title", "제목", RC_TEXT, 0},
	{"amount", "금액", RC_MONEY, 0},
	{"balance", "잔액", RC_MONEY, 2},
	{"item", "항목", RC_MONEY, 1},
};
static const char *const titles[] = {"plain", "a, comma", "say \"hi\"", "two\r\nlines", "한글 스터디",
				     "=HYPERLINK(\"x\")", "", "<b>&</b>"};

static const struct report_head head = {"test", "Test", "시험", "2026-11", "KRW", cols, 5, NULL, 0};

/* Writes every title as a row to path (NULL: stdout is not used here). */
static int write_all(const char *path, const struct report_out_opts *o, int fail_midway)
{
	struct report_file *f;
	struct report_sink *s;
	struct settle_err err = {0};
	int rc = 0;

	cr_assert_eq(report_file_open(path, o, &f, &err), 0, "%s", err.msg);
	s = report_file_sink(f);
	cr_assert_eq(s->begin(s->self, &head, &err), 0);
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
		char id[16];
		struct report_cell c[5] = {{id, 0}, {titles[i], 0}, {0, (int64_t)i * 1000 - 3}, {0, (int64_t)i}, {0, 7}};

		snprintf(id, sizeof id, "r%zu", i);
		cr_assert_eq(s->row(s->self, c, &err), 0);
		if (fail_midway && i == 3) {
			rc = -1;
			break;
		}
	}
	if (rc == 0) {
		struct report_cell t[5] = {{0, 0}, {0, 0}, {0, 27997}, {0, 99}, {0, 56}};

		cr_assert_eq(s->totals(s->self, t, &err), 0);
		cr_assert_eq(s->end(s->self, &err), 0);
	}
	cr_assert_eq(report_file_close(f, rc == 0, &err), 0, "%s", err.msg);
	return rc;
}

struct rows {
	char cell[16][5][64];
	size_t n;
	size_t fields;
};

static int collect(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err)
{
	struct rows *r = arg;

	(void)line;
	(void)err;
	r->fields = n;
	for (size_t i = 0; i < n && i < 5; i++)
		snprintf(r->cell[r->n][i], sizeof r->cell[r->n][i], "%s", fields[i]);
	r->n++;
	return 0;
}

Test(adapters_report_out, csv_reads_back_with_and_without_bom)
{
	for (int bom = 0; bom < 2; bom++) {
		struct report_out_opts o = {REPORT_CSV, bom, bom, 0};
		char path[128];
		struct rows r = {0};
		struct settle_err err = {0};

		snprintf(path, sizeof path, "%s/r%d.csv", dir, bom);
		write_all(path, &o, 0);
		cr_assert_eq(csv_read_file(path, collect, &r, &err), 0, "%s", err.msg);
		cr_assert_eq(r.n, 2 + sizeof titles / sizeof titles[0]);
		cr_assert_str_eq(r.cell[0][1], bom ? "제목" : "title");
		for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
			char want[16];

			cr_assert_str_eq(r.cell[i + 1][1], titles[i], "row %zu", i);
			snprintf(want, sizeof want, "%lld", (long long)i * 1000 - 3);
			cr_assert_str_eq(r.cell[i + 1][2], want);
		}
		cr_assert_str_eq(r.cell[r.n - 1][0], bom ? "합계" : "TOTAL");
		cr_assert_str_eq(r.cell[r.n - 1][2], "27997");
		cr_assert_str_eq(r.cell[r.n - 1][3], "99", "a closing balance is shown");
		cr_assert_str_eq(r.cell[r.n - 1][4], "", "a column without a total is empty");
	}
}

Test(adapters_report_out, json_is_one_document)
{
	struct report_out_opts o = {REPORT_JSON, 0, 0, 0};
	char path[128];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof path, "%s/r.json", dir);
	write_all(path, &o, 0);
	j = json_load_file(path, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "report")), "test");
	cr_assert_eq(json_array_size(json_object_get(j, "rows")), sizeof titles / sizeof titles[0]);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "rows"), 3), "title")),
			 "two\r\nlines");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "totals"), "amount")), 27997);
	cr_assert_null(json_object_get(json_object_get(j, "totals"), "item"));
	json_decref(j);
}

Test(adapters_report_out, html_escapes_every_value)
{
	struct report_out_opts o = {REPORT_HTML, 0, 0, 0};
	char path[128], buf[8192];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof path, "%s/r.html", dir);
	write_all(path, &o, 0);
	fp = fopen(path, "r");
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	cr_assert(strstr(buf, "&lt;b&gt;&amp;&lt;/b&gt;") && !strstr(buf, "<b>&"), "%s", buf);
	cr_assert(strstr(buf, "say &quot;hi&quot;"), "%s", buf);
	cr_assert(strstr(buf, "27,997"), "%s", buf);
}

Test(adapters_report_out, a_file_appears_only_whole)
{
	struct report_out_opts o = {REPORT_CSV, 0, 0, 0};
	struct report_file *f;
	struct settle_err err = {0};
	char path[128], missing[128], cmd[256];
	struct stat st;

	snprintf(path, sizeof path, "%s/keep.csv", dir);
	write_all(path, &o, 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	{
		off_t size = st.st_size;

		write_all(path, &o, 1); /* fails after four rows: not committed */
		cr_assert_eq(stat(path, &st), 0);
		cr_assert_eq(st.st_size, size, "the old file is untouched");
	}
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
	cr_assert_eq(system(cmd), 0, "a temp file was left in %s", dir);
	snprintf(missing, sizeof missing, "%s/nope/r.csv", dir);
	cr_assert_eq(report_file_open(missing, &o, &f, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_NOINPUT);
	cr_assert(strstr(err.msg, "nope"), "%s", err.msg);
	cr_assert_eq(report_output_dir_ok("--output", dir, &err), -1, "a directory is not a file name");
}

Test(adapters_report_out, pack_manifest_and_extras)
{
	struct report_out_opts o = {REPORT_CSV, 0, 0, 0};
	char base[128], outbox[128], packdir[256], cmd[512], sha[65];
	struct pack_extra extras[] = {{"invoices", outbox}, {NULL, NULL}};
	struct report_pack *p;
	struct report_sink *s;
	struct settle_err err = {0};
	size_t n = 0;
	FILE *fp;

	snprintf(base, sizeof base, "%s/packs", dir);
	snprintf(outbox, sizeof outbox, "%s/outbox", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/2026-11' '%s/2026-10'", outbox, outbox);
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s/2026-11/inv-1.xml", outbox);
	fp = fopen(cmd, "w");
	fputs("<TaxInvoice/>\n", fp);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "%s/2026-10/inv-0.xml", outbox);
	fp = fopen(cmd, "w");
	fputs("<old/>\n", fp);
	fclose(fp);

	p = pack_dir_new(base, extras, &o);
	cr_assert_not_null(p);
	cr_assert_eq(p->open(p->self, "2026-11", packdir, sizeof packdir, &err), 0, "%s", err.msg);
	cr_assert_eq(p->file(p->self, "a.csv", &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s->begin(s->self, &head, &err), 0);
	cr_assert_eq(s->totals(s->self, (struct report_cell[5]){{0}}, &err), 0);
	cr_assert_eq(s->end(s->self, &err), 0);
	cr_assert_eq(p->file_done(p->self, s, 1, &err), 0);
	cr_assert_eq(p->extras(p->self, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 1u, "only the month's own files");
	cr_assert_eq(p->manifest(p->self, sha, &err), 0, "%s", err.msg);
	pack_dir_free(p);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && sha256sum --quiet -c MANIFEST.sha256 && grep -q '  invoices/inv-1.xml$' MANIFEST.sha256 && "
		 "test $(wc -l < MANIFEST.sha256) -eq 2 && test \"$(sha256sum MANIFEST.sha256 | cut -c1-64)\" = %s",
		 packdir, sha);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}
