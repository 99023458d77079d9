/*
 * fuzz_bulk_result.c — the bank's bulk-transfer result file
 * (adapters/bank/bulk_result.c), parsed from memory as bulk_result_load
 * does after reading it.
 */
#include "fuzz/fuzz.h"

#include "adapters/bank/bulk_result.h"

int fuzz_bulk_result(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct bulk_result r = {0};

	if (bulk_result_parse("result.csv", (const char *)data, size, &r, &err) == 0)
		bulk_result_free(&r);
	return 0;
}

FUZZ_MAIN(fuzz_bulk_result)
