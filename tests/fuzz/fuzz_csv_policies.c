/* fuzz_csv_policies.c — the libFuzzer binary of fuzz_csv_policies (fuzz_csv.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_csv_policies)
