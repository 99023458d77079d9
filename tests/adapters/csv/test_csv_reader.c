/* test_csv_reader.c — csv_reader.h contract: streamed RFC 4180 records with the line each record starts on. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/csv/csv_reader.h"

static char path[128];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-test-csv-%d.csv", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

struct rows {
	int count;
	int stop_at; /* 1-based row that returns an error; 0 = never */
	long lines[16];
	size_t nfields[16];
	char text[16][8][64];
};

static int collect(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err)
{
	struct rows *r = arg;
	int i = r->count++;

	if (i < 16) {
		r->lines[i] = line;
		r->nfields[i] = n;
		for (size_t j = 0; j < n && j < 8; j++)
			snprintf(r->text[i][j], sizeof r->text[i][j], "%s", fields[j]);
	}
	if (r->stop_at && r->count == r->stop_at)
		return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: row refused by callback", path, line);
	return 0;
}

static void read_ok(struct rows *r)
{
	struct settle_err err = {0};

	cr_assert_eq(csv_read_file(path, collect, r, &err), 0, "%s", err.msg);
}

TestSuite(adapters_csv, .fini = cleanup);

Test(adapters_csv, plain_rows_streamed_with_line_numbers)
{
	struct rows r = {0};

	write_file("pod_id,fee\npod-1,50000\n\npod-2,30000\n");
	read_ok(&r);
	cr_assert_eq(r.count, 3, "callback count %d", r.count);
	cr_assert_eq(r.lines[0], 1);
	cr_assert_eq(r.lines[1], 2);
	cr_assert_eq(r.lines[2], 4, "blank line not counted: %ld", r.lines[2]);
	cr_assert_str_eq(r.text[1][0], "pod-1");
	cr_assert_str_eq(r.text[2][1], "30000");
}

Test(adapters_csv, last_row_without_newline)
{
	struct rows r = {0};

	write_file("a,b\n1,2");
	read_ok(&r);
	cr_assert_eq(r.count, 2);
	cr_assert_eq(r.lines[1], 2);
	cr_assert_str_eq(r.text[1][1], "2");
}

Test(adapters_csv, quoted_comma_and_quote)
{
	struct rows r = {0};

	write_file("name,memo\n\"Kim, Minsu\",\"said \"\"hi\"\"\"\n");
	read_ok(&r);
	cr_assert_eq(r.count, 2);
	cr_assert_eq(r.nfields[1], 2);
	cr_assert_str_eq(r.text[1][0], "Kim, Minsu");
	cr_assert_str_eq(r.text[1][1], "said \"hi\"");
}

Test(adapters_csv, embedded_newline_in_last_field_keeps_start_line)
{
	struct rows r = {0};

	write_file("id,memo\nr1,\"line one\nline two\nline three\"\nr2,x\n");
	read_ok(&r);
	cr_assert_eq(r.count, 3);
	cr_assert_str_eq(r.text[1][1], "line one\nline two\nline three");
	cr_assert_eq(r.lines[1], 2, "record starts on line 2, reported %ld", r.lines[1]);
	cr_assert_eq(r.lines[2], 5, "next record starts on line 5, reported %ld", r.lines[2]);
}

Test(adapters_csv, crlf_line_ends)
{
	struct rows r = {0};

	write_file("a,b\r\n1,2\r\n3,4\r\n");
	read_ok(&r);
	cr_assert_eq(r.count, 3);
	cr_assert_str_eq(r.text[2][1], "4");
	cr_assert_eq(r.lines[2], 3);
}

Test(adapters_csv, utf8_bom_ignored)
{
	struct rows r = {0};
	static const char *const want[] = {"pod_id", "fee", NULL};
	struct settle_err err = {0};
	const char *hdr[2];

	write_file("\xEF\xBB\xBFpod_id,fee\npod-1,1\n");
	read_ok(&r);
	cr_assert_eq(r.count, 2);
	cr_assert_str_eq(r.text[0][0], "pod_id");
	hdr[0] = r.text[0][0];
	hdr[1] = r.text[0][1];
	cr_assert_eq(csv_expect_header(path, hdr, 2, want, &err), 0, "%s", err.msg);
}

