/* fuzz_csv_leaders.c — the libFuzzer binary of fuzz_csv_leaders (fuzz_csv.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_csv_leaders)
