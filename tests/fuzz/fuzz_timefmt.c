/* fuzz_timefmt.c — the libFuzzer binary of fuzz_timefmt (fuzz_domain.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_timefmt)
