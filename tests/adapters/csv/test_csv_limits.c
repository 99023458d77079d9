/*
 * test_csv_limits.c — what csv_reader refuses or skips on its own: a
 * record over CSV_RECORD_MAX bytes (one long line, or many lines inside a
 * quoted field) is refused naming the line it starts on, before the rest
 * is read; blank lines, also of spaces and tabs, are not records; a header
 * found on a later line is named by that line, its cells shown escaped.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/csv/csv_reader.h"

static char path[128];

static void write_bytes(const char *text, size_t len)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-test-csvlim-%d.csv", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

TestSuite(adapters_csv_limits, .fini = cleanup);

struct count {
	int rows;
	long lines[8];
	char first[8][32];
};

static int counted(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err)
{
	struct count *c = arg;

	(void)n;
	(void)err;
	if (c->rows < 8) {
		c->lines[c->rows] = line;
		snprintf(c->first[c->rows], sizeof c->first[c->rows], "%s", fields[0]);
	}
	c->rows++;
	return 0;
}

/* "h\n" then a record of `len` bytes (its newline included) on line 2. */
static char *record_of(size_t len)
{
	char *s = malloc(len + 3);

	cr_assert_not_null(s);
	memcpy(s, "h\n", 2);
	memset(s + 2, 'x', len - 1);
	s[len + 1] = '\n';
	s[len + 2] = '\0';
	return s;
}

Test(adapters_csv_limits, record_at_the_limit_passes_one_byte_more_is_refused)
{
	struct settle_err err = {0};
	struct count c = {0};
	char *s = record_of(CSV_RECORD_MAX);

	write_bytes(s, strlen(s));
	cr_assert_eq(csv_read_file(path, counted, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.rows, 2);
	free(s);
	s = record_of(CSV_RECORD_MAX + 1);
	write_bytes(s, strlen(s));
	memset(&c, 0, sizeof c);
	cr_assert_eq(csv_read_file(path, counted, &c, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, ":2: record longer than 16384 bytes"), "%s", err.msg);
	cr_assert_eq(c.rows, 1, "the header was handed out, the long record not");
	free(s);
}

/* A quoted field that runs over many short lines is one record: its
 * budget is spent across them, and the error names where it began. */
Test(adapters_csv_limits, long_record_across_quoted_lines_is_refused_at_its_start)
{
	struct settle_err err = {0};
	struct count c = {0};
	size_t cap = CSV_RECORD_MAX * 2, len = 0;
	char *s = malloc(cap);

	cr_assert_not_null(s);
	len += (size_t)sprintf(s, "h\n\nok,1\nq,\"");
	while (len < CSV_RECORD_MAX + 200)
		len += (size_t)sprintf(s + len, "%s\n", "0123456789012345678901234567890123456789");
	len += (size_t)sprintf(s + len, "\"\n");
	write_bytes(s, len);
	cr_assert_eq(csv_read_file(path, counted, &c, &err), -1);
	cr_assert(strstr(err.msg, ":4: record longer than 16384 bytes"), "%s", err.msg);
	cr_assert_eq(c.rows, 2);
	free(s);
}

struct feeder {
	char fifo[128];
	size_t written;
};

/* Writes a header and then one line that never ends, until the reader
 * closes the pipe. */
static void *feed(void *arg)
{
	struct feeder *fd = arg;
	char chunk[4096];
	int w = open(fd->fifo, O_WRONLY);

	if (w < 0)
		return NULL;
	memset(chunk, 'y', sizeof chunk);
	if (write(w, "h\n", 2) == 2)
		while (fd->written < ((size_t)64 << 20)) {
			ssize_t k = write(w, chunk, sizeof chunk);

			if (k <= 0)
				break;
			fd->written += (size_t)k;
		}
	close(w);
	return NULL;
}

/* The proof that an oversized line is refused before it is buffered
 * whole: the line is endless (a pipe fed up to 64 MiB), and the reader
 * still answers, having taken in little more than the limit. */
Test(adapters_csv_limits, endless_line_is_refused_without_reading_it_all)
{
	struct feeder fd = {0};
	struct settle_err err = {0};
	struct count c = {0};
	pthread_t th;

	signal(SIGPIPE, SIG_IGN);
	snprintf(fd.fifo, sizeof fd.fifo, "/tmp/settle-test-csvfifo-%d", (int)getpid());
	unlink(fd.fifo);
	cr_assert_eq(mkfifo(fd.fifo, 0600), 0, "%s", strerror(errno));
	cr_assert_eq(pthread_create(&th, NULL, feed, &fd), 0);
	cr_assert_eq(csv_read_file(fd.fifo, counted, &c, &err), -1);
	pthread_join(th, NULL);
	unlink(fd.fifo);
	cr_assert(strstr(err.msg, ":2: record longer than 16384 bytes"), "%s", err.msg);
	/* What the pipe held when the reader stopped: far below 64 MiB. */
	cr_assert_lt(fd.written, (size_t)1 << 20, "%zu bytes were taken in", fd.written);
}

Test(adapters_csv_limits, blank_lines_of_spaces_and_tabs_are_not_records)
{
	static const char text[] = "\n   \n\t \r\nh1,h2\n \n\na,b\n\t\n";
	struct settle_err err = {0};
	struct count c = {0};

	write_bytes(text, sizeof text - 1);
	cr_assert_eq(csv_read_file(path, counted, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.rows, 2);
	cr_assert_eq(c.lines[0], 4);
	cr_assert_str_eq(c.first[0], "h1");
	cr_assert_eq(c.lines[1], 7);
	cr_assert_str_eq(c.first[1], "a");
}

Test(adapters_csv_limits, header_on_a_later_line_is_named_by_it_and_shown_escaped)
{
	static const char *const want[] = {"pod_id", "fee", NULL};
	const char *good[] = {"pod_id", "fee"};
	const char *cased[] = {"POD_ID", "fee"};
	const char *spaced[] = {"pod_id", "fee "};
	const char *ctrl[] = {"pod_id", "f\x1b[2Je\xC3"};
	struct settle_err err = {0};

	cr_assert_eq(csv_expect_header_at("pods.csv", 4, good, 2, want, &err), 0, "%s", err.msg);
	cr_assert_eq(csv_expect_header_at("pods.csv", 4, cased, 2, want, &err), -1);
	cr_assert(strstr(err.msg, "pods.csv:4: column 1 is 'POD_ID'; expected 'pod_id'"), "%s", err.msg);
	cr_assert_eq(csv_expect_header_at("pods.csv", 3, spaced, 2, want, &err), -1);
	cr_assert(strstr(err.msg, "pods.csv:3: column 2 is 'fee '"), "%s", err.msg);
	cr_assert_eq(csv_expect_header_at("pods.csv", 2, ctrl, 2, want, &err), -1);
	cr_assert(strstr(err.msg, "column 2 is 'f\\x1B[2Je\\xC3'"), "%s", err.msg);
}

/* Fields are handed out exactly as written: libcsv's trimming of spaces
 * and tabs around unquoted fields is off, so " p1" is not "p1". */
Test(adapters_csv_limits, fields_keep_their_spaces)
{
	static const char text[] = " p1,\tfee ,\" q \"\n";
	struct settle_err err = {0};
	struct count c = {0};

	write_bytes(text, sizeof text - 1);
	cr_assert_eq(csv_read_file(path, counted, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.rows, 1);
	cr_assert_str_eq(c.first[0], " p1");
}
