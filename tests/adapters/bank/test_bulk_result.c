/* test_bulk_result.c — the bank's result file: the good one read whole, every bad one refused naming the line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/bank/bulk_result.h"
#include "lib/testdb.h"

Test(adapters_bank_bulk_result, good_file_read_with_lines)
{
	struct bulk_result r;
	struct settle_err err = {0};
	char path[512];

	test_repo_file("fixtures/bank/result-good.csv", path, sizeof path);
	cr_assert_eq(bulk_result_load(path, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.n, 3);
	cr_assert_str_eq(r.rows[0].payout_id, "pyo_0001");
	cr_assert_eq(r.rows[0].amount, 147650);
	cr_assert_eq(r.rows[0].status, BANK_ST_PAID);
	cr_assert_str_eq(r.rows[0].reference, "KB-20261125-0001");
	cr_assert_eq(r.rows[0].line, 2);
	cr_assert_eq(r.rows[1].status, BANK_ST_FAILED);
	cr_assert_str_eq(r.rows[1].message, "계좌번호 오류, 확인 필요");
	cr_assert_eq(r.rows[2].status, BANK_ST_RETURNED);
	cr_assert_str_eq(r.rows[2].message, "수취인 \"확인\" 불가");
	cr_assert_eq(r.rows[2].line, 4);
	bulk_result_free(&r);
}

Test(adapters_bank_bulk_result, crlf_bom_and_quoted_newline)
{
	static const char data[] = "\xEF\xBB\xBFpayout_id,amount,status,reference,message\r\n"
				   "pyo_1,100,PAID,R1,\"two\nlines\"\r\n"
				   "pyo_2,200,FAILED,,\r\n";
	struct bulk_result r;
	struct settle_err err = {0};

	cr_assert_eq(bulk_result_parse("mem", data, sizeof data - 1, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.n, 2);
	cr_assert_str_eq(r.rows[0].message, "two\nlines");
	cr_assert_eq(r.rows[1].line, 4);
	bulk_result_free(&r);
}

static void refused(const char *file, const char *where, const char *why)
{
	struct bulk_result r = {(void *)1, 99};
	struct settle_err err = {0};
	char rel[128], path[512];

	snprintf(rel, sizeof rel, "fixtures/bank/%s", file);
	test_repo_file(rel, path, sizeof path);
	cr_assert_eq(bulk_result_load(path, &r, &err), -1, "%s accepted", file);
	cr_assert_eq(err.code, 65, "%s: %s", file, err.msg);
	cr_assert(strstr(err.msg, where), "%s: %s", file, err.msg);
	cr_assert(strstr(err.msg, why), "%s: %s", file, err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
	cr_assert_null(r.rows, "%s: rows returned", file);
	cr_assert_eq(r.n, 0);
}

Test(adapters_bank_bulk_result, every_bad_file_refused_naming_the_line)
{
	refused("result-bad-header.csv", "result-bad-header.csv:1:", "header");
	refused("result-bad-fields.csv", "result-bad-fields.csv:3:", "4 fields");
	refused("result-bad-amount.csv", "result-bad-amount.csv:3:", "amount");
	refused("result-bad-status.csv", "result-bad-status.csv:2:", "status");
	refused("result-duplicate.csv", "result-duplicate.csv:4:", "pyo_0001 appears twice (first on line 2)");
	refused("result-bad-encoding.csv", "result-bad-encoding.csv:3:", "UTF-8");
	refused("result-long-line.csv", "result-long-line.csv:3:", "longer than 1024");
}

static void refused_mem(const char *data, const char *where_why)
{
	struct bulk_result r;
	struct settle_err err = {0};

	cr_assert_eq(bulk_result_parse("r.csv", data, strlen(data), &r, &err), -1, "accepted: %s", data);
	cr_assert(strstr(err.msg, where_why), "%s", err.msg);
	cr_assert_null(r.rows);
}

Test(adapters_bank_bulk_result, more_bad_shapes)
{
	refused_mem("", "r.csv:1: empty file");
	refused_mem("payout_id,amount,status,reference,message\n", "r.csv:2: no result rows");
	refused_mem("payout_id,amount,status,reference,message\npyo 1,5,PAID,,\n", "r.csv:2: payout_id");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,-5,PAID,,\n", "r.csv:2: amount");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,0,PAID,,\n", "r.csv:2: amount");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,1234567890123456,PAID,,\n", "r.csv:2: amount");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,5,paid,,\n", "r.csv:2: status");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,5,PAID,,,x\n", "r.csv:2: more than 5 fields");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,5,PAID,\"open,\n", "r.csv:2: quoted field");
	refused_mem("payout_id,amount,status,reference,message\npyo_1,5,PAID,a\"b,\n", "r.csv:2: malformed CSV");
	refused_mem("amount,payout_id,status,reference,message\npyo_1,5,PAID,,\n", "r.csv:1: header");
}
