/* fuzz_toss_settlements.c — the libFuzzer binary of fuzz_toss_settlements (fuzz_pg.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_toss_settlements)