Test(adapters_csv, unterminated_quote_at_eof_names_line)
{
	struct rows r = {0};
	struct settle_err err = {0};
	char needle[160];

	write_file("a,b\n1,2\n3,\"never closed\n4,5\n");
	cr_assert_eq(csv_read_file(path, collect, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	snprintf(needle, sizeof needle, "%s:", path);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not name the file", err.msg);
	cr_assert_eq(r.count, 2, "rows before the bad one are delivered: %d", r.count);
}

Test(adapters_csv, stray_quote_is_an_error_naming_line)
{
	struct rows r = {0};
	struct settle_err err = {0};
	char needle[160];

	write_file("a,b\n1,2\n3,x\"y\n");
	cr_assert_eq(csv_read_file(path, collect, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	snprintf(needle, sizeof needle, "%s:3:", path);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not say %s", err.msg, needle);
}

Test(adapters_csv, callback_error_stops_the_read)
{
	struct rows r = {.stop_at = 2};
	struct settle_err err = {0};

	write_file("a\n1\n2\n3\n4\n");
	cr_assert_eq(csv_read_file(path, collect, &r, &err), -1);
	cr_assert_eq(r.count, 2, "callback called %d times after refusing row 2", r.count);
	cr_assert(strstr(err.msg, "row refused by callback"), "callback's error replaced: %s", err.msg);
	cr_assert(strstr(err.msg, ":2:"), "%s", err.msg);
}

Test(adapters_csv, too_many_fields)
{
	struct rows r = {0};
	struct settle_err err = {0};
	char line[200] = "";

	for (int i = 0; i < CSV_MAX_FIELDS + 1; i++)
		strcat(line, i ? ",x" : "x");
	strcat(line, "\n");
	write_file(line);
	cr_assert_eq(csv_read_file(path, collect, &r, &err), -1);
	cr_assert(strstr(err.msg, ":1:"), "%s", err.msg);
	cr_assert_eq(r.count, 0);
}

Test(adapters_csv, many_rows_streamed)
{
	enum { N = 5000 };
	struct rows r = {0};
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-test-csv-%d.csv", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	for (int i = 0; i < N; i++)
		fprintf(f, "row-%d,\"v,%d\"\n", i, i);
	cr_assert_eq(fclose(f), 0);
	read_ok(&r);
	cr_assert_eq(r.count, N);
}

Test(adapters_csv, missing_file)
{
	struct rows r = {0};
	struct settle_err err = {0};

	cr_assert_eq(csv_read_file("/nonexistent/settle.csv", collect, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_NOINPUT);
	cr_assert(strstr(err.msg, "/nonexistent/settle.csv"), "%s", err.msg);
}

/* ---------------------------------------------------------------- header */

Test(adapters_csv, header_names_first_wrong_column)
{
	static const char *const want[] = {"pod_id", "leader_id", "fee", NULL};
	const char *good[] = {"pod_id", "leader_id", "fee"};
	const char *wrong[] = {"pod_id", "leader", "fees"};
	struct settle_err err = {0};

	cr_assert_eq(csv_expect_header("pods.csv", good, 3, want, &err), 0, "%s", err.msg);
	cr_assert_eq(csv_expect_header("pods.csv", wrong, 3, want, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "pods.csv:1:"), "%s", err.msg);
	cr_assert(strstr(err.msg, "column 2"), "%s", err.msg);
	cr_assert(strstr(err.msg, "'leader'"), "%s", err.msg);
	cr_assert(strstr(err.msg, "'leader_id'"), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "fees"), "names a later column: %s", err.msg);
}

Test(adapters_csv, header_missing_and_extra_columns)
{
	static const char *const want[] = {"pod_id", "fee", NULL};
	const char *shorter[] = {"pod_id"};
	const char *longer[] = {"pod_id", "fee", "extra"};
	struct settle_err err = {0};

	cr_assert_eq(csv_expect_header("pods.csv", shorter, 1, want, &err), -1);
	cr_assert(strstr(err.msg, "missing column 2 'fee'"), "%s", err.msg);
	cr_assert_eq(csv_expect_header("pods.csv", longer, 3, want, &err), -1);
	cr_assert(strstr(err.msg, "unexpected column 3 'extra'"), "%s", err.msg);
}

/* The start line was taken when libcsv handed out the record's first field,
 * i.e. where that field ENDED: a quoted first field holding newlines made
 * the record appear to start on a later line. */
Test(adapters_csv, embedded_newline_in_first_field_keeps_start_line)
{
	struct rows r = {0};

	write_file("memo,id\n\"one\ntwo\nthree\",r1\n\"a,b\",r2\n");
	read_ok(&r);
	cr_assert_eq(r.count, 3);
	cr_assert_str_eq(r.text[1][0], "one\ntwo\nthree");
	cr_assert_eq(r.lines[1], 2, "record starts on line 2, reported %ld", r.lines[1]);
	cr_assert_eq(r.lines[2], 5, "record starts on line 5, reported %ld", r.lines[2]);
}

/* An unterminated quote was reported at the file's last line; the operator
 * needs the line where the open quote is. */
Test(adapters_csv, unterminated_quote_names_the_line_it_opens_on)
{
	struct rows r = {0};
	struct settle_err err = {0};
	char needle[160];

	write_file("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
	cr_assert_eq(csv_read_file(path, collect, &r, &err), -1);
	snprintf(needle, sizeof needle, "%s:3:", path);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not say %s", err.msg, needle);
	cr_assert(strstr(err.msg, "quote"), "message \"%s\" does not say what is wrong", err.msg);
}
