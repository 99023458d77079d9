/*
 * fuzz.h — the fuzz targets' entry points (tests/fuzz/fuzz_*.c).
 *
 * Each target is a plain function, so the same code runs two ways: under
 * libFuzzer (`make fuzz`, clang, -DSETTLE_FUZZER adds LLVMFuzzerTestOneInput)
 * and in the Criterion suite (test_fuzz_inputs.c, gcc), which feeds it every
 * file of tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/.
 *
 * Rule: an entry point accepts any bytes and returns 0; a refusal is the
 * parser's business, only a crash, a leak or a sanitizer report is a bug.
 */
#ifndef SETTLE_TESTS_FUZZ_H
#define SETTLE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

int fuzz_config(const uint8_t *data, size_t size);
int fuzz_csv_pods(const uint8_t *data, size_t size);
int fuzz_csv_leaders(const uint8_t *data, size_t size);
int fuzz_csv_policies(const uint8_t *data, size_t size);
int fuzz_bulk_result(const uint8_t *data, size_t size);
int fuzz_settlement_file(const uint8_t *data, size_t size);
int fuzz_toss_payment(const uint8_t *data, size_t size);
int fuzz_nicepay_payment(const uint8_t *data, size_t size);
int fuzz_toss_settlements(const uint8_t *data, size_t size);
int fuzz_toss_payouts(const uint8_t *data, size_t size);
int fuzz_money(const uint8_t *data, size_t size);
int fuzz_timefmt(const uint8_t *data, size_t size);
int fuzz_refund_policy(const uint8_t *data, size_t size);
int fuzz_rates(const uint8_t *data, size_t size);
int fuzz_study(const uint8_t *data, size_t size);
int fuzz_webhook(const uint8_t *data, size_t size);
int fuzz_jwt(const uint8_t *data, size_t size);
int fuzz_contacts(const uint8_t *data, size_t size);
int fuzz_card_mask(const uint8_t *data, size_t size);

/* data as a NUL-terminated malloc'd string (an embedded NUL ends it, as
 * it would for the parser reading a C string); NULL when out of memory. */
char *fuzz_cstr(const uint8_t *data, size_t size);
/* Writes data to a fresh file of this process (named after tag) and puts
 * its path in path; 0, or -1. The caller unlinks it. */
int fuzz_file(const char *tag, const uint8_t *data, size_t size, char *path, size_t len);

#ifdef SETTLE_FUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_MAIN(fn) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#else
#define FUZZ_MAIN(fn)
#endif

#endif
