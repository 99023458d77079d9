/* fuzz_money.c — the libFuzzer binary of fuzz_money (fuzz_domain.c). */
#include "fuzz/fuzz.h"

FUZZ_MAIN(fuzz_money)
