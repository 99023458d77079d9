/*
 * test_settle_db_csv.c — `settle-db load-pods` and `load-leaders` check a
 * CSV file as a whole before anything is written: a duplicate id (also one
 * differing only in case, as the database's key compares) naming both
 * lines; the header required and checked exactly on the first non-blank
 * line; every field well-formed UTF-8, named by file, line and column; a
 * record over the size limit refused. Each refusal is one line on stderr,
 * exit 65, and the tables exactly as they were.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/testdb.h"

static struct testdb t;
static char csv_path[64];

static void setup(void)
{
	testdb_create(&t);
	snprintf(csv_path, sizeof csv_path, "/tmp/settle-dbcsv-%d.csv", (int)getpid());
}

static void teardown(void)
{
	unlink(csv_path);
	testdb_drop(&t);
}

TestSuite(cmd_settle_db_csv, .init = setup, .fini = teardown, .timeout = 90);

#define POD_HEADER "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n"
#define POD_ROW(id, title) id ",l1," title ",100,KRW,3,OPEN,2026-01-01,2026-02-01\n"
#define LEADER_HEADER "leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number\n"
#define LEADER_ROW(id, name) id "," name ",INDIVIDUAL,,a@b.co,004,1234567890,Kim,9001012345678\n"

static const char *write_csv(const char *text, size_t len)
{
	FILE *f = fopen(csv_path, "w");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return csv_path;
}

static int one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

/* A digest of a whole table, to show a refused load changed nothing. */
static void table_digest(const char *table, char *out, size_t len)
{
	static const char pods[] =
		"SELECT CONCAT(COUNT(*), ':', COALESCE(MD5(GROUP_CONCAT(CONCAT_WS('|', pod_id, leader_id, title, fee, "
		"capacity, status, refreshed_at) ORDER BY pod_id)), '-')) FROM pods";
	static const char leaders[] =
		"SELECT CONCAT(COUNT(*), ':', COALESCE(MD5(GROUP_CONCAT(CONCAT_WS('|', leader_id, name, kind, email, "
		"HEX(account_enc), updated_at) ORDER BY leader_id)), '-')) FROM leaders";

	testdb_string(&t, !strcmp(table, "pod") ? pods : leaders, out, len);
}

static void load(const char *verb, const char *text, size_t len, int status, struct run_result *r)
{
	run_program(&t, (const char *[]){"settle-db", verb, write_csv(text, len), NULL}, NULL, r);
	cr_assert_eq(r->status, status, "%s: status %d: %s%s", verb, r->status, r->out, r->err);
}

/* Loads a good file first, then `text`: refused with 65, a one-line error
 * holding `expect`, and the table as the good file left it. */
static void refused(const char *verb, const char *table, const char *good, const char *text, size_t len,
		    const char *expect)
{
	struct run_result r;
	char before[128], after[128];

	load(verb, good, strlen(good), 0, &r);
	table_digest(table, before, sizeof before);
	load(verb, text, len, 65, &r);
	cr_assert(strstr(r.err, expect), "expected '%s' in: %s", expect, r.err);
	cr_assert(strstr(r.err, csv_path), "the file is not named: %s", r.err);
	cr_assert(one_line(r.err), "not one line: %s", r.err);
	table_digest(table, after, sizeof after);
	cr_assert_str_eq(before, after, "the %ss table changed", table);
}

#define REFUSED_PODS(text, expect) \
	refused("load-pods", "pod", POD_HEADER POD_ROW("p-keep", "Kept"), text, sizeof(text) - 1, expect)
#define REFUSED_LEADERS(text, expect) \
	refused("load-leaders", "leader", LEADER_HEADER LEADER_ROW("l-keep", "Kept"), text, sizeof(text) - 1, expect)

Test(cmd_settle_db_csv, duplicate_ids_are_refused_naming_both_lines)
{
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "A") POD_ROW("p2", "B") POD_ROW("p1", "C"),
		     ":4: duplicate pod_id \"p1\": already on line 2");
	/* The database's key ignores case: P1 would overwrite p1. */
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "A") POD_ROW("P1", "B"), ":3: duplicate pod_id \"P1\": already on line 2");
	/* Blank lines and quoting do not hide it; the earliest pair is named. */
	REFUSED_PODS(POD_HEADER POD_ROW("p9", "A") "\n\n" POD_ROW("\"p7\"", "B") POD_ROW("p7", "C") POD_ROW("p9", "D"),
		     ":6: duplicate pod_id \"p7\": already on line 5");
	/* Already in the table is fine (an update); twice in the file is not. */
	REFUSED_PODS(POD_HEADER POD_ROW("p-keep", "New") POD_ROW("p-keep", "Newer"),
		     ":3: duplicate pod_id \"p-keep\": already on line 2");
	REFUSED_LEADERS(LEADER_HEADER LEADER_ROW("l1", "Kim") LEADER_ROW("L1", "Lee"),
			":3: duplicate leader_id \"L1\": already on line 2");
}

