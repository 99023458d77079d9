/* fuzz_rates.c — the libFuzzer binary of fuzz_rates (fuzz_domain.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_rates)