Test(cmd_settle_db_csv, header_is_required_and_exact_on_the_first_non_blank_line)
{
	struct run_result r;

	/* Data where the header should be. */
	REFUSED_PODS(POD_ROW("p1", "A"), ":1: column 1 is 'p1'; expected 'pod_id'");
	REFUSED_PODS("\n \n" POD_ROW("p1", "A") POD_ROW("p2", "B"), ":3: column 1 is 'p1'; expected 'pod_id'");
	/* Not exactly the header: case, a space, a missing or an extra column. */
	REFUSED_PODS("\n" "POD_ID,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n" POD_ROW("p1", "A"),
		     ":2: column 1 is 'POD_ID'; expected 'pod_id'");
	REFUSED_PODS("pod_id,leader_id,title,fee ,currency,capacity,status,starts_on,ends_on\n" POD_ROW("p1", "A"),
		     ":1: column 4 is 'fee '; expected 'fee'");
	REFUSED_PODS("pod_id,leader_id,title,fee,currency,capacity,status,starts_on\n" POD_ROW("p1", "A"),
		     ":1: missing column 9 'ends_on'");
	REFUSED_LEADERS("\n\t\n" LEADER_HEADER "x\n", ":4: 1 fields; expected 9");
	/* Only blank lines, or nothing at all: no header. */
	REFUSED_PODS("\n  \n\n", "no header line");
	REFUSED_PODS("", "no header line");
	/* The header after blank lines is found, and the file loads. */
	load("load-pods", "\n \t\n" POD_HEADER "\n" POD_ROW("p-late", "Late"), sizeof("\n \t\n" POD_HEADER "\n" POD_ROW("p-late", "Late")) - 1, 0, &r);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM pods WHERE pod_id = 'p-late'"), 1);
}

Test(cmd_settle_db_csv, text_must_be_utf8_named_by_file_line_and_column)
{
	/* Overlong '/', a surrogate, Latin-1, a cut sequence, beyond U+10FFFF. */
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "ok") POD_ROW("p2", "a\xC0\xAF"),
		     ":3: title is not valid UTF-8: an overlong form at byte 2");
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "\xE0\x80\xAF"), ":2: title is not valid UTF-8: an overlong form at byte 1");
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "x\xED\xA0\x80y"),
		     ":2: title is not valid UTF-8: a surrogate (U+D800–U+DFFF) at byte 2");
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "caf\xE9"), ":2: title is not valid UTF-8: a sequence cut short at byte 4");
	REFUSED_PODS(POD_HEADER POD_ROW("p1", "\xF4\x90\x80\x80"), ":2: title is not valid UTF-8: a code point beyond U+10FFFF");
	REFUSED_PODS(POD_HEADER "p1,l\xFF,T,100,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":2: leader_id is not valid UTF-8");
	REFUSED_LEADERS(LEADER_HEADER LEADER_ROW("l1", "\xEA\xB9"), ":2: name is not valid UTF-8: a sequence cut short");
	REFUSED_LEADERS(LEADER_HEADER "l1,Kim,INDIVIDUAL,,a@b.co,004,1234567890,\xED\xBF\xBF,9001012345678\n",
			":2: holder_name is not valid UTF-8: a surrogate");
}

Test(cmd_settle_db_csv, well_formed_korean_text_loads)
{
	struct run_result r;
	static const char text[] = POD_HEADER POD_ROW("p-ko", "\"스터디 모임, 주말반 📚\"");

	load("load-pods", text, sizeof text - 1, 0, &r);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM pods WHERE title = '스터디 모임, 주말반 📚'"), 1);
}

Test(cmd_settle_db_csv, oversized_record_is_refused)
{
	size_t big = 20000, cap = big + 512, len;
	char *text = malloc(cap);
	char good[] = POD_HEADER POD_ROW("p-keep", "Kept");

	cr_assert_not_null(text);
	/* One long line. */
	len = (size_t)snprintf(text, cap, POD_HEADER "p1,l1,");
	memset(text + len, 'T', big);
	len += big;
	len += (size_t)snprintf(text + len, cap - len, ",100,KRW,3,OPEN,2026-01-01,2026-02-01\n");
	refused("load-pods", "pod", good, text, len, ":2: record longer than 16384 bytes");
	/* The same bytes spread over lines inside one quoted title. */
	len = (size_t)snprintf(text, cap, POD_HEADER POD_ROW("p1", "A") "p2,l1,\"");
	for (size_t i = 0; i < big / 100; i++)
		len += (size_t)snprintf(text + len, cap - len, "%099d\n", 0);
	len += (size_t)snprintf(text + len, cap - len, "\",100,KRW,3,OPEN,2026-01-01,2026-02-01\n");
	refused("load-pods", "pod", good, text, len, ":3: record longer than 16384 bytes");
	/* A line with no end at all. */
	len = (size_t)snprintf(text, cap, LEADER_HEADER);
	memset(text + len, 'x', big);
	len += big;
	refused("load-leaders", "leader", LEADER_HEADER LEADER_ROW("l-keep", "Kept"), text, len,
		":2: record longer than 16384 bytes");
	free(text);
}
